import { computeAqi, type AqiResult } from './aqi.js';

/**
 * A city's daily AQI from its stations' readings, as pure functions (HJ 633-2012 with the daily
 * statistics of HJ 663-2013). The city's daily concentration of a pollutant is the mean over its
 * stations (pooled from the rollups); O3 is indexed on the day's highest 8-hour moving average of
 * the city's hourly means (windows starting 00:00–16:00 local, at least 6 of the 8 hours present)
 * and on its highest hour. A day is 优良 when its AQI is 100 or below.
 */

export const DAILY_METRICS = ['pm25', 'pm10', 'so2', 'no2', 'co'] as const;

/** One pollutant's pooled mean of a city day. */
export interface DayMean { date: string; metric: string; mean: number }
/** The city's mean O3 of one hour (local date and hour 0–23). */
export interface HourMean { date: string; hour: number; mean: number }

export interface DailyAqi { date: string; aqi: number; level: string; primaryPollutant: string | null }

/** The highest 8-hour moving average of a day's hourly values (index = local hour), or null. */
export function maxEightHour(hours: (number | undefined)[]): number | null {
  let best: number | null = null;
  for (let start = 0; start <= 16; start++) {
    const window = hours.slice(start, start + 8).filter((v): v is number => v !== undefined);
    if (window.length < 6) continue;
    const avg = window.reduce((a, b) => a + b, 0) / window.length;
    if (best === null || avg > best) best = avg;
  }
  return best;
}

/** The AQI of each day that has at least one pollutant, in date order. */
export function dailyAqiSeries(means: DayMean[], o3Hours: HourMean[]): DailyAqi[] {
  const days = new Map<string, Record<string, number>>();
  for (const m of means) days.set(m.date, { ...(days.get(m.date) ?? {}), [m.metric]: m.mean });
  const o3 = new Map<string, (number | undefined)[]>();
  for (const h of o3Hours) {
    const list = o3.get(h.date) ?? new Array<number | undefined>(24).fill(undefined);
    list[h.hour] = h.mean;
    o3.set(h.date, list);
  }
  const dates = [...new Set([...days.keys(), ...o3.keys()])].sort();
  const out: DailyAqi[] = [];
  for (const date of dates) {
    const c = days.get(date) ?? {};
    const hours = o3.get(date);
    const o3max1h = hours ? Math.max(...hours.filter((v): v is number => v !== undefined)) : undefined;
    const o3max8h = hours ? maxEightHour(hours) : null;
    const r: AqiResult = computeAqi({
      period: 'day', pm25: c.pm25, pm10: c.pm10, so2: c.so2, no2: c.no2, co: c.co,
      ...(o3max8h !== null && o3max8h <= 800 ? { o3: o3max8h } : {}), ...(o3max1h !== undefined ? { o3_1h: o3max1h } : {}),
    });
    if (r.aqi !== null && r.level) out.push({ date, aqi: r.aqi, level: r.level.name, primaryPollutant: r.primaryPollutant });
  }
  return out;
}

/** The share (%) of days that are 优良 (AQI ≤ 100), one decimal; null without days. */
export function goodDaysShare(days: DailyAqi[]): { share: number | null; good: number; days: number } {
  const good = days.filter((d) => d.aqi <= 100).length;
  return { share: days.length ? Math.round((good / days.length) * 1000) / 10 : null, good, days: days.length };
}
