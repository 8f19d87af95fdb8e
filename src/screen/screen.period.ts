/** The periods the big screen offers; each also has the period of the same length before it. */
export const SCREEN_PERIODS = ['today', '7d', '30d', 'year'] as const;
export type ScreenPeriod = (typeof SCREEN_PERIODS)[number];

export interface DateRange {
  from: string;
  to: string;
}

const DAY = 86_400_000;
const shift = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
const span = (r: DateRange) => Math.round((Date.parse(`${r.to}T00:00:00Z`) - Date.parse(`${r.from}T00:00:00Z`)) / DAY) + 1;

/**
 * Local dates [from, to] of a period ending on `today` (a local date): today, the last 7 or 30
 * days including today, or the calendar year to date. Pure.
 */
export function periodRange(period: ScreenPeriod, today: string): DateRange {
  switch (period) {
    case 'today': return { from: today, to: today };
    case '7d': return { from: shift(today, -6), to: today };
    case '30d': return { from: shift(today, -29), to: today };
    case 'year': return { from: `${today.slice(0, 4)}-01-01`, to: today };
  }
}

/**
 * The period just before `r` with as many days (for a year to date: the same dates of the year
 * before, so 1 Jan–29 Nov compares with 1 Jan–29 Nov). Pure.
 */
export function previousRange(r: DateRange, period?: ScreenPeriod): DateRange {
  if (period === 'year') {
    const year = String(Number(r.from.slice(0, 4)) - 1);
    const to = `${year}${r.to.slice(4)}`;
    // 29 Feb of a leap year compares with 28 Feb
    return { from: `${year}-01-01`, to: to.endsWith('02-29') ? `${year}-02-28` : to };
  }
  const days = span(r);
  return { from: shift(r.from, -days), to: shift(r.from, -1) };
}
