/**
 * Calendar dates as 'YYYY-MM-DD' strings: a date in the city, with no time and no zone.
 * Arithmetic runs on the proleptic Gregorian calendar through Date.UTC, so it never depends on
 * the process time zone.
 */

const DAY_MS = 86_400_000;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether `text` is a real calendar date 'YYYY-MM-DD' (no 2026-02-30). */
export function isIsoDate(text: string): boolean {
  const m = DATE_RE.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, mo, 0)).getUTCDate();
}

/** Days since 1970-01-01 of a valid ISO date (the caller validates with isIsoDate). */
export function dayNumber(date: string): number {
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / DAY_MS;
}

/** The ISO date of a day number. */
export function dateOfDayNumber(n: number): string {
  // Every local-time conversion ends here, and a store's events fall on a few thousand days: a
  // Date and its ISO string per call showed in the history import's profile.
  let date = DATES.get(n);
  if (date === undefined) {
    date = new Date(n * DAY_MS).toISOString().slice(0, 10);
    if (DATES.size >= 50_000) DATES.clear();
    DATES.set(n, date);
  }
  return date;
}

const DATES = new Map<number, string>();

/** `date` plus `days` calendar days (negative goes back). */
export function addDays(date: string, days: number): string {
  return dateOfDayNumber(dayNumber(date) + days);
}

/** Whole calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from);
}

/** ISO weekday of a date: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: string): number {
  return ((((dayNumber(date) + 3) % 7) + 7) % 7) + 1;
}

/** Every date from `from` to `to`, both included. */
export function datesInRange(from: string, to: string): string[] {
  const out: string[] = [];
  for (let n = dayNumber(from), end = dayNumber(to); n <= end; n++) out.push(dateOfDayNumber(n));
  return out;
}
