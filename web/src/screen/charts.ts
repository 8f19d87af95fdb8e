/**
 * Pure ECharts option builders for the big screen: data in, option object out, no ECharts import
 * and no DOM, so each is unit-tested without a browser. `s` scales pixel sizes with the screen.
 */

export type Measure = 'open' | 'overdue' | 'density' | 'onTimeClosure' | 'satisfaction' | 'petitionBacklog';

export interface AreaValue {
  code: string;
  name: string;
  value: number | null;
}

export interface Pin {
  id: number;
  number: string;
  light: string;
  lon: number;
  lat: number;
}

/** Colours of the SLA lights; the same words appear beside them, never colour alone. */
export const LIGHT_COLOURS: Record<string, string> = { green: '#2ecc71', yellow: '#f5c518', red: '#ff4d4f', severe: '#b620e0', none: '#8aa0c0' };

const TEXT = '#cfe3ff';
const AXIS = 'rgba(140,180,255,0.35)';

/** Rates are 0–1 and better when high; counts are better when low. */
export const HIGHER_IS_BETTER: Record<Measure, boolean> = { open: false, overdue: false, density: false, onTimeClosure: true, satisfaction: true, petitionBacklog: false };

/** Low → high colour ramp: cool blue to hot red for counts; reversed for rates (red = bad). */
function ramp(measure: Measure): string[] {
  const badHigh = ['#123a73', '#1f6fd1', '#36c2f0', '#f5c518', '#ff7a45', '#ff4d4f'];
  return HIGHER_IS_BETTER[measure] ? [...badHigh].reverse() : badHigh;
}

/** The visual map range of a measure: [0, 1] for rates, [0, max] for counts (at least 1). */
export function measureRange(measure: Measure, areas: readonly AreaValue[]): [number, number] {
  if (measure === 'onTimeClosure' || measure === 'satisfaction') return [0, 1];
  const max = Math.max(0, ...areas.map((a) => a.value ?? 0));
  return [0, max > 0 ? max : 1];
}

/**
 * The map: the outlines registered under `mapName` (regions named by their `code` property),
 * coloured by `measure`; open cases as pins coloured by their light; recently turned-red cases as
 * ripples; the selected area's name in the corner.
 */
export function buildMapOption(input: {
  mapName: string;
  measure: Measure;
  measureLabel: string;
  areas: readonly AreaValue[];
  pins: readonly Pin[];
  flashes: readonly { lon: number; lat: number; number: string }[];
  s: number;
  formatValue: (v: number | null) => string;
}) {
  const { s } = input;
  const [min, max] = measureRange(input.measure, input.areas);
  const names = new Map(input.areas.map((a) => [a.code, a.name]));
  return {
    backgroundColor: 'transparent',
    tooltip: {
      trigger: 'item',
      backgroundColor: 'rgba(8,24,58,0.92)', borderColor: '#2b6cff', textStyle: { color: TEXT, fontSize: 14 * s },
      formatter: (p: { seriesType: string; name: string; value: unknown; data?: { number?: string; light?: string } }) =>
        p.seriesType === 'map' ? `${names.get(p.name) ?? p.name}<br/>${input.measureLabel}: ${input.formatValue(typeof p.value === 'number' && !Number.isNaN(p.value) ? p.value : null)}` : `${p.data?.number ?? ''}`,
    },
    visualMap: {
      type: 'continuous', min, max, calculable: false, seriesIndex: 0, left: 16 * s, bottom: 16 * s, itemHeight: 120 * s, itemWidth: 12 * s,
      text: [input.formatValue(max), input.formatValue(min)], textStyle: { color: TEXT, fontSize: 12 * s },
      inRange: { color: ramp(input.measure) },
    },
    geo: {
      map: input.mapName, roam: false, nameProperty: 'code', layoutCenter: ['50%', '50%'], layoutSize: '95%',
      label: { show: false },
      itemStyle: { areaColor: '#0f2b5c', borderColor: '#5fb4ff', borderWidth: 1 * s },
      emphasis: { label: { show: false }, itemStyle: { areaColor: '#2b6cff' } },
      select: { disabled: true },
    },
    series: [
      {
        type: 'map', geoIndex: 0, nameProperty: 'code',
        data: input.areas.map((a) => ({ name: a.code, value: a.value ?? NaN })),
      },
      {
        type: 'scatter', coordinateSystem: 'geo', symbolSize: 12 * s, z: 5,
        data: input.pins.map((p) => ({ name: p.number, value: [p.lon, p.lat], id: p.id, number: p.number, light: p.light, itemStyle: { color: LIGHT_COLOURS[p.light] ?? LIGHT_COLOURS.none, borderColor: '#fff', borderWidth: 1 } })),
      },
      {
        type: 'effectScatter', coordinateSystem: 'geo', symbolSize: 18 * s, z: 6,
        rippleEffect: { scale: 4, brushType: 'stroke' }, itemStyle: { color: LIGHT_COLOURS.red },
        data: input.flashes.map((f) => ({ name: f.number, value: [f.lon, f.lat], number: f.number })),
      },
    ],
  };
}

/** Intake against closure per day. */
export function buildTrendOption(daily: readonly { day: string; reported: number; closed: number }[], labels: { reported: string; closed: string }, s: number) {
  return {
    grid: { left: 40 * s, right: 16 * s, top: 30 * s, bottom: 24 * s },
    legend: { top: 0, right: 0, textStyle: { color: TEXT, fontSize: 12 * s }, itemWidth: 14 * s, itemHeight: 8 * s },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'category', data: daily.map((d) => d.day.slice(5)), axisLabel: { color: TEXT, fontSize: 11 * s }, axisLine: { lineStyle: { color: AXIS } } },
    yAxis: { type: 'value', minInterval: 1, axisLabel: { color: TEXT, fontSize: 11 * s }, splitLine: { lineStyle: { color: AXIS, type: 'dashed' } } },
    series: [
      { name: labels.reported, type: 'line', smooth: 0.25, symbol: 'none', data: daily.map((d) => d.reported), lineStyle: { color: '#36c2f0', width: 2 * s }, areaStyle: { color: 'rgba(54,194,240,0.18)' } },
      { name: labels.closed, type: 'line', smooth: 0.25, symbol: 'none', data: daily.map((d) => d.closed), lineStyle: { color: '#2ecc71', width: 2 * s } },
    ],
  };
}

/** Top categories as horizontal bars, largest on top. */
export function buildCategoryOption(categories: readonly { name: string; reported: number }[], s: number) {
  const rows = [...categories].reverse();
  return {
    grid: { left: 8 * s, right: 40 * s, top: 4 * s, bottom: 4 * s, containLabel: true },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: { type: 'value', show: false },
    yAxis: { type: 'category', data: rows.map((c) => c.name), axisLabel: { color: TEXT, fontSize: 12 * s, width: 110 * s, overflow: 'truncate' }, axisLine: { show: false }, axisTick: { show: false } },
    series: [{ type: 'bar', data: rows.map((c) => c.reported), barWidth: '55%', barMaxWidth: 16 * s, itemStyle: { color: '#2b8cff', borderRadius: [0, 4 * s, 4 * s, 0] }, label: { show: true, position: 'right', color: TEXT, fontSize: 12 * s } }],
  };
}

/** Channel mix as a ring. */
export function buildChannelOption(channels: readonly { label: string; reported: number }[], s: number) {
  return {
    tooltip: { trigger: 'item', formatter: '{b}: {c} ({d}%)' },
    legend: { orient: 'vertical', right: 0, top: 'middle', textStyle: { color: TEXT, fontSize: 12 * s }, itemWidth: 10 * s, itemHeight: 10 * s },
    color: ['#36c2f0', '#2b8cff', '#2ecc71', '#f5c518', '#ff7a45', '#b620e0', '#8aa0c0', '#e85d9b', '#5ad8a6', '#f6903d', '#6f5ef9'],
    series: [{ type: 'pie', radius: ['45%', '72%'], center: ['32%', '50%'], label: { show: false }, data: channels.map((c) => ({ name: c.label, value: c.reported })) }],
  };
}

/** Reports by weekday (rows, Monday first) × hour of day (columns). */
export function buildHeatmapOption(cells: readonly { weekday: number; hour: number; reported: number }[], weekdays: readonly string[], s: number) {
  const max = Math.max(1, ...cells.map((c) => c.reported));
  return {
    grid: { left: 36 * s, right: 8 * s, top: 6 * s, bottom: 22 * s },
    tooltip: { position: 'top' },
    xAxis: { type: 'category', data: Array.from({ length: 24 }, (_, h) => String(h)), splitArea: { show: false }, axisLabel: { color: TEXT, fontSize: 10 * s, interval: 2 }, axisLine: { lineStyle: { color: AXIS } } },
    yAxis: { type: 'category', data: [...weekdays], axisLabel: { color: TEXT, fontSize: 11 * s }, axisLine: { lineStyle: { color: AXIS } } },
    visualMap: { min: 0, max, show: false, inRange: { color: ['#0f2b5c', '#1f6fd1', '#36c2f0', '#f5c518', '#ff4d4f'] } },
    series: [{ type: 'heatmap', data: cells.map((c) => [c.hour, c.weekday, c.reported]), itemStyle: { borderColor: '#071a3d', borderWidth: 1 } }],
  };
}

/** The change of a card's value against the previous period, as a signed fraction or null. */
export function changeOf(current: number | null, before: number | null): number | null {
  if (current === null || before === null) return null;
  if (before === 0) return current === 0 ? 0 : null;
  return (current - before) / Math.abs(before);
}

/** Whether a live event's case lies in the area whose code is `org` (its path holds the code). */
export function inArea(orgPath: string, org: string): boolean {
  return orgPath.includes(`/${org}/`);
}
