/** A stretch of a date range read at one grain: days (YYYY-MM-DD) or whole months (YYYY-MM), inclusive. */
export interface PeriodPart {
  grain: 'd' | 'm';
  from: string;
  to: string;
}

const DAY = 86_400_000;
const shift = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
const lastOfMonth = (date: string) => new Date(Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)), 0)).toISOString().slice(0, 10);

/**
 * Splits local dates [from, to] into the months it covers whole (read from month rows) and the
 * days before and after them (read from day rows), so any range reads at most ~60 day rows and
 * a month row per month per key. With `byDay` the whole range is days. Pure.
 */
export function periodParts(from: string, to: string, byDay = false): PeriodPart[] {
  if (byDay) return [{ grain: 'd', from, to }];
  const firstFull = from.endsWith('-01') ? from : shift(lastOfMonth(from), 1);
  const lastFull = lastOfMonth(to) === to ? to : shift(`${to.slice(0, 8)}01`, -1);
  if (firstFull > lastFull) return [{ grain: 'd', from, to }];
  const parts: PeriodPart[] = [];
  if (from < firstFull) parts.push({ grain: 'd', from, to: shift(firstFull, -1) });
  parts.push({ grain: 'm', from: firstFull.slice(0, 7), to: lastFull.slice(0, 7) });
  if (lastFull < to) parts.push({ grain: 'd', from: shift(lastFull, 1), to });
  return parts;
}
