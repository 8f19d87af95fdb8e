import { describe, expect, it } from 'vitest';
import { formatFrequency, parseFrequency, periodOf, periodsWithin } from './patrol.frequency.js';

/*
 *        November 2026                 December 2026
 *  Mo Tu We Th Fr Sa Su          Mo Tu We Th Fr Sa Su
 *                     1              1  2  3  4  5  6
 *   2  3  4  5  6  7  8           7  8  9 10 11 12 13
 *   9 10 11 12 13 14 15          14 15 16 17 18 19 20
 *  16 17 18 19 20 21 22          21 22 23 24 25 26 27
 *  23 24 25 26 27 28 29          28 29 30 31
 *  30
 */
describe('frequency rules', () => {
  it('reads rules written as data or in Chinese, and refuses others', () => {
    expect(parseFrequency('week:1')).toEqual({ period: 'week', times: 1 });
    expect(parseFrequency('每旬 2 次')).toEqual({ period: 'xun', times: 2 });
    expect(parseFrequency('每季度1次')).toEqual({ period: 'quarter', times: 1 });
    expect(formatFrequency({ period: 'month', times: 3 })).toBe('每月 3 次');
    for (const bad of ['week:0', 'fortnight:1', '每周', 'week:-1', '']) expect(() => parseFrequency(bad), bad).toThrow(/frequency/);
  });

  it('finds the period around a date: ISO weeks, 旬 of 10/10/rest days, quarters', () => {
    expect(periodOf('2026-11-26', 'week')).toEqual({ start: '2026-11-23', end: '2026-11-29' });
    expect(periodOf('2026-11-30', 'week')).toEqual({ start: '2026-11-30', end: '2026-12-06' });
    expect(periodOf('2026-11-10', 'xun')).toEqual({ start: '2026-11-01', end: '2026-11-10' });
    expect(periodOf('2026-11-11', 'xun')).toEqual({ start: '2026-11-11', end: '2026-11-20' });
    expect(periodOf('2026-11-30', 'xun')).toEqual({ start: '2026-11-21', end: '2026-11-30' });
    expect(periodOf('2026-02-25', 'xun')).toEqual({ start: '2026-02-21', end: '2026-02-28' });
    expect(periodOf('2026-11-26', 'quarter')).toEqual({ start: '2026-10-01', end: '2026-12-31' });
    expect(periodOf('2026-11-26', 'month')).toEqual({ start: '2026-11-01', end: '2026-11-30' });
  });

  it('counts only whole periods inside a window', () => {
    // 2026-11-04 (We) … 2026-11-29 (Su): the weeks of 9, 16 and 23 November; the week of 2 Nov is cut.
    expect(periodsWithin('2026-11-04', '2026-11-29', 'week').map((p) => p.start)).toEqual(['2026-11-09', '2026-11-16', '2026-11-23']);
    expect(periodsWithin('2026-11-01', '2026-11-30', 'xun')).toHaveLength(3);
    expect(periodsWithin('2026-11-01', '2026-11-30', 'month')).toHaveLength(1);
    expect(periodsWithin('2026-11-02', '2026-11-30', 'month')).toHaveLength(0);
    expect(periodsWithin('2026-11-01', '2026-11-07', 'day')).toHaveLength(7);
  });
});
