import { describe, expect, it } from 'vitest';
import { makeWorkCalendar } from './calendar.js';
import { chineseDaysEntries } from './calendar.seed.js';
import { extendStage, resumeStage, stageBudgetMs, stageDeadline, stageUsedMs, startStage, suspendStage } from './stage-clock.js';

// 2026, Asia/Shanghai, 08:30–12:00 + 13:30–17:30.
//        Mo  Tu  We  Th  Fr  Sa  Su
//  Sep   28■ 29■ 30■  1·  2·  3·  4·     国庆 10-1 … 10-7
//  Oct    5·  6·  7·  8■  9■ 10★ 11·     10-10 (Sat) 补班
const cal = makeWorkCalendar({ overrides: chineseDaysEntries().map((e) => [e.date, e] as const) });
const at = (local: string) => new Date(`${local}+08:00`);
const H = 3_600_000;

describe('stageDeadline', () => {
  const stage = startStage(at('2026-09-30T16:00'), { amount: 2, unit: 'work_days' });

  it('is the limit on the working calendar: 2 工作日 = 16 工作时 from the eve of 国庆', () => {
    // Wed 1.5 h; Thu 10-8 7.5 h; Fri 10-9 7 h → 08:30 … 12:00, 13:30 … 17:00.
    expect(stageDeadline(stage, cal)).toEqual(at('2026-10-09T17:00'));
    expect(stageBudgetMs(stage, cal)).toBe(16 * H);
  });

  it('adds suspended working time, not wall time', () => {
    // Suspended Thu 10-8 12:00 → Sat 10-10 (补班) 10:00: Thu 4 h + Fri 7.5 h + Sat 1.5 h = 13 h.
    const resumed = resumeStage(suspendStage(stage, at('2026-10-08T12:00')), at('2026-10-10T10:00'), cal);
    expect(resumed.pausedMs).toBe(13 * H);
    // 16 − (1.5 + 3.5 used) = 11 h left at Sat 10:00: Sat 6 h; Mon 10-12 3.5 h + 1.5 h → 15:00.
    expect(stageDeadline(resumed, cal)).toEqual(at('2026-10-12T15:00'));
    expect(stageUsedMs(resumed, at('2026-10-10T10:00'), cal)).toBe(5 * H);
  });

  it('while suspended, keeps moving when asked with now and counts no use', () => {
    const suspended = suspendStage(stage, at('2026-10-08T12:00'));
    expect(stageDeadline(suspended, cal)).toEqual(at('2026-10-09T17:00'));
    // Open so far: Thu 13:30–17:30 = 4 h → Fri 17:00 + 4 h = Fri 0.5 h + Sat 10-10 (补班) 3.5 h.
    expect(stageDeadline(suspended, cal, at('2026-10-09T08:30'))).toEqual(at('2026-10-10T12:00'));
    expect(stageUsedMs(suspended, at('2026-10-12T12:00'), cal)).toBe(5 * H);
  });

  it('an extension replaces the deadline; its budget is the working time up to it', () => {
    const extended = extendStage(stage, at('2026-10-12T17:30'), at('2026-10-09T10:00'));
    expect(stageDeadline(extended, cal)).toEqual(at('2026-10-12T17:30'));
    expect(stageBudgetMs(extended, cal)).toBe((1.5 + 7.5 * 4) * H);
  });

  it('suspends elapsed-time limits by wall time', () => {
    const hours = startStage(at('2026-10-01T10:00'), { amount: 24, unit: 'hours' });
    const resumed = resumeStage(suspendStage(hours, at('2026-10-01T12:00')), at('2026-10-01T22:00'), cal);
    expect(stageDeadline(resumed, cal)).toEqual(at('2026-10-02T20:00'));
  });
});

// Edges the other tests leave open, each worked out by hand on the calendar drawn above.
describe('stage clock edges', () => {
  const stage = startStage(at('2026-09-30T16:00'), { amount: 2, unit: 'work_days' });

  it('budgets calendar days by elapsed time and work units by the calendar, extended or not', () => {
    const days = startStage(at('2026-09-30T16:00'), { amount: 3, unit: 'calendar_days' });
    expect(stageBudgetMs(days, cal)).toBe(72 * H);
    // Extended to Mon 10-12 10:00: Wed 1.5 h + Thu 7.5 + Fri 7.5 + Sat (补班) 7.5 + Mon 1.5 = 25.5 working hours.
    expect(stageBudgetMs(extendStage(stage, at('2026-10-12T10:00'), at('2026-10-08T09:00')), cal)).toBe(25.5 * H);
    const hours = startStage(at('2026-10-08T09:00'), { amount: 5, unit: 'work_hours' });
    expect(stageBudgetMs(hours, cal)).toBe(5 * H);
  });

  it('counts used time up to the suspension, and to now when the suspension starts later', () => {
    const suspended = suspendStage(stage, at('2026-10-08T10:00'));
    // Wed 16:00–17:30 (1.5 h) + Thu 08:30–10:00 (1.5 h).
    expect(stageUsedMs(suspended, at('2026-10-09T12:00'), cal)).toBe(3 * H);
    // Asked about a moment before the suspension began: the clock still ran then.
    expect(stageUsedMs(suspended, at('2026-10-08T09:00'), cal)).toBe(2 * H);
    expect(stageUsedMs(suspended, at('2026-10-08T10:00'), cal)).toBe(3 * H);
  });

  it('keeps the deadline when nothing was suspended, and without `now` ignores an open suspension', () => {
    expect(stageDeadline(suspendStage(stage, at('2026-10-08T10:00')), cal)).toEqual(at('2026-10-09T17:00'));
    expect(stageDeadline({ ...stage, pausedMs: 0 }, cal, at('2026-10-08T10:00'))).toEqual(at('2026-10-09T17:00'));
  });

  it('refuses a second suspension, a resume of a running clock and an extension before the start, saying why', () => {
    const suspended = suspendStage(stage, at('2026-10-08T10:00'));
    expect(() => suspendStage(suspended, at('2026-10-08T11:00'))).toThrow(/already suspended/);
    expect(() => resumeStage(stage, at('2026-10-08T11:00'), cal)).toThrow(/not suspended/);
    expect(() => extendStage(stage, new Date(at('2026-09-30T16:00').getTime() - 1), at('2026-10-08T09:00'))).toThrow(expect.objectContaining({ code: 'validation_failed', message: expect.stringMatching(/before the stage started/), details: { field: 'deadline' } }));
    // A deadline at the very start is allowed (zero time left).
    expect(extendStage(stage, at('2026-09-30T16:00'), at('2026-10-08T09:00')).extendedDeadline).toEqual(at('2026-09-30T16:00'));
  });
});
