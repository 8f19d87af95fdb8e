import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.js';
import { datesInRange } from '../time/local-date.js';
import { noticeEntries, type HolidayNotice } from './notice.js';

/**
 * The 2026 notice (国务院办公厅关于2026年部分节假日安排的通知, gov.cn 2025-11), as listed in
 * ../shared/reference/cn-governance-rules.md §8: seven holidays and six 调休 make-up workdays.
 */
const NOTICE_2026: HolidayNotice = {
  year: 2026,
  holidays: [
    { name: '元旦', from: '2026-01-01', to: '2026-01-03' },
    { name: '春节', from: '2026-02-15', to: '2026-02-23' },
    { name: '清明节', from: '2026-04-04', to: '2026-04-06' },
    { name: '劳动节', from: '2026-05-01', to: '2026-05-05' },
    { name: '端午节', from: '2026-06-19', to: '2026-06-21' },
    { name: '中秋节', from: '2026-09-25', to: '2026-09-27' },
    { name: '国庆节', from: '2026-10-01', to: '2026-10-07' },
  ],
  workdays: ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'],
};

const refusal = (notice: HolidayNotice) => {
  try {
    noticeEntries(notice);
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    return err as AppError;
  }
  throw new Error('expected a refusal');
};

describe('noticeEntries: the 2026 notice', () => {
  it('gives 33 days off and 6 make-up workdays, in date order', () => {
    const entries = noticeEntries(NOTICE_2026);
    expect(entries).toHaveLength(3 + 9 + 3 + 5 + 3 + 3 + 7 + 6);
    expect(entries.map((e) => e.date)).toEqual([...entries.map((e) => e.date)].sort());
    expect(entries.filter((e) => e.isWorkday).map((e) => e.date)).toEqual(NOTICE_2026.workdays);
    expect(entries.filter((e) => !e.isWorkday).map((e) => e.date)).toEqual(NOTICE_2026.holidays.flatMap((h) => datesInRange(h.from, h.to)));
    expect(entries.find((e) => e.date === '2026-02-18')).toEqual({ date: '2026-02-18', isWorkday: false, name: '春节' });
  });

  it('names each make-up workday after the holiday next to it', () => {
    const names = new Map(noticeEntries(NOTICE_2026).map((e) => [e.date, e.name]));
    // 2026-09-20 is left out: the notice gives it to 国庆节, but 中秋节 is nearer (see docs/TESTING.md).
    expect(['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-10-10'].map((d) => names.get(d))).toEqual(['元旦补班', '春节补班', '春节补班', '劳动节补班', '国庆节补班']);
  });

  it('sorts by date whatever order the notice lists things in', () => {
    const reversed = { ...NOTICE_2026, holidays: [...NOTICE_2026.holidays].reverse(), workdays: [...NOTICE_2026.workdays].reverse() };
    expect(noticeEntries(reversed)).toEqual(noticeEntries(NOTICE_2026));
  });
});

describe('noticeEntries: nearest holiday, by either end', () => {
  it('measures to the end of a long holiday after it and to the start of one before it', () => {
    const after = { year: 2027, holidays: [{ name: '长假', from: '2027-01-01', to: '2027-01-20' }, { name: '短假', from: '2027-01-30', to: '2027-01-31' }], workdays: ['2027-01-23'] };
    expect(noticeEntries(after).find((e) => e.date === '2027-01-23')?.name).toBe('长假补班');
    const before = { year: 2027, holidays: [{ name: '短假', from: '2027-01-01', to: '2027-01-02' }, { name: '长假', from: '2027-01-10', to: '2027-01-31' }], workdays: ['2027-01-08'] };
    expect(noticeEntries(before).find((e) => e.date === '2027-01-08')?.name).toBe('长假补班');
  });

  it('calls a workday of a notice without holidays 调休上班', () => {
    expect(noticeEntries({ year: 2027, holidays: [], workdays: ['2027-06-05'] })).toEqual([{ date: '2027-06-05', isWorkday: true, name: '调休上班' }]);
    expect(noticeEntries({ year: 2027, holidays: [], workdays: [] })).toEqual([]);
  });
});

describe('noticeEntries: refusals', () => {
  it('accepts a one-day holiday and one of 31 days, refuses 32 days', () => {
    expect(noticeEntries({ year: 2027, holidays: [{ name: '一天', from: '2027-05-01', to: '2027-05-01' }], workdays: [] })).toEqual([{ date: '2027-05-01', isWorkday: false, name: '一天' }]);
    expect(noticeEntries({ year: 2027, holidays: [{ name: '长', from: '2027-07-01', to: '2027-07-31' }], workdays: [] })).toHaveLength(31);
    const err = refusal({ year: 2027, holidays: [{ name: '长', from: '2027-07-01', to: '2027-08-01' }], workdays: [] });
    expect(err).toMatchObject({ code: 'validation_failed', details: { field: 'holidays.0.to' } });
    expect(err.message).toBe('holidays.0 must run forward over 1–31 days');
  });

  it('says what is wrong with a date, an overlap or a workday inside a holiday', () => {
    const base = { year: 2027, holidays: [{ name: '春节', from: '2027-02-05', to: '2027-02-11' }], workdays: [] as string[] };
    expect(refusal({ ...base, workdays: ['2027-13-01'] }).message).toBe('workdays.0 "2027-13-01" is not a date YYYY-MM-DD');
    expect(refusal({ ...base, holidays: [{ name: 'x', from: '2027-01-01', to: '2028-01-01' }] })).toMatchObject({ message: 'holidays.0.to 2028-01-01 is not in 2027', details: { field: 'holidays.0.to' } });
    expect(refusal({ ...base, workdays: ['2027-02-13', '2026-12-31'] })).toMatchObject({ message: 'workdays.1 2026-12-31 is not in 2027', details: { field: 'workdays.1' } });
    expect(refusal({ ...base, holidays: [...base.holidays, { name: 'x', from: '2027-02-11', to: '2027-02-12' }] }).message).toBe('holidays.1 overlaps another holiday on 2027-02-11');
    expect(refusal({ ...base, workdays: ['2027-02-08'] }).message).toBe('workdays.0 2027-02-08 is inside a holiday');
  });
});
