/** Pure ECharts option builders for small maps drawn from our own GeoJSON (no tiles). */

export interface GridFeature {
  type: 'Feature';
  properties: { code: string; name?: string | null } & Record<string, unknown>;
  geometry: unknown;
}

export interface Pin {
  lon: number;
  lat: number;
  label?: string;
}

/** The name a GeoJSON collection is registered under for one set of grids. */
export function mapNameFor(features: GridFeature[]): string {
  return `grids:${features.map((f) => f.properties.code).sort().join(',')}`;
}

/**
 * A map of grid outlines with `highlight` emphasised and pins on top. The caller registers the
 * features with echarts.registerMap(mapName, {type: 'FeatureCollection', features}) first.
 */
export function buildGridMap(mapName: string, pins: Pin[], highlight: string | null = null) {
  return {
    animation: false,
    tooltip: { show: false },
    geo: {
      map: mapName,
      nameProperty: 'code',
      roam: true,
      aspectScale: 0.78,
      label: { show: false },
      itemStyle: { areaColor: '#eef3fb', borderColor: '#8aa4cc', borderWidth: 1 },
      emphasis: { disabled: true },
      select: { disabled: true },
      regions: highlight ? [{ name: highlight, itemStyle: { areaColor: '#cfe0ff', borderColor: '#0b5fff', borderWidth: 2.5 } }] : [],
    },
    series: [
      {
        type: 'scatter',
        coordinateSystem: 'geo',
        symbol: 'pin',
        symbolSize: 38,
        itemStyle: { color: '#e5484d' },
        label: { show: false },
        data: pins.map((p) => ({ name: p.label ?? '', value: [p.lon, p.lat] })),
        zlevel: 2,
      },
    ],
  };
}
