import { AppError } from '../errors.js';
import { isWorkday, periodMinutesPerDay, type WorkCalendar } from './calendar.js';
import { addDays, dayNumber } from '../time/local-date.js';
import { fromLocal, steadyOffsetOn, toLocal } from '../time/zoned-time.js';

/**
 * Deadline maths on a WorkCalendar. Pure: no clock, no database, no process time zone.
 *
 * Semantics of a limit `{amount, unit}` added to an instant `start`:
 * - `work_hours`: only time inside the work periods of workdays counts. The deadline is the
 *   earliest instant at which `amount` hours of working time have elapsed since `start`; so intake
 *   at night, at lunch or on a day off starts counting at the next period start, and a deadline
 *   that lands exactly on a period end stays there (17:30, not 08:30 next workday).
 * - `work_days`: N 工作日 = N × `hoursPerWorkDay` 工作时 (1 工作日 = 8 工作时 by default), then as
 *   work_hours. This keeps mixed limits ("4 工作时 + 2 工作日") additive and fractions meaningful.
 *   Note: when the periods of a day do not add up to hoursPerWorkDay (the defaults give 7.5 h),
 *   a 工作日 spills over into the next workday by the difference.
 * - `calendar_days` (自然日): whole days move the local wall-clock date by N keeping the local time
 *   of day (so a DST day is 23 or 25 h); a fractional rest adds rest × 24 h of elapsed time.
 * - `hours`, `minutes`: plain elapsed time.
 * - amount 0 returns `start` itself in every unit. Amounts are rounded to whole milliseconds.
 */

/** Units a time limit can be expressed in: 工作时, 工作日, 自然日, hours, minutes. */
export const TIME_UNITS = ['work_hours', 'work_days', 'calendar_days', 'hours', 'minutes'] as const;
/** One of TIME_UNITS. */
export type TimeUnit = (typeof TIME_UNITS)[number];

/** A stage or case time limit, e.g. { amount: 4, unit: 'work_hours' } for 4 工作时. */
export interface TimeLimit {
  amount: number;
  unit: TimeUnit;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** Working time never runs past this many days: a guard against absurd limits. */
const MAX_SCAN_DAYS = 366 * 30;

type Interval = readonly [number, number];
const intervalCache = new WeakMap<WorkCalendar, Map<string, readonly Interval[]>>();

function computeIntervals(cal: WorkCalendar, date: string): Interval[] {
  if (!isWorkday(cal, date)) return [];
  // Two Intl calls per day instead of two per period boundary, unless the offset changes that day.
  const offset = steadyOffsetOn(date, cal.timeZone);
  const instant = (minute: number) =>
    offset === null ? fromLocal(date, minute * 60_000, cal.timeZone) : (dayNumber(date) * 1440 + minute) * 60_000 - offset;
  return cal.periods.map((p): Interval => [instant(p.start), instant(p.end)]).filter(([a, b]) => b > a);
}

/** The working intervals [startMs, endMs) of one local date: empty on a day off. */
export function workIntervals(cal: WorkCalendar, date: string): readonly Interval[] {
  let byDate = intervalCache.get(cal);
  if (!byDate) intervalCache.set(cal, (byDate = new Map()));
  let intervals = byDate.get(date);
  if (!intervals) {
    intervals = computeIntervals(cal, date);
    if (byDate.size > 20_000) byDate.clear();
    byDate.set(date, intervals);
  }
  return intervals;
}

/** Whether a limit's clock counts working time (work_hours, work_days) rather than elapsed time. */
export function isWorkingUnit(unit: TimeUnit): boolean {
  return unit === 'work_hours' || unit === 'work_days';
}

/** Milliseconds of working time from `from` to `to` (0 when `to` is not after `from`). */
export function workingMsBetween(from: Date, to: Date, cal: WorkCalendar): number {
  const [a, b] = [from.getTime(), to.getTime()];
  if (!(b > a)) return 0;
  let total = 0;
  const last = toLocal(b, cal.timeZone).date;
  for (let date = toLocal(a, cal.timeZone).date; date <= last; date = addDays(date, 1)) {
    for (const [s, e] of workIntervals(cal, date)) total += Math.max(0, Math.min(e, b) - Math.max(s, a));
  }
  return total;
}

function tooFar(): AppError {
  return new AppError('validation_failed', `the time limit reaches more than ${MAX_SCAN_DAYS} days ahead`, { field: 'amount' });
}

/** The earliest instant at which `ms` of working time have elapsed since `start`. Throws validation_failed (field amount) beyond the scan guard. */
export function addWorkingMs(start: Date, ms: number, cal: WorkCalendar): Date {
  const cursor = start.getTime();
  let remaining = Math.round(ms);
  if (remaining <= 0) return new Date(cursor);
  if (remaining > MAX_SCAN_DAYS * periodMinutesPerDay(cal) * 60_000) throw tooFar();
  let date = toLocal(cursor, cal.timeZone).date;
  for (let i = 0; i < MAX_SCAN_DAYS; i++, date = addDays(date, 1)) {
    for (const [s, e] of workIntervals(cal, date)) {
      if (e <= cursor) continue;
      const from = Math.max(s, cursor);
      if (remaining <= e - from) return new Date(from + remaining);
      remaining -= e - from;
    }
  }
  throw tooFar();
}

/** The working or elapsed milliseconds a limit allows: `amount` × its unit (calendar_days as 24 h days). */
export function limitMs(limit: TimeLimit, cal: WorkCalendar): number {
  const perUnit = { work_hours: HOUR_MS, work_days: cal.hoursPerWorkDay * HOUR_MS, calendar_days: DAY_MS, hours: HOUR_MS, minutes: 60_000 }[limit.unit];
  return Math.round(limit.amount * perUnit);
}

function validateLimit(start: Date, amount: number, unit: string): asserts unit is TimeUnit {
  if (Number.isNaN(start.getTime())) throw new AppError('validation_failed', 'start is not a valid instant', { field: 'start' });
  if (!(TIME_UNITS as readonly string[]).includes(unit)) throw new AppError('validation_failed', `unit must be one of ${TIME_UNITS.join(', ')}`, { field: 'unit' });
  if (!Number.isFinite(amount) || amount < 0) throw new AppError('validation_failed', 'amount must be a finite number ≥ 0', { field: 'amount' });
}

function addCalendarDays(start: Date, days: number, cal: WorkCalendar): Date {
  const whole = Math.trunc(days);
  const rest = Math.round((days - whole) * DAY_MS);
  if (whole === 0) return new Date(start.getTime() + rest);
  const local = toLocal(start, cal.timeZone);
  return new Date(fromLocal(addDays(local.date, whole), local.msOfDay, cal.timeZone) + rest);
}

/**
 * The deadline of a limit started at `start` (semantics in this file's header). Throws
 * validation_failed naming `start`, `unit` or `amount` for an invalid instant, unknown unit,
 * negative/non-finite amount, or a limit beyond the scan guard.
 */
export function addWorkingTime(start: Date, amount: number, unit: TimeUnit, cal: WorkCalendar): Date {
  validateLimit(start, amount, unit);
  if (amount === 0) return new Date(start.getTime());
  if (isWorkingUnit(unit)) return addWorkingMs(start, limitMs({ amount, unit }, cal), cal);
  if (unit === 'calendar_days') return addCalendarDays(start, amount, cal);
  return new Date(start.getTime() + limitMs({ amount, unit }, cal));
}

/** Milliseconds on a limit's clock between two instants: working time for work units, else elapsed time (never negative). */
export function clockMsBetween(unit: TimeUnit, from: Date, to: Date, cal: WorkCalendar): number {
  return isWorkingUnit(unit) ? workingMsBetween(from, to, cal) : Math.max(0, to.getTime() - from.getTime());
}

/** The earliest instant `ms` later than `from` on a limit's clock (working time for work units). */
export function addClockMs(unit: TimeUnit, from: Date, ms: number, cal: WorkCalendar): Date {
  return isWorkingUnit(unit) ? addWorkingMs(from, ms, cal) : new Date(from.getTime() + Math.round(Math.max(0, ms)));
}

/**
 * The share of the time from `start` to `deadline` used up at `now`, on the unit's clock
 * (0.5 = half, 1 = at the deadline, above 1 = overdue). Outside working hours the share of a
 * work-unit limit stands still. A zero-length budget gives 0 before anything elapses, else Infinity.
 */
export function elapsedFraction(start: Date, deadline: Date, now: Date, unit: TimeUnit, cal: WorkCalendar): number {
  const budget = clockMsBetween(unit, start, deadline, cal);
  const used = clockMsBetween(unit, start, now, cal);
  if (budget <= 0) return used > 0 ? Infinity : 0;
  return used / budget;
}
