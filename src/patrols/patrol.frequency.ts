import { AppError } from '../errors.js';
import { addDays } from '../time/local-date.js';

/**
 * Frequency rules are data: a period unit and how many patrols it requires ("每周 1 次" =
 * { period: 'week', times: 1 }). A 旬 is a third of a month: days 1–10, 11–20 and 21 to the end.
 * Weeks start on Monday (ISO). Dates are local calendar dates "YYYY-MM-DD" in the city's zone.
 */
export const PERIOD_UNITS = ['day', 'week', 'xun', 'month', 'quarter', 'halfyear', 'year'] as const;
export type PeriodUnit = (typeof PERIOD_UNITS)[number];

/** How each unit reads in Chinese, for "每周 1 次". */
export const PERIOD_LABELS: Record<PeriodUnit, string> = { day: '每日', week: '每周', xun: '每旬', month: '每月', quarter: '每季度', halfyear: '每半年', year: '每年' };

export interface FrequencyRule {
  period: PeriodUnit;
  times: number;
}

/** A period: its first and last local dates, both inclusive. */
export interface Period {
  start: string;
  end: string;
}

const toMs = (date: string) => Date.parse(`${date}T00:00:00Z`);
const toDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const ymd = (date: string) => ({ y: Number(date.slice(0, 4)), m: Number(date.slice(5, 7)), d: Number(date.slice(8, 10)) });
const dateOf = (y: number, m: number, d: number) => toDate(Date.UTC(y, m - 1, d));
const lastDay = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

/**
 * Parses a rule written as "week:1" or "每周1次" / "每周 1 次". Throws validation_failed.
 */
export function parseFrequency(text: string): FrequencyRule {
  const plain = /^(day|week|xun|month|quarter|halfyear|year):(\d{1,3})$/.exec(text.trim());
  if (plain && Number(plain[2]) >= 1) return { period: plain[1] as PeriodUnit, times: Number(plain[2]) };
  const zh = /^(每日|每周|每旬|每月|每季度|每半年|每年)\s*(\d{1,3})\s*次$/.exec(text.trim());
  if (zh && Number(zh[2]) >= 1) {
    const period = (Object.keys(PERIOD_LABELS) as PeriodUnit[]).find((u) => PERIOD_LABELS[u] === zh[1]) as PeriodUnit;
    return { period, times: Number(zh[2]) };
  }
  throw new AppError('validation_failed', `frequency "${text}" is not like "week:1" or "每周 1 次"`, { field: 'frequency' });
}

/** "每周 1 次". */
export function formatFrequency(rule: FrequencyRule): string {
  return `${PERIOD_LABELS[rule.period]} ${rule.times} 次`;
}

/** The period of `unit` that contains local date `date`. */
export function periodOf(date: string, unit: PeriodUnit): Period {
  const { y, m, d } = ymd(date);
  switch (unit) {
    case 'day':
      return { start: date, end: date };
    case 'week': {
      const weekday = (new Date(toMs(date)).getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
      const start = addDays(date, -weekday);
      return { start, end: addDays(start, 6) };
    }
    case 'xun': {
      const third = d <= 10 ? 0 : d <= 20 ? 1 : 2;
      return { start: dateOf(y, m, third * 10 + 1), end: third < 2 ? dateOf(y, m, third * 10 + 10) : dateOf(y, m, lastDay(y, m)) };
    }
    case 'month':
      return { start: dateOf(y, m, 1), end: dateOf(y, m, lastDay(y, m)) };
    case 'quarter': {
      const first = Math.floor((m - 1) / 3) * 3 + 1;
      return { start: dateOf(y, first, 1), end: dateOf(y, first + 2, lastDay(y, first + 2)) };
    }
    case 'halfyear': {
      const first = m <= 6 ? 1 : 7;
      return { start: dateOf(y, first, 1), end: dateOf(y, first + 5, lastDay(y, first + 5)) };
    }
    case 'year':
      return { start: dateOf(y, 1, 1), end: dateOf(y, 12, 31) };
  }
}

/**
 * The periods of `unit` lying wholly inside [from, to] (local dates, inclusive), in order. A
 * period cut by the window's edge is left out: a month's patrols are not owed in a week's report.
 */
export function periodsWithin(from: string, to: string, unit: PeriodUnit): Period[] {
  const out: Period[] = [];
  let p = periodOf(from, unit);
  if (p.start < from) p = periodOf(addDays(p.end, 1), unit);
  while (p.end <= to) {
    out.push(p);
    p = periodOf(addDays(p.end, 1), unit);
  }
  return out;
}
