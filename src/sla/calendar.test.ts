import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.js';
import { calendarFromConfig, DEFAULT_WORK_PERIODS, isWorkday, makeWorkCalendar, periodMinutesPerDay } from './calendar.js';
import { chineseDaysEntries } from './calendar.seed.js';
import { addDays, datesInRange, daysBetween, isIsoDate, isoWeekday } from '../time/local-date.js';

describe('local dates', () => {
  it('validates real dates only', () => {
    expect(['2026-02-28', '2024-02-29', '2026-12-31'].every(isIsoDate)).toBe(true);
    expect(['2026-02-29', '2026-13-01', '2026-00-10', '2026-4-3', '20260403'].some(isIsoDate)).toBe(false);
  });

  it('does weekday and day arithmetic without a time zone', () => {
    expect(isoWeekday('2026-04-03')).toBe(5);
    expect(isoWeekday('2026-02-14')).toBe(6);
    expect(isoWeekday('2026-10-11')).toBe(7);
    expect(addDays('2026-12-30', 3)).toBe('2027-01-02');
    expect(daysBetween('2026-02-01', '2026-03-01')).toBe(28);
    expect(datesInRange('2026-02-27', '2026-03-02')).toEqual(['2026-02-27', '2026-02-28', '2026-03-01', '2026-03-02']);
  });
});

// Calendars are built inside each test, never at describe level: a mutant that makes the builder
// throw while the file loads would fail the whole file before any test, and Stryker's vitest
// runner counts a file that fails to load as no failed test, i.e. as a surviving mutant.
const chinaCalendar = () => makeWorkCalendar({ overrides: chineseDaysEntries().map((e) => [e.date, e] as const) });

/** The 2026 national holidays and 调休 make-up workdays (State Council notice of 2025-11), as listed in ../shared/reference/cn-governance-rules.md §8. */
const HOLIDAYS_2026: [name: string, first: string, last: string][] = [
  ['元旦', '2026-01-01', '2026-01-03'],
  ['春节', '2026-02-15', '2026-02-23'],
  ['清明', '2026-04-04', '2026-04-06'],
  ['劳动', '2026-05-01', '2026-05-05'],
  ['端午', '2026-06-19', '2026-06-21'],
  ['中秋', '2026-09-25', '2026-09-27'],
  ['国庆', '2026-10-01', '2026-10-07'],
];
const MAKE_UP_WORKDAYS_2026 = ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'];

describe('WorkCalendar', () => {
  it('is Mon–Fri unless overridden by holidays and 调休 make-up workdays', () => {
    const cal = chinaCalendar();
    expect(isWorkday(cal, '2026-03-03')).toBe(true);
    expect(isWorkday(cal, '2026-03-07')).toBe(false);
    expect(isWorkday(cal, '2026-10-01')).toBe(false);
    expect(isWorkday(cal, '2026-02-14')).toBe(true);
    expect(isWorkday(cal, '2026-10-10')).toBe(true);
    expect(cal.overrides.get('2026-10-10')?.name).toBe('国庆节补班');
  });

  it('knows every 2026 holiday and make-up workday of the State Council notice', () => {
    const cal = chinaCalendar();
    for (const [name, first, last] of HOLIDAYS_2026) {
      for (const date of datesInRange(first, last)) {
        expect(isWorkday(cal, date), `${name} ${date}`).toBe(false);
        expect(cal.overrides.get(date)?.name, date).toContain(name);
      }
    }
    for (const date of MAKE_UP_WORKDAYS_2026) {
      expect(isoWeekday(date), date).toBeGreaterThanOrEqual(6);
      expect(isWorkday(cal, date), date).toBe(true);
    }
    // The days just outside each holiday are plain weekdays (or weekends) again.
    expect(['2025-12-31', '2026-02-13', '2026-04-03', '2026-04-07', '2026-05-06', '2026-06-18', '2026-06-22', '2026-09-24', '2026-09-28', '2026-10-08', '2026-10-09'].map((d) => isWorkday(cal, d)))
      .toEqual([true, true, true, true, true, true, true, true, true, true, true]);
    expect(isWorkday(cal, '2026-10-11')).toBe(false);
  });

  it('without overrides: Monday to Friday work, Saturday and Sunday do not', () => {
    const plain = makeWorkCalendar();
    // 2026-11-23 is a Monday (an independent count: 2026-11-30, today, is one too).
    const week = datesInRange('2026-11-23', '2026-11-29');
    expect(week.map((d) => isWorkday(plain, d))).toEqual([true, true, true, true, true, false, false]);
    expect(isWorkday(plain, '2026-10-01')).toBe(true);
    expect(plain.overrides.size).toBe(0);
  });

  it('lets an override make a weekday off or a weekend day a workday, and keeps its name', () => {
    const cal = makeWorkCalendar({ overrides: [['2026-11-27', { isWorkday: false, name: '防汛停工' }], ['2026-11-28', { isWorkday: true, name: null }]] });
    expect(isWorkday(cal, '2026-11-27')).toBe(false);
    expect(isWorkday(cal, '2026-11-28')).toBe(true);
    expect(cal.overrides.get('2026-11-27')).toEqual({ isWorkday: false, name: '防汛停工' });
  });

  it('defaults to Asia/Shanghai, 08:30–12:00 + 13:30–17:30 (450 min) and 8 h per 工作日', () => {
    const plain = makeWorkCalendar();
    expect(plain.timeZone).toBe('Asia/Shanghai');
    // 08:30 = 510 min after midnight, 12:00 = 720, 13:30 = 810, 17:30 = 1050.
    expect(plain.periods).toEqual([{ start: 8.5 * 60, end: 12 * 60 }, { start: 13.5 * 60, end: 17.5 * 60 }]);
    expect(DEFAULT_WORK_PERIODS).toEqual(plain.periods);
    expect(periodMinutesPerDay(plain)).toBe(3.5 * 60 + 4 * 60);
    expect(plain.hoursPerWorkDay).toBe(8);
  });

  it('takes the zone, periods and day length it is given', () => {
    const cal = makeWorkCalendar({ timeZone: 'Asia/Urumqi', periods: [{ start: 600, end: 780 }, { start: 900, end: 1140 }], hoursPerWorkDay: 7 });
    expect(cal.timeZone).toBe('Asia/Urumqi');
    expect(cal.periods).toEqual([{ start: 600, end: 780 }, { start: 900, end: 1140 }]);
    expect(periodMinutesPerDay(cal)).toBe(180 + 240);
    expect(cal.hoursPerWorkDay).toBe(7);
  });

  it('builds a city calendar from configuration, with or without overrides', () => {
    const config = { timeZone: 'Asia/Chongqing', workPeriods: [{ start: 540, end: 1020 }], hoursPerWorkDay: 8 };
    const plain = calendarFromConfig(config);
    expect([plain.timeZone, plain.periods, plain.hoursPerWorkDay, plain.overrides.size]).toEqual(['Asia/Chongqing', [{ start: 540, end: 1020 }], 8, 0]);
    expect(periodMinutesPerDay(plain)).toBe(8 * 60);
    const withHoliday = calendarFromConfig(config, [['2026-10-08', { isWorkday: false, name: '国庆节' }]]);
    expect(isWorkday(withHoliday, '2026-10-08')).toBe(false);
    expect(isWorkday(plain, '2026-10-08')).toBe(true);
    expect(() => calendarFromConfig({ ...config, workPeriods: [] })).toThrow(/periods/);
  });

  const refusal = (fn: () => unknown, message: RegExp) => {
    let caught: unknown;
    try {
      fn();
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(AppError);
    expect(caught).toMatchObject({ code: 'config_invalid' });
    expect((caught as Error).message).toMatch(message);
  };

  it('refuses a bad zone, bad periods or a bad day length with config_invalid', () => {
    refusal(() => makeWorkCalendar({ timeZone: 'Mars/Olympus' }), /^"Mars\/Olympus" is not an IANA time zone$/);
    refusal(() => makeWorkCalendar({ periods: [] }), /^work periods must be non-empty, ordered, non-overlapping and inside one day$/);
    refusal(() => makeWorkCalendar({ hoursPerWorkDay: 0 }), /^hoursPerWorkDay must be in \(0, 24\]$/);
  });

  it('accepts periods that touch the day’s edges or each other, and refuses any that leave the day, are empty or overlap', () => {
    const ok = (periods: { start: number; end: number }[]) => makeWorkCalendar({ periods }).periods;
    expect(ok([{ start: 0, end: 1440 }])).toEqual([{ start: 0, end: 1440 }]);
    expect(ok([{ start: 480, end: 720 }, { start: 720, end: 1020 }])).toHaveLength(2);
    expect(ok([{ start: 0, end: 60 }, { start: 120, end: 180 }, { start: 180, end: 1440 }])).toHaveLength(3);
    const bad = /^work periods must/;
    refusal(() => makeWorkCalendar({ periods: [{ start: -1, end: 60 }] }), bad);
    refusal(() => makeWorkCalendar({ periods: [{ start: 600, end: 600 }] }), bad);
    refusal(() => makeWorkCalendar({ periods: [{ start: 700, end: 600 }] }), bad);
    refusal(() => makeWorkCalendar({ periods: [{ start: 600, end: 1441 }] }), bad);
    refusal(() => makeWorkCalendar({ periods: [{ start: 600, end: 700 }, { start: 650, end: 800 }] }), bad);
    refusal(() => makeWorkCalendar({ periods: [{ start: 600, end: 700 }, { start: 699, end: 800 }] }), bad);
    refusal(() => makeWorkCalendar({ periods: [{ start: 810, end: 1050 }, { start: 510, end: 720 }] }), bad);
    refusal(() => makeWorkCalendar({ periods: [{ start: 60, end: 120 }, { start: 130, end: 200 }, { start: 150, end: 300 }] }), bad);
  });

  it('accepts a day length in (0, 24] hours and nothing else', () => {
    expect([0.5, 6, 7.5, 24].map((h) => makeWorkCalendar({ hoursPerWorkDay: h }).hoursPerWorkDay)).toEqual([0.5, 6, 7.5, 24]);
    for (const h of [0, -8, 24.5, 25, Number.NaN]) refusal(() => makeWorkCalendar({ hoursPerWorkDay: h }), /^hoursPerWorkDay must be in/);
  });
});
