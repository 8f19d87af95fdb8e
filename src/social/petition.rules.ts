import { AppError } from '../errors.js';
import { addDays, daysBetween } from '../time/local-date.js';
import { localDate } from '../time/zoned-time.js';

/**
 * Whether `at` falls within `days` calendar days after `from`, counted in the city's dates: the day
 * of `from` is day 0, so with 30 days a request on day 30 is in time and on day 31 is not.
 */
export function withinWindow(from: Date, at: Date, days: number, timeZone: string): boolean {
  return daysBetween(localDate(from, timeZone), localDate(at, timeZone)) <= days;
}

/** The last local date of a window of `days` after `from`. */
export function windowEnd(from: Date, days: number, timeZone: string): string {
  return addDays(localDate(from, timeZone), days);
}

/**
 * Refuses a 复查 / 复核 request outside its window (window_closed, naming the window's last day).
 * `from` is when the petitioner received the reply or opinion; null means there was none.
 */
export function assertWithinWindow(what: '复查' | '复核', from: string | null, at: Date, days: number, timeZone: string): void {
  if (!from) throw new AppError('transition_not_allowed', `a ${what} needs the earlier written reply on record`);
  const start = new Date(from);
  if (!withinWindow(start, at, days, timeZone)) {
    const last = windowEnd(start, days, timeZone);
    throw new AppError('window_closed', `the ${what} request came after its ${days}-day window, which closed at the end of ${last}`, { field: 'action', windowEnd: last });
  }
}

/** 集体访: five or more petitioners. */
export function isCollective(petitioners: number): boolean {
  return petitioners >= 5;
}

/** The org level a unit's path stands at: /city/district/street/community/grid/. */
export function levelOfPath(path: string): 'city' | 'district' | 'street' | 'community' | 'grid' {
  const depth = path.split('/').filter(Boolean).length;
  return (['city', 'district', 'street', 'community', 'grid'] as const)[Math.min(4, Math.max(0, depth - 1))];
}
