/** A point on the map: [longitude, latitude] (WGS84). */
export type LonLat = [number, number];

export interface PinMapInput {
  /** The name the GeoJSON was registered under with echarts.registerMap. */
  map: string;
  /** The report's pin, if placed. */
  pin: LonLat | null;
  /** Other points to show (e.g. my tasks), with a label each. */
  points?: { at: LonLat; name: string }[];
  /** Feature names to draw highlighted (e.g. my grid). */
  highlight?: string[];
}

/**
 * The ECharts option of the phone pages' map: the outlines (no tiles), the pin and optional
 * points. Pure: the component only hands it to ECharts.
 */
export function buildPinMap(input: PinMapInput) {
  const highlight = new Set(input.highlight ?? []);
  const regions = [...highlight].map((name) => ({ name, itemStyle: { areaColor: '#d6e9ff', borderColor: '#1677ff', borderWidth: 2 } }));
  return {
    animation: false,
    geo: {
      map: input.map,
      roam: true,
      scaleLimit: { min: 0.8, max: 60 },
      label: { show: false },
      itemStyle: { areaColor: '#eef3f8', borderColor: '#7a8ca3', borderWidth: 1 },
      emphasis: { disabled: true },
      select: { disabled: true },
      regions,
    },
    series: [
      {
        type: 'scatter',
        name: 'points',
        coordinateSystem: 'geo',
        symbol: 'circle',
        symbolSize: 10,
        itemStyle: { color: '#f59e0b', borderColor: '#fff', borderWidth: 1 },
        data: (input.points ?? []).map((p) => ({ name: p.name, value: p.at })),
      },
      {
        type: 'scatter',
        name: 'pin',
        coordinateSystem: 'geo',
        symbol: 'pin',
        symbolSize: 40,
        itemStyle: { color: '#e11d48' },
        data: input.pin ? [{ name: 'pin', value: input.pin }] : [],
        z: 10,
      },
    ],
  };
}
