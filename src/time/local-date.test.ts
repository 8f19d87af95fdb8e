import { describe, expect, it } from 'vitest';
import { addDays, dateOfDayNumber, datesInRange, dayNumber, daysBetween, isIsoDate, isoWeekday } from './local-date.js';

describe('isIsoDate', () => {
  it('knows month lengths and the Gregorian leap years', () => {
    expect(['2026-01-31', '2026-04-30', '2024-02-29', '2000-02-29', '2026-12-01', '0001-01-01'].map(isIsoDate)).toEqual([true, true, true, true, true, true]);
    expect(['2026-04-31', '2026-02-29', '1900-02-29', '2100-02-29', '2026-01-32', '2026-01-00', '2026-00-01', '2026-13-01'].map(isIsoDate)).toEqual([false, false, false, false, false, false, false, false]);
  });

  it('wants exactly YYYY-MM-DD', () => {
    expect(['2026-1-01', '2026-01-1', '26-01-01', '2026/01/01', '2026-01-01T00:00', ' 2026-01-01', '2026-01-01 ', ''].some(isIsoDate)).toBe(false);
  });
});

describe('day numbers and arithmetic', () => {
  it('counts days from 1970-01-01', () => {
    expect(dayNumber('1970-01-01')).toBe(0);
    expect(dayNumber('1970-01-02')).toBe(1);
    expect(dayNumber('1969-12-31')).toBe(-1);
    expect(dayNumber('2000-01-01')).toBe(10957);
    expect(dateOfDayNumber(0)).toBe('1970-01-01');
    expect(dateOfDayNumber(10957)).toBe('2000-01-01');
    expect(dateOfDayNumber(-1)).toBe('1969-12-31');
  });

  it('adds and subtracts days across months, years and leap days', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
    expect(addDays('2026-11-30', 0)).toBe('2026-11-30');
    expect(daysBetween('2026-01-01', '2027-01-01')).toBe(365);
    expect(daysBetween('2024-01-01', '2025-01-01')).toBe(366);
    expect(daysBetween('2026-03-10', '2026-03-01')).toBe(-9);
  });

  it('gives the ISO weekday, also before 1970', () => {
    // 2026-11-30 is a Monday; 1970-01-01 was a Thursday; 1969-12-28 a Sunday; 1949-10-01 a Saturday.
    expect(['2026-11-30', '2026-12-01', '2026-12-05', '2026-12-06'].map(isoWeekday)).toEqual([1, 2, 6, 7]);
    expect(['1970-01-01', '1969-12-31', '1969-12-28', '1969-12-29', '1949-10-01'].map(isoWeekday)).toEqual([4, 3, 7, 1, 6]);
  });

  it('lists a range with both ends, one day for from = to, none when reversed', () => {
    expect(datesInRange('2026-12-30', '2027-01-02')).toEqual(['2026-12-30', '2026-12-31', '2027-01-01', '2027-01-02']);
    expect(datesInRange('2026-05-01', '2026-05-01')).toEqual(['2026-05-01']);
    expect(datesInRange('2026-05-02', '2026-05-01')).toEqual([]);
  });
});
