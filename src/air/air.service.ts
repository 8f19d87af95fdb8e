import type { Ctx } from '../context.js';
import { fromLocal, toLocal } from '../time/zoned-time.js';
import { dailyAqiSeries, DAILY_METRICS, type DailyAqi } from './air.daily.js';
import { airRepository } from './air.repository.js';

/**
 * The city's daily AQI for the city dates [from, to), from the air stations' rollups (every station
 * of the city: the indicator and the warnings are city figures). Days without readings are absent.
 */
export async function cityDailyAqi(ctx: Ctx, from: string, to: string): Promise<DailyAqi[]> {
  const tz = ctx.app.config.timeZone;
  const totals = await airRepository.totals(ctx.db, '/', DAILY_METRICS, 'day', from, to);
  const means = totals.map((t) => ({ date: t.bucket, metric: t.metric, mean: Number(t.sum) / Number(t.n) }));
  const fromIso = new Date(fromLocal(from, 0, tz)).toISOString();
  const toIso = new Date(fromLocal(to, 0, tz)).toISOString();
  const hours = (await airRepository.totals(ctx.db, '/', ['o3'], 'hour', fromIso, toIso)).map((h) => {
    const local = toLocal(new Date(h.bucket), tz);
    return { date: local.date, hour: Math.floor(local.msOfDay / 3_600_000), mean: Number(h.sum) / Number(h.n) };
  });
  return dailyAqiSeries(means, hours);
}
