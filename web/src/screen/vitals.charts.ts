/**
 * Pure ECharts option builders of the 城市体征 view (data in, option out, no DOM), like charts.ts.
 * AQI colours are HJ 633-2012's level colours; the level's words appear beside them.
 */

/** HJ 633-2012 level colours by grade (1 优 … 6 严重污染). */
export const AQI_COLOURS: Record<number, string> = { 1: '#00e400', 2: '#ffff00', 3: '#ff7e00', 4: '#ff0000', 5: '#99004c', 6: '#7e0023' };
/** The AQI upper bounds of grades 1–5 (HJ 633-2012). */
const AQI_BOUNDS = [50, 100, 150, 200, 300];

/** The grade (1–6) of an AQI value. */
export function aqiGrade(aqi: number): number {
  const i = AQI_BOUNDS.findIndex((b) => aqi <= b);
  return i === -1 ? 6 : i + 1;
}

const TEXT = '#cfe3ff';
const AXIS = 'rgba(140,180,255,0.35)';
const pieces = () => Object.entries(AQI_COLOURS).map(([g, color]) => {
  const grade = Number(g);
  return { gt: grade === 1 ? -1 : AQI_BOUNDS[grade - 2], ...(grade <= 5 ? { lte: AQI_BOUNDS[grade - 1] } : {}), color };
});

/** AQI per hour as a line coloured by level, with a dashed line at 100 (the 良 limit). */
export function buildAqiHourlyOption(hourly: readonly { label: string; aqi: number | null }[], s: number) {
  return {
    grid: { left: 36 * s, right: 12 * s, top: 14 * s, bottom: 22 * s },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'category', data: hourly.map((h) => h.label), axisLabel: { color: TEXT, fontSize: 10 * s, interval: 3 }, axisLine: { lineStyle: { color: AXIS } } },
    yAxis: { type: 'value', min: 0, axisLabel: { color: TEXT, fontSize: 10 * s }, splitLine: { lineStyle: { color: AXIS, type: 'dashed' } } },
    visualMap: { show: false, dimension: 1, pieces: pieces() },
    series: [{
      type: 'line', smooth: 0.3, symbol: 'none', connectNulls: true, lineStyle: { width: 2.5 * s }, data: hourly.map((h) => h.aqi),
      markLine: { silent: true, symbol: 'none', label: { show: false }, lineStyle: { color: 'rgba(255,255,255,0.35)', type: 'dashed' }, data: [{ yAxis: 100 }] },
    }],
  };
}

/** Daily AQI as bars coloured by level. */
export function buildAqiDailyOption(daily: readonly { label: string; aqi: number | null; grade: number }[], s: number) {
  return {
    grid: { left: 36 * s, right: 12 * s, top: 14 * s, bottom: 22 * s },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: { type: 'category', data: daily.map((d) => d.label), axisLabel: { color: TEXT, fontSize: 10 * s, interval: 4 }, axisLine: { lineStyle: { color: AXIS } } },
    yAxis: { type: 'value', min: 0, axisLabel: { color: TEXT, fontSize: 10 * s }, splitLine: { lineStyle: { color: AXIS, type: 'dashed' } } },
    series: [{ type: 'bar', barWidth: '62%', data: daily.map((d) => ({ value: d.aqi, itemStyle: { color: AQI_COLOURS[d.grade] ?? '#8aa0c0', borderRadius: [2 * s, 2 * s, 0, 0] } })) }],
  };
}

export interface VitalsMapInput {
  mapName: string;
  stations: readonly { id: string; name: string; lon: number; lat: number; aqi: number | null; grade: number; level: string }[];
  water: readonly { id: string; name: string; lon: number; lat: number; label: string; onTarget: boolean | null }[];
  alarms: readonly { deviceId: string; name: string; lon: number; lat: number; rule: string; caseId: number | null }[];
  labels: { air: string; water: string; alarms: string };
  s: number;
}

/**
 * The vitals map: the area's outlines, air stations as discs in their AQI level colour with the
 * value, water stations as diamonds (green on target, red below it) with the class, firing alarms
 * as red ripples (a click opens the case).
 */
export function buildVitalsMapOption(input: VitalsMapInput) {
  const { s } = input;
  return {
    backgroundColor: 'transparent',
    tooltip: {
      trigger: 'item', backgroundColor: 'rgba(8,24,58,0.92)', borderColor: '#2b6cff', textStyle: { color: TEXT, fontSize: 14 * s },
      formatter: (p: { data?: { tip?: string } }) => p.data?.tip ?? '',
    },
    legend: { bottom: 8 * s, right: 12 * s, orient: 'horizontal', textStyle: { color: TEXT, fontSize: 12 * s }, itemWidth: 12 * s, itemHeight: 12 * s, data: [input.labels.air, input.labels.water, input.labels.alarms] },
    geo: {
      map: input.mapName, roam: false, nameProperty: 'code', layoutCenter: ['50%', '50%'], layoutSize: '95%', silent: true,
      label: { show: false },
      itemStyle: { areaColor: '#0f2b5c', borderColor: '#5fb4ff', borderWidth: 1 * s },
    },
    series: [
      {
        name: input.labels.air, type: 'scatter', coordinateSystem: 'geo', symbol: 'circle', symbolSize: 30 * s, z: 5, itemStyle: { color: '#00e400' },
        label: { show: true, color: '#0b1a33', fontWeight: 'bold', fontSize: 12 * s, formatter: (p: { data: { aqi: number | null } }) => (p.data.aqi === null ? '—' : String(p.data.aqi)) },
        data: input.stations.map((st) => ({ name: st.id, value: [st.lon, st.lat], aqi: st.aqi, tip: `${st.name}<br/>AQI ${st.aqi ?? '—'} ${st.level}`, itemStyle: { color: st.aqi === null ? '#8aa0c0' : AQI_COLOURS[st.grade], borderColor: '#fff', borderWidth: 1.5 * s } })),
      },
      {
        name: input.labels.water, type: 'scatter', coordinateSystem: 'geo', symbol: 'diamond', symbolSize: 26 * s, z: 5, itemStyle: { color: '#36c2f0' },
        label: { show: true, position: 'right', color: TEXT, fontSize: 12 * s, formatter: (p: { data: { label: string } }) => p.data.label },
        data: input.water.map((w) => ({ name: w.id, value: [w.lon, w.lat], label: w.label, tip: `${w.name}<br/>${w.label}`, itemStyle: { color: w.onTarget === false ? '#ff4d4f' : w.onTarget ? '#2ecc71' : '#36c2f0', borderColor: '#fff', borderWidth: 1.5 * s } })),
      },
      {
        name: input.labels.alarms, type: 'effectScatter', coordinateSystem: 'geo', symbolSize: 16 * s, z: 6,
        rippleEffect: { scale: 3.5, brushType: 'stroke' }, itemStyle: { color: '#ff4d4f' },
        data: input.alarms.map((a) => ({ name: a.deviceId, value: [a.lon, a.lat], id: a.caseId, tip: `${a.name}<br/>${a.rule}` })),
      },
    ],
  };
}
