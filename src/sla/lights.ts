import type { Config } from '../config.js';
import type { WorkCalendar } from './calendar.js';
import { stageBudgetMs, stageDeadline, type StageClock } from './stage-clock.js';
import { addClockMs } from './working-time.js';

/**
 * Traffic lights (红黄绿灯) of a stage clock. With budget B (the stage's allowed time on its clock)
 * and thresholds {yellow: 0.8, red: 1, severe: 3}:
 * - green until `yellowAt`, the instant when 0.8 × B of the clock has been used;
 * - yellow from `yellowAt` up to and including the deadline (`redAfter`);
 * - red from the first millisecond after the deadline, even outside working hours: a case due at
 *   17:30 is overdue at 17:31, although no working time elapses until the next morning;
 * - severe from the first millisecond after `severeAfter`, when 3 × B has been used.
 * Every instant is shifted by closed suspensions. While suspended, the light is frozen at its
 * value when the clock stopped and it will not change by itself.
 */

export type Light = 'green' | 'yellow' | 'red' | 'severe';
export type LightThresholds = Config['lights'];

export const DEFAULT_LIGHT_THRESHOLDS: LightThresholds = { yellow: 0.8, red: 1, severe: 3 };

/** The instants at which a running stage's light changes. */
export interface LightSchedule {
  yellowAt: Date;
  redAfter: Date;
  severeAfter: Date;
}

/** When a running stage turns yellow, red and severe (suspensions so far included, an open one excluded). */
export function lightSchedule(clock: StageClock, cal: WorkCalendar, thresholds: LightThresholds = DEFAULT_LIGHT_THRESHOLDS): LightSchedule {
  const deadline = stageDeadline(clock, cal);
  const budget = stageBudgetMs(clock, cal);
  const at = (share: number): Date =>
    share === 1 ? deadline : addClockMs(clock.limit.unit, clock.startedAt, Math.round(share * budget) + clock.pausedMs, cal);
  return { yellowAt: at(thresholds.yellow), redAfter: at(thresholds.red), severeAfter: at(thresholds.severe) };
}

function effectiveNow(clock: StageClock, now: Date): Date {
  return clock.suspendedAt && clock.suspendedAt < now ? clock.suspendedAt : now;
}

/** The light of a stage at `now` (see the header for the rules). Throws validation_failed for an invalid limit. */
export function lightAt(clock: StageClock, now: Date, cal: WorkCalendar, thresholds: LightThresholds = DEFAULT_LIGHT_THRESHOLDS): Light {
  return lightOnSchedule(clock, lightSchedule(clock, cal, thresholds), now);
}

/** lightAt for a stage whose schedule (lightSchedule) is already known: a reader may keep schedules, they depend on the clock alone. */
export function lightOnSchedule(clock: StageClock, s: LightSchedule, now: Date): Light {
  const t = effectiveNow(clock, now).getTime();
  if (t > s.severeAfter.getTime()) return 'severe';
  if (t > s.redAfter.getTime()) return 'red';
  if (t >= s.yellowAt.getTime()) return 'yellow';
  return 'green';
}

/**
 * The first instant after `now` at which lightAt will return another value, or null when it never
 * will by itself (suspended, or already severe). A sweeper stores it and revisits only stages whose
 * instant has passed; any suspend/resume/extend must recompute it.
 */
export function nextLightChangeAt(clock: StageClock, now: Date, cal: WorkCalendar, thresholds: LightThresholds = DEFAULT_LIGHT_THRESHOLDS): Date | null {
  if (clock.suspendedAt) return null;
  const t = now.getTime();
  const s = lightSchedule(clock, cal, thresholds);
  if (t < s.yellowAt.getTime()) return s.yellowAt;
  if (t <= s.redAfter.getTime()) return new Date(s.redAfter.getTime() + 1);
  if (t <= s.severeAfter.getTime()) return new Date(s.severeAfter.getTime() + 1);
  return null;
}
