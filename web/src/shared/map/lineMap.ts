/** Pure ECharts option for lines and points (tracks, reaches, enterprises) over our own outlines (no tiles). */

export type LonLat = [number, number];
export interface MapLine { name: string; coords: LonLat[]; color: string; width?: number; dashed?: boolean }
export interface MapPoint { name: string; at: LonLat; color: string; size?: number }

/** The bounding box of every position given, padded by `pad` of its size (at least ~100 m), or null. */
export function boundsOf(positions: LonLat[], pad = 0.15): [LonLat, LonLat] | null {
  if (positions.length === 0) return null;
  const lons = positions.map((p) => p[0]);
  const lats = positions.map((p) => p[1]);
  const [x0, x1, y0, y1] = [Math.min(...lons), Math.max(...lons), Math.min(...lats), Math.max(...lats)];
  const dx = Math.max((x1 - x0) * pad, 0.001);
  const dy = Math.max((y1 - y0) * pad, 0.001);
  return [[x0 - dx, y1 + dy], [x1 + dx, y0 - dy]];
}

/**
 * Outlines registered as `map`, with lines (a polyline each) and points on top; `bounds`
 * (top-left, bottom-right) frames the view, e.g. on one patrol's track.
 */
export function buildLineMap(input: { map: string; lines: MapLine[]; points?: MapPoint[]; bounds?: [LonLat, LonLat] | null }) {
  return {
    animation: false,
    tooltip: { trigger: 'item', formatter: (p: { name?: string }) => p.name ?? '' },
    geo: {
      map: input.map,
      roam: true,
      aspectScale: 0.78,
      ...(input.bounds ? { boundingCoords: input.bounds } : {}),
      label: { show: false },
      itemStyle: { areaColor: '#eef3fb', borderColor: '#a9bbd6', borderWidth: 0.8 },
      emphasis: { disabled: true },
      select: { disabled: true },
      tooltip: { show: false },
    },
    series: [
      {
        type: 'lines',
        coordinateSystem: 'geo',
        polyline: true,
        zlevel: 1,
        data: input.lines.map((l) => ({ name: l.name, coords: l.coords, lineStyle: { color: l.color, width: l.width ?? 3, type: l.dashed ? 'dashed' : 'solid', opacity: 0.9 } })),
      },
      {
        type: 'scatter',
        coordinateSystem: 'geo',
        zlevel: 2,
        data: (input.points ?? []).map((p) => ({ name: p.name, value: p.at, symbolSize: p.size ?? 10, itemStyle: { color: p.color, borderColor: '#fff', borderWidth: 1 } })),
      },
    ],
  };
}
