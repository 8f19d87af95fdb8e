import { AppError } from '../errors.js';
import type { WorkCalendar } from './calendar.js';
import { addClockMs, addWorkingTime, clockMsBetween, limitMs, type TimeLimit } from './working-time.js';

/**
 * The clock of one workflow stage (or a whole case), as a plain value stored with the case.
 *
 * - Suspension (挂账/缓办) stops the clock: `suspendedAt` is set while it is stopped; on resume the
 *   stopped time is added to `pausedMs`, measured on the limit's own clock: working time for
 *   work_hours/work_days (a suspension over a weekend costs nothing), elapsed time otherwise.
 * - Extension (延期) sets `extendedDeadline`, an absolute instant that replaces the computed
 *   deadline. The approver saw every earlier suspension, so extending resets `pausedMs` to 0 and
 *   only suspensions after the extension push it further.
 *
 * Use suspendStage/resumeStage/extendStage to change it; they keep these rules in one place.
 */
export interface StageClock {
  startedAt: Date;
  limit: TimeLimit;
  /** Closed suspensions, in ms of the limit's clock (working ms for work units). */
  pausedMs: number;
  /** Start of the current suspension, or null when the clock runs. */
  suspendedAt: Date | null;
  /** An approved extension's new deadline (before later suspensions). */
  extendedDeadline?: Date | null;
}

/** A running clock for a limit started at `startedAt`. */
export function startStage(startedAt: Date, limit: TimeLimit): StageClock {
  return { startedAt, limit, pausedMs: 0, suspendedAt: null, extendedDeadline: null };
}

function baseDeadline(clock: StageClock, cal: WorkCalendar): Date {
  return clock.extendedDeadline ?? addWorkingTime(clock.startedAt, clock.limit.amount, clock.limit.unit, cal);
}

/**
 * The stage's deadline: the limit (or the extension) pushed back by the suspended time, added on
 * the limit's clock. While suspended, the open suspension counts up to `now` when given (the
 * deadline keeps moving), else not at all. Throws validation_failed for an invalid limit.
 */
export function stageDeadline(clock: StageClock, cal: WorkCalendar, now?: Date): Date {
  const open = clock.suspendedAt && now ? clockMsBetween(clock.limit.unit, clock.suspendedAt, now, cal) : 0;
  const paused = clock.pausedMs + open;
  const base = baseDeadline(clock, cal);
  return paused > 0 ? addClockMs(clock.limit.unit, base, paused, cal) : base;
}

/** The time the stage is allowed, in ms of its clock (working ms for work units), before suspensions. */
export function stageBudgetMs(clock: StageClock, cal: WorkCalendar): number {
  if (!clock.extendedDeadline && clock.limit.unit !== 'calendar_days') return limitMs(clock.limit, cal);
  return clockMsBetween(clock.limit.unit, clock.startedAt, baseDeadline(clock, cal), cal);
}

/** The time the stage has used at `now`, in ms of its clock, not counting suspensions. */
export function stageUsedMs(clock: StageClock, now: Date, cal: WorkCalendar): number {
  const until = clock.suspendedAt && clock.suspendedAt < now ? clock.suspendedAt : now;
  return Math.max(0, clockMsBetween(clock.limit.unit, clock.startedAt, until, cal) - clock.pausedMs);
}

/** Stops the clock at `at` (挂账). Throws transition_not_allowed when it is already stopped. */
export function suspendStage(clock: StageClock, at: Date): StageClock {
  if (clock.suspendedAt) throw new AppError('transition_not_allowed', 'the stage clock is already suspended');
  return { ...clock, suspendedAt: at };
}

/** Restarts the clock at `at`, adding the stopped time to pausedMs. Throws transition_not_allowed when it runs. */
export function resumeStage(clock: StageClock, at: Date, cal: WorkCalendar): StageClock {
  if (!clock.suspendedAt) throw new AppError('transition_not_allowed', 'the stage clock is not suspended');
  const stopped = clockMsBetween(clock.limit.unit, clock.suspendedAt, at, cal);
  return { ...clock, pausedMs: clock.pausedMs + stopped, suspendedAt: null };
}

/**
 * Applies an extension (延期) approved at `at`: the new deadline replaces the old one and earlier
 * suspensions are absorbed; a suspension still open continues from `at`. Throws validation_failed
 * (field deadline) for a deadline before the stage started.
 */
export function extendStage(clock: StageClock, deadline: Date, at: Date): StageClock {
  if (!(deadline.getTime() >= clock.startedAt.getTime())) {
    throw new AppError('validation_failed', 'an extended deadline cannot be before the stage started', { field: 'deadline' });
  }
  return { ...clock, extendedDeadline: deadline, pausedMs: 0, suspendedAt: clock.suspendedAt ? at : null };
}
