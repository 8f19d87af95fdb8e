import { describe, expect, it } from 'vitest';
import { isWorkday, makeWorkCalendar, periodMinutesPerDay } from './calendar.js';
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

describe('WorkCalendar', () => {
  const cal = makeWorkCalendar({ overrides: chineseDaysEntries().map((e) => [e.date, e] as const) });

  it('is Mon–Fri unless overridden by holidays and 调休 make-up workdays', () => {
    expect(isWorkday(cal, '2026-03-03')).toBe(true);
    expect(isWorkday(cal, '2026-03-07')).toBe(false);
    expect(isWorkday(cal, '2026-10-01')).toBe(false);
    expect(isWorkday(cal, '2026-02-14')).toBe(true);
    expect(isWorkday(cal, '2026-10-10')).toBe(true);
    expect(cal.overrides.get('2026-10-10')?.name).toBe('国庆节补班');
  });

  it('defaults to Asia/Shanghai, 08:30–12:00 + 13:30–17:30 (450 min) and 8 h per 工作日', () => {
    const plain = makeWorkCalendar();
    expect(plain.timeZone).toBe('Asia/Shanghai');
    expect(periodMinutesPerDay(plain)).toBe(450);
    expect(plain.hoursPerWorkDay).toBe(8);
  });

  it('refuses a bad zone, bad periods or a bad day length', () => {
    expect(() => makeWorkCalendar({ timeZone: 'Mars/Olympus' })).toThrow(/time zone/);
    expect(() => makeWorkCalendar({ periods: [] })).toThrow(/periods/);
    expect(() => makeWorkCalendar({ periods: [{ start: 600, end: 700 }, { start: 650, end: 800 }] })).toThrow(/periods/);
    expect(() => makeWorkCalendar({ hoursPerWorkDay: 0 })).toThrow(/hoursPerWorkDay/);
  });
});
