import type { Config, WorkPeriod } from '../config.js';
import { AppError } from '../errors.js';
import { isoWeekday } from '../time/local-date.js';

/** What one date is, when it differs from (or confirms) the Mon–Fri rule. */
export interface CalendarDay {
  isWorkday: boolean;
  /** Holiday or make-up workday name, e.g. 国庆节 / 国庆节补班; null for a plain day. */
  name: string | null;
}

/**
 * The city's working-time calendar, immutable: build a new one to change it.
 * A date is a workday when its override says so, else when it is Monday–Friday. On a workday,
 * working time runs inside `periods` (local wall clock of `timeZone`); 1 工作日 = `hoursPerWorkDay`
 * 工作时.
 */
export interface WorkCalendar {
  readonly timeZone: string;
  readonly periods: readonly WorkPeriod[];
  readonly hoursPerWorkDay: number;
  /** Per-date overrides keyed by 'YYYY-MM-DD' (holidays, 调休 make-up workdays, local exceptions). */
  readonly overrides: ReadonlyMap<string, CalendarDay>;
}

/** 08:30–12:00 and 13:30–17:30, the usual 机关 hours (config.workPeriods overrides them). */
export const DEFAULT_WORK_PERIODS: readonly WorkPeriod[] = [{ start: 510, end: 720 }, { start: 810, end: 1050 }];

/**
 * Builds a calendar; defaults are Asia/Shanghai, 08:30–12:00 and 13:30–17:30, 8 hours a day, no
 * overrides. Throws config_invalid for an unknown zone, empty/unordered periods or a non-positive day.
 */
export function makeWorkCalendar(input: {
  timeZone?: string;
  periods?: readonly WorkPeriod[];
  hoursPerWorkDay?: number;
  overrides?: Iterable<readonly [string, CalendarDay]>;
} = {}): WorkCalendar {
  const timeZone = input.timeZone ?? 'Asia/Shanghai';
  try {
    new Intl.DateTimeFormat('en', { timeZone });
  } catch {
    throw new AppError('config_invalid', `"${timeZone}" is not an IANA time zone`);
  }
  const periods = [...(input.periods ?? DEFAULT_WORK_PERIODS)];
  const ordered = periods.every((p, i) => p.start >= 0 && p.start < p.end && p.end <= 1440 && (i === 0 || p.start >= periods[i - 1].end));
  if (periods.length === 0 || !ordered) throw new AppError('config_invalid', 'work periods must be non-empty, ordered, non-overlapping and inside one day');
  const hoursPerWorkDay = input.hoursPerWorkDay ?? 8;
  if (!(hoursPerWorkDay > 0 && hoursPerWorkDay <= 24)) throw new AppError('config_invalid', 'hoursPerWorkDay must be in (0, 24]');
  return { timeZone, periods, hoursPerWorkDay, overrides: new Map(input.overrides ?? []) };
}

/** The calendar of a configured city with the given overrides. Throws config_invalid. */
export function calendarFromConfig(config: Pick<Config, 'timeZone' | 'workPeriods' | 'hoursPerWorkDay'>, overrides: Iterable<readonly [string, CalendarDay]> = []): WorkCalendar {
  return makeWorkCalendar({ timeZone: config.timeZone, periods: config.workPeriods, hoursPerWorkDay: config.hoursPerWorkDay, overrides });
}

/** Whether a local date ('YYYY-MM-DD') is a workday: its override, else Monday–Friday. */
export function isWorkday(cal: WorkCalendar, date: string): boolean {
  return cal.overrides.get(date)?.isWorkday ?? isoWeekday(date) <= 5;
}

/** Working minutes in one workday's periods (7.5 h = 450 for the defaults). */
export function periodMinutesPerDay(cal: WorkCalendar): number {
  return cal.periods.reduce((sum, p) => sum + p.end - p.start, 0);
}
