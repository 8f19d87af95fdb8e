import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { makeWorkCalendar } from './calendar.js';
import { chineseDaysEntries } from './calendar.seed.js';
import { lightAt, lightSchedule, nextLightChangeAt } from './lights.js';
import { extendStage, resumeStage, startStage, suspendStage, type StageClock } from './stage-clock.js';
import type { TimeUnit } from './working-time.js';

// 2026 calendar, Asia/Shanghai, 08:30–12:00 + 13:30–17:30. A 4 工作时 stage reported Friday
// 2026-04-03 16:00, the eve of 清明:
//        Mo  Tu  We  Th  Fr  Sa  Su
//  Mar   30■ 31■  1■  2■  3■  4·  5·
//  Apr    6·  7■  8■  9■ 10■ 11· 12·
// budget 4 h → yellow after 3.2 h (Tue 10:12), due after 4 h (Tue 11:00), severe after 12 h (Wed 11:30).
const cal = makeWorkCalendar({ overrides: chineseDaysEntries().map((e) => [e.date, e] as const) });
const at = (local: string) => new Date(`${local}+08:00`);
const stage = startStage(at('2026-04-03T16:00'), { amount: 4, unit: 'work_hours' });
const light = (clock: StageClock, local: string) => lightAt(clock, at(local), cal);

describe('lights of a running stage', () => {
  it('schedules yellow, red and severe on working time', () => {
    expect(lightSchedule(stage, cal)).toEqual({ yellowAt: at('2026-04-07T10:12'), redAfter: at('2026-04-07T11:00'), severeAfter: at('2026-04-08T11:30') });
  });

  it.each([
    ['2026-04-03T16:00', 'green'],
    ['2026-04-05T12:00', 'green'],
    ['2026-04-07T10:11:59', 'green'],
    ['2026-04-07T10:12', 'yellow'],
    ['2026-04-07T11:00', 'yellow'],
    ['2026-04-07T11:00:00.001', 'red'],
    ['2026-04-08T11:30', 'red'],
    ['2026-04-08T11:30:00.001', 'severe'],
  ])('at %s it is %s', (local, expected) => {
    expect(light(stage, local)).toBe(expected);
  });

  it('tells the next change so a sweeper can wait for it', () => {
    expect(nextLightChangeAt(stage, at('2026-04-03T16:00'), cal)).toEqual(at('2026-04-07T10:12'));
    expect(nextLightChangeAt(stage, at('2026-04-07T10:30'), cal)).toEqual(new Date(at('2026-04-07T11:00').getTime() + 1));
    expect(nextLightChangeAt(stage, at('2026-04-07T12:00'), cal)).toEqual(new Date(at('2026-04-08T11:30').getTime() + 1));
    expect(nextLightChangeAt(stage, at('2026-04-08T12:00'), cal)).toBeNull();
  });

  it('turns red right after a 17:30 deadline, although no working time passes overnight', () => {
    const late = startStage(at('2026-03-03T13:30'), { amount: 4, unit: 'work_hours' });
    expect(light(late, '2026-03-03T17:30')).toBe('yellow');
    expect(light(late, '2026-03-03T17:31')).toBe('red');
  });

  it('uses elapsed time for hours and calendar days', () => {
    const hotline = startStage(at('2026-09-30T16:00'), { amount: 7, unit: 'calendar_days' });
    expect(lightSchedule(hotline, cal).redAfter).toEqual(at('2026-10-07T16:00'));
    expect(light(hotline, '2026-10-06T10:00')).toBe('yellow');
    const quick = startStage(at('2026-04-04T10:00'), { amount: 2, unit: 'hours' });
    expect(light(quick, '2026-04-04T11:36')).toBe('yellow');
    expect(light(quick, '2026-04-04T16:00:01')).toBe('severe');
  });

  it('a zero limit is due at once', () => {
    const now = startStage(at('2026-03-03T10:00'), { amount: 0, unit: 'work_hours' });
    expect(light(now, '2026-03-03T10:00')).toBe('yellow');
    expect(light(now, '2026-03-03T10:00:01')).toBe('severe');
  });
});

describe('suspension (挂账) stops the clock', () => {
  // Suspended Tue 10:00 after 3 h of 4 (green), resumed Thu 09:00. Working time stopped:
  // Tue 2 h + 4 h, Wed 7.5 h, Thu 0.5 h = 14 h. One working hour is left → due Thu 10:00;
  // severe once 12 h are used: 9 h after resuming → Thu 7 h + Fri 2 h = Fri 10:30.
  const suspended = suspendStage(stage, at('2026-04-07T10:00'));
  const resumed = resumeStage(suspended, at('2026-04-09T09:00'), cal);

  it('freezes the light and announces no change while suspended', () => {
    expect(light(suspended, '2026-04-08T16:00')).toBe('green');
    expect(nextLightChangeAt(suspended, at('2026-04-08T16:00'), cal)).toBeNull();
  });

  it('shifts every instant by the suspended working time', () => {
    expect(resumed.pausedMs).toBe(14 * 3_600_000);
    expect(lightSchedule(resumed, cal)).toEqual({ yellowAt: at('2026-04-09T09:12'), redAfter: at('2026-04-09T10:00'), severeAfter: at('2026-04-10T10:30') });
    expect(light(resumed, '2026-04-09T09:05')).toBe('green');
    expect(nextLightChangeAt(resumed, at('2026-04-09T09:05'), cal)).toEqual(at('2026-04-09T09:12'));
  });

  it('a suspension over a weekend costs no working time', () => {
    const weekend = resumeStage(suspendStage(stage, at('2026-04-03T17:45')), at('2026-04-06T20:00'), cal);
    expect(weekend.pausedMs).toBe(0);
    expect(lightSchedule(weekend, cal).redAfter).toEqual(at('2026-04-07T11:00'));
  });

  it('refuses to suspend twice or resume a running clock', () => {
    expect(() => suspendStage(suspended, at('2026-04-08T09:00'))).toThrow(/already suspended/);
    expect(() => resumeStage(stage, at('2026-04-08T09:00'), cal)).toThrow(/not suspended/);
  });
});

describe('extension (延期) sets a new deadline', () => {
  // Extended on Tue 10:30 to Fri 04-10 17:30: budget = Fri 1.5 h + 4 × 7.5 h = 31.5 h;
  // yellow after 25.2 h = Fri 04-10 09:42.
  const extended = extendStage(stage, at('2026-04-10T17:30'), at('2026-04-07T10:30'));

  it('moves red and yellow to the new deadline', () => {
    expect(light(extended, '2026-04-07T11:30')).toBe('green');
    expect(lightSchedule(extended, cal).yellowAt).toEqual(at('2026-04-10T09:42'));
    expect(light(extended, '2026-04-10T17:30')).toBe('yellow');
    expect(light(extended, '2026-04-10T17:31')).toBe('red');
  });

  it('absorbs earlier suspensions; later ones push the new deadline', () => {
    const before = resumeStage(suspendStage(stage, at('2026-04-07T09:00')), at('2026-04-07T10:00'), cal);
    const again = extendStage(before, at('2026-04-10T17:30'), at('2026-04-07T10:30'));
    expect(again.pausedMs).toBe(0);
    const after = resumeStage(suspendStage(again, at('2026-04-09T08:30')), at('2026-04-10T08:30'), cal);
    expect(lightSchedule(after, cal).redAfter).toEqual(at('2026-04-13T17:30'));
  });

  it('refuses a deadline before the stage started', () => {
    expect(() => extendStage(stage, at('2026-04-01T10:00'), at('2026-04-07T10:30'))).toThrow(/before the stage started/);
  });
});

describe('property: nextLightChangeAt is exactly where lightAt changes', () => {
  const units: TimeUnit[] = ['work_hours', 'work_days', 'calendar_days', 'hours', 'minutes'];
  const instant = fc.integer({ min: Date.parse('2026-01-01T00:00:00Z'), max: Date.parse('2026-11-01T00:00:00Z') });

  it('holds for random stages, paused time and instants', () => {
    fc.assert(fc.property(instant, fc.integer({ min: 1, max: 40 }), fc.constantFrom(...units), fc.integer({ min: 0, max: 10 * 3_600_000 }), fc.integer({ min: 0, max: 40 * 86_400_000 }),
      (start, amount, unit, pausedMs, offset) => {
        const clock: StageClock = { ...startStage(new Date(start), { amount, unit }), pausedMs };
        const now = new Date(start + offset);
        const next = nextLightChangeAt(clock, now, cal);
        if (!next) {
          expect(lightAt(clock, now, cal)).toBe('severe');
          return;
        }
        expect(next.getTime()).toBeGreaterThan(now.getTime());
        expect(lightAt(clock, new Date(next.getTime() - 1), cal)).toBe(lightAt(clock, now, cal));
        expect(lightAt(clock, next, cal)).not.toBe(lightAt(clock, now, cal));
      }), { numRuns: 300 });
  });
});
