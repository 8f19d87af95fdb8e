import { describe, expect, it } from 'vitest';
import { complianceOf, judgePatrol, type PatrolFacts } from './patrol.compliance.js';

const MIN = { minDurationS: 30 * 60, minDistanceM: 2000, minCoverage: 0 };
const ok = (date: string): PatrolFacts => ({ date, durationS: 45 * 60, distanceM: 3200, coverage: 0.8, flags: [] });

/*
 *  November 2026, a 每日 1 次 plan, window Mon 16 – Sun 22, "today" 2026-11-25:
 *  Mo16 Tu17 We18 Th19 Fr20 Sa21 Su22
 *   ok   ok   --   ok   ok  short fast      (18: nobody went; 21: 12 min; 22: 95 km/h)
 *                                          + a second patrol on the 16th (does not make up for the 18th)
 */
describe('compliance maths', () => {
  const window = { from: '2026-11-16', to: '2026-11-22', startsOn: '2026-11-01', today: '2026-11-25' };
  const week: PatrolFacts[] = [
    ok('2026-11-16'), ok('2026-11-16'), ok('2026-11-17'), ok('2026-11-19'), ok('2026-11-20'),
    { ...ok('2026-11-21'), durationS: 12 * 60 },
    { ...ok('2026-11-22'), flags: ['too_fast'] },
  ];

  it('a week with one missed day, one too-short and one too-fast patrol: 4 of 7', () => {
    expect(complianceOf({ period: 'day', times: 1 }, MIN, week, window)).toEqual({ required: 7, done: 4, missed: 3, rate: 4 / 7, tooShort: 1, flagged: 1 });
  });

  it('the same week under 每周 1 次 is complete', () => {
    expect(complianceOf({ period: 'week', times: 1 }, MIN, week, window)).toMatchObject({ required: 1, done: 1, missed: 0, rate: 1 });
  });

  it('每周 1 次 with only the missed-day patrol left: too short does not count', () => {
    const onlyShort = [{ ...ok('2026-11-21'), durationS: 12 * 60 }];
    expect(complianceOf({ period: 'week', times: 1 }, MIN, onlyShort, window)).toMatchObject({ required: 1, done: 0, missed: 1, rate: 0, tooShort: 1 });
  });

  it('a period not over yet owes nothing: the running week shows what was done, nothing missed', () => {
    const running = { from: '2026-11-23', to: '2026-11-29', startsOn: '2026-11-01', today: '2026-11-25' };
    expect(complianceOf({ period: 'day', times: 1 }, MIN, [ok('2026-11-23')], running)).toEqual({ required: 2, done: 1, missed: 1, rate: 0.5, tooShort: 0, flagged: 0 });
  });

  it('nothing is owed before the plan starts', () => {
    expect(complianceOf({ period: 'day', times: 1 }, MIN, [], { ...window, startsOn: '2026-11-20' })).toMatchObject({ required: 3, done: 0, missed: 3 });
    expect(complianceOf({ period: 'day', times: 1 }, MIN, [], { ...window, startsOn: '2026-12-01' })).toMatchObject({ required: 0, rate: null });
  });

  it('judges distance, duration and coverage minimums, and flags before length', () => {
    expect(judgePatrol({ ...ok('2026-11-16'), distanceM: 1999 }, MIN)).toBe('too_short');
    expect(judgePatrol({ ...ok('2026-11-16'), coverage: 0.2 }, { ...MIN, minCoverage: 0.5 })).toBe('too_short');
    expect(judgePatrol({ ...ok('2026-11-16'), durationS: 60, flags: ['night'] }, MIN)).toBe('flagged');
    expect(judgePatrol(ok('2026-11-16'), MIN)).toBe('counted');
  });
});
