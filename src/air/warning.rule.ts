import type { WarningLevel } from './warning.tables.js';

/**
 * 重污染天气预警分级 as a pure function (环办大气函〔2019〕648号, the unified standard), on a run of
 * consecutive city days' AQI (measured, then forecast):
 *   红色: AQI > 200 for 3 days (72 h) or more, with AQI > 300 on at least one of them;
 *   橙色: AQI > 200 for 2 days (48 h), or AQI > 150 for 3 days (72 h) or more;
 *   黄色: AQI > 200 on a day (24 h), or AQI > 150 for 2 days (48 h) or more.
 * Each level applies only when the higher ones do not. A gap in the dates breaks a run.
 */

export const WARNING_LEVELS = ['yellow', 'orange', 'red'] as const satisfies readonly WarningLevel[];
export const LEVEL_NAMES: Record<WarningLevel, string> = { yellow: '黄色预警', orange: '橙色预警', red: '红色预警' };

export interface DayAqi { date: string; aqi: number }

/** Runs of consecutive days (by date) on which `holds`, each as its days. */
function runs(days: DayAqi[], holds: (d: DayAqi) => boolean): DayAqi[][] {
  const out: DayAqi[][] = [];
  let current: DayAqi[] = [];
  let previous: string | null = null;
  for (const d of [...days].sort((a, b) => (a.date < b.date ? -1 : 1))) {
    const next = previous !== null && Date.parse(d.date) - Date.parse(previous) === 86_400_000;
    if (!holds(d) || !next) {
      if (current.length) out.push(current);
      current = [];
    }
    if (holds(d)) current.push(d);
    previous = d.date;
  }
  if (current.length) out.push(current);
  return out;
}

/** The warning level a run of days calls for, with the reason; null when none. */
export function warningLevelFor(days: DayAqi[]): { level: WarningLevel; reason: string } | null {
  const over200 = runs(days, (d) => d.aqi > 200);
  const over150 = runs(days, (d) => d.aqi > 150);
  const longest = (rs: DayAqi[][]) => Math.max(0, ...rs.map((r) => r.length));
  const red = over200.find((r) => r.length >= 3 && r.some((d) => d.aqi > 300));
  if (red) return { level: 'red', reason: `日 AQI > 200 连续 ${red.length} 天（${red[0].date} 起），其中 AQI > 300 的有 ${red.filter((d) => d.aqi > 300).length} 天` };
  if (longest(over200) >= 2) return { level: 'orange', reason: `日 AQI > 200 连续 ${longest(over200)} 天` };
  if (longest(over150) >= 3) return { level: 'orange', reason: `日 AQI > 150 连续 ${longest(over150)} 天` };
  if (longest(over200) >= 1) return { level: 'yellow', reason: '日 AQI > 200' };
  if (longest(over150) >= 2) return { level: 'yellow', reason: `日 AQI > 150 连续 ${longest(over150)} 天` };
  return null;
}

/** Whether level `a` is above level `b`. */
export function isAbove(a: WarningLevel, b: WarningLevel): boolean {
  return WARNING_LEVELS.indexOf(a) > WARNING_LEVELS.indexOf(b);
}
