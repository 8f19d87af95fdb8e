import type { Ctx } from '../context.js';
import { getOrgUnitInScope } from '../org/org.service.js';
import { localDate } from '../time/zoned-time.js';
import { computeAqi, levelOf, POLLUTANTS, type AqiInput, type AqiResult } from '../air/aqi.js';
import { dailyAqiSeries, DAILY_METRICS, goodDaysShare } from '../air/air.daily.js';
import { fromLocal, toLocal } from '../time/zoned-time.js';
import { classifyWater, WATER_CLASSES, WATER_LABELS, WATER_PARAMETERS, type WaterClass } from '../water/water.class.js';
import { airRepository } from '../air/air.repository.js';
import { vitalsRepository } from './vitals.repository.js';

const HOUR = 3_600_000;
/** A device counts as online when it reported within this many minutes (water stations sample every four hours). */
export const ONLINE_MINUTES: Record<string, number> = { water_quality_station: 12 * 60, air_station: 3 * 60 };
const ONLINE_DEFAULT = 60;
/** The screen's hourly AQI trend covers the last 24 hours; "now" is the newest hour of the last three. */
const TREND_HOURS = 24;
const NOW_WITHIN_HOURS = 3;
const DAILY_DAYS = 30;

type Row = { device_id: string; metric: string; bucket: string; n: number; sum: number; max: number };
type Concentrations = Partial<Record<(typeof POLLUTANTS)[number] | 'o3_max', number>>;

/** Mean concentration per (bucket → pollutant) over the given devices' rollup rows (all stations pooled). */
function pool(rows: Row[], deviceIds?: Set<string>): Map<string, Concentrations> {
  const sums = new Map<string, Map<string, { n: number; sum: number; max: number }>>();
  for (const r of rows) {
    if (deviceIds && !deviceIds.has(r.device_id)) continue;
    const b = sums.get(r.bucket) ?? new Map();
    const s = b.get(r.metric) ?? { n: 0, sum: 0, max: -Infinity };
    b.set(r.metric, { n: s.n + Number(r.n), sum: s.sum + Number(r.sum), max: Math.max(s.max, Number(r.max)) });
    sums.set(r.bucket, b);
  }
  const out = new Map<string, Concentrations>();
  for (const [bucket, m] of sums) {
    const c: Concentrations = {};
    for (const [metric, s] of m) c[metric as keyof Concentrations] = s.sum / s.n;
    const o3 = m.get('o3');
    if (o3) c.o3_max = o3.max;
    out.set(bucket, c);
  }
  return out;
}

/**
 * AQI of pooled concentrations. A day's O3 is indexed by its highest hourly value (the 1-hour
 * table; the rollups keep no 8-hour moving average); null when nothing is indexed or the standard
 * refuses the values.
 */
function aqiOf(c: Concentrations, period: 'hour' | 'day'): AqiResult | null {
  const input: AqiInput = { period, pm25: c.pm25, pm10: c.pm10, so2: c.so2, no2: c.no2, co: c.co };
  if (period === 'hour') input.o3 = c.o3;
  else input.o3_1h = c.o3_max;
  try {
    const r = computeAqi(input);
    return r.aqi === null ? null : r;
  } catch {
    return null;
  }
}

const brief = (r: AqiResult | null) => (r ? { aqi: r.aqi as number, level: r.level?.name ?? '', grade: r.level?.grade ?? 0, color: r.level?.color ?? '', primaryPollutant: r.primaryPollutant } : null);

/**
 * The 城市体征 panel of an area: air quality (AQI now and today per station and for the area, the
 * hourly trend of the last 24 hours, the daily AQI of the last 30 days, 优良天数 this year), the
 * class of each water-quality station's latest day against its target, the firing sensor alarms,
 * and the share of devices online per kind. Throws org_unit_not_found (also outside scope).
 */
export async function screenVitals(ctx: Ctx, q: { org?: string }) {
  const org = await getOrgUnitInScope(ctx, q.org ?? ctx.actor.orgCode);
  const tz = ctx.app.config.timeZone;
  const now = ctx.now.getTime();
  const today = localDate(ctx.now, tz);
  const devices = await vitalsRepository.devices(ctx.db, org.path);
  const air = devices.filter((d) => d.kind === 'air_station');
  const water = devices.filter((d) => d.kind === 'water_quality_station');
  const hourFrom = new Date(Math.floor(now / HOUR) * HOUR - TREND_HOURS * HOUR).toISOString();
  const yearStart = `${today.slice(0, 4)}-01-01`;
  const dailyFrom = localDate(new Date(now - DAILY_DAYS * 24 * HOUR), tz);
  const seriesFrom = yearStart < dailyFrom ? yearStart : dailyFrom;
  const tomorrow = localDate(new Date(now + 24 * HOUR), tz);
  const [airHours, airDays, dayTotals, o3Hours, waterDays, firing] = await Promise.all([
    vitalsRepository.rollups(ctx.db, air.map((d) => d.id), POLLUTANTS, 'hour', hourFrom),
    vitalsRepository.rollups(ctx.db, air.map((d) => d.id), POLLUTANTS, 'day', today),
    airRepository.totals(ctx.db, org.path, DAILY_METRICS, 'day', seriesFrom, tomorrow),
    airRepository.totals(ctx.db, org.path, ['o3'], 'hour', new Date(fromLocal(seriesFrom, 0, tz)).toISOString(), new Date(fromLocal(tomorrow, 0, tz)).toISOString()),
    vitalsRepository.rollups(ctx.db, water.map((d) => d.id), WATER_PARAMETERS, 'day', localDate(new Date(now - 7 * 24 * HOUR), tz)),
    vitalsRepository.firing(ctx.db, org.path),
  ]);

  const nowFrom = new Date(Math.floor(now / HOUR) * HOUR - (NOW_WITHIN_HOURS - 1) * HOUR).toISOString();
  const latestHour = (rows: Row[]) => [...new Set(rows.map((r) => r.bucket))].filter((b) => b >= nowFrom).sort().at(-1) ?? null;
  const stations = air.map((d) => {
    const mine = new Set([d.id]);
    const hour = latestHour(airHours.filter((r) => r.device_id === d.id));
    return {
      id: d.id, name: d.name, lon: d.lon, lat: d.lat, hour,
      now: hour ? brief(aqiOf(pool(airHours, mine).get(hour) ?? {}, 'hour')) : null,
      today: brief(aqiOf(pool(airDays.filter((r) => r.bucket === today), mine).get(today) ?? {}, 'day')),
    };
  });
  const hourly = [...pool(airHours)].sort(([a], [b]) => (a < b ? -1 : 1)).map(([bucket, c]) => ({ hour: bucket, aqi: aqiOf(c, 'hour')?.aqi ?? null }));
  // The area's daily AQI by the same rule as the city's 优良天数 indicator (air/air.daily.ts: O3 on
  // its highest 8-hour average and highest hour of the pooled hourly means).
  const days = dailyAqiSeries(
    dayTotals.map((t) => ({ date: t.bucket, metric: t.metric, mean: Number(t.sum) / Number(t.n) })),
    o3Hours.map((h) => {
      const local = toLocal(new Date(h.bucket), tz);
      return { date: local.date, hour: Math.floor(local.msOfDay / HOUR), mean: Number(h.sum) / Number(h.n) };
    }),
  ).map((d) => {
    const level = levelOf(d.aqi);
    return { day: d.date, aqi: d.aqi, level: level.name, grade: level.grade, color: level.color, primaryPollutant: d.primaryPollutant };
  });
  // 优良天数 this year, 1 January to today included (the 优良天数比例 indicator's window).
  const good = goodDaysShare(days.filter((d) => d.day >= yearStart && d.day <= today).map((d) => ({ date: d.day, aqi: d.aqi, level: d.level, primaryPollutant: d.primaryPollutant })));
  const cityHour = latestHour(airHours);

  const waterOut = water.map((d) => {
    const a = JSON.parse(d.attributes || '{}') as { reach?: string; waterBodyName?: string; waterBodyKind?: 'river' | 'lake'; targetClass?: string };
    const mine = waterDays.filter((r) => r.device_id === d.id);
    const day = [...new Set(mine.map((r) => r.bucket))].sort().at(-1) ?? null;
    const sample = day ? Object.fromEntries(mine.filter((r) => r.bucket === day).map((r) => [r.metric, Number(r.sum) / Number(r.n)])) : {};
    const result = day ? classifyWater(sample, a.waterBodyKind ?? 'river') : null;
    const target = WATER_CLASSES.includes(a.targetClass as WaterClass) ? (a.targetClass as WaterClass) : null;
    const cls = result?.waterClass ?? null;
    return {
      id: d.id, name: d.name, lon: d.lon, lat: d.lat, reach: a.reach ?? null, waterBody: a.waterBodyName ?? null, day,
      waterClass: cls, label: cls ? WATER_LABELS[cls] : null, deciding: result?.deciding ?? [],
      target, targetLabel: target ? WATER_LABELS[target] : null,
      onTarget: cls && target ? WATER_CLASSES.indexOf(cls) <= WATER_CLASSES.indexOf(target) : null,
    };
  });

  const kinds = new Map<string, { kind: string; total: number; online: number }>();
  for (const d of devices.filter((x) => x.status === 'active')) {
    const k = kinds.get(d.kind) ?? { kind: d.kind, total: 0, online: 0 };
    k.total++;
    const window = (ONLINE_MINUTES[d.kind] ?? ONLINE_DEFAULT) * 60_000;
    if (d.last_seen_at && now - Date.parse(d.last_seen_at) <= window) k.online++;
    kinds.set(d.kind, k);
  }
  const total = [...kinds.values()].reduce((s, k) => s + k.total, 0);
  const online = [...kinds.values()].reduce((s, k) => s + k.online, 0);

  return {
    org: { code: org.code, name: org.name, level: org.level },
    at: ctx.now.toISOString(),
    air: {
      now: cityHour ? { hour: cityHour, ...(brief(aqiOf(pool(airHours).get(cityHour) ?? {}, 'hour')) ?? { aqi: null, level: '', grade: 0, color: '', primaryPollutant: null }) } : null,
      stations, hourly, daily: days.filter((d) => d.day >= dailyFrom),
      goodDays: { year: Number(today.slice(0, 4)), good: good.good, days: good.days },
    },
    water: waterOut,
    alarms: firing.map((f) => ({
      deviceId: f.device_id, name: f.name, kind: f.kind, lon: f.lon, lat: f.lat, since: f.since, value: f.last_value,
      rule: f.type === 'offline' ? 'offline' : `${f.metric} ${f.op} ${f.threshold}`, caseId: f.case_id, caseNumber: f.case_number ?? null,
    })),
    devices: { total, online, kinds: [...kinds.values()].sort((a, b) => (a.kind < b.kind ? -1 : 1)) },
  };
}
