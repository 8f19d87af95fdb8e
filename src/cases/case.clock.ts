import type { WorkCalendar } from '../sla/calendar.js';
import { lightAt, nextLightChangeAt, type Light } from '../sla/lights.js';
import { stageDeadline, type StageClock } from '../sla/stage-clock.js';
import type { TimeLimit } from '../sla/working-time.js';
import type { Config } from '../config.js';

interface StoredClock {
  startedAt: string;
  limit: TimeLimit;
  pausedMs: number;
  suspendedAt: string | null;
  extendedDeadline: string | null;
}

/** Serialises a StageClock for a text column. */
export function clockToJson(clock: StageClock): string {
  const stored: StoredClock = {
    startedAt: clock.startedAt.toISOString(),
    limit: clock.limit,
    pausedMs: clock.pausedMs,
    suspendedAt: clock.suspendedAt ? clock.suspendedAt.toISOString() : null,
    extendedDeadline: clock.extendedDeadline ? clock.extendedDeadline.toISOString() : null,
  };
  return JSON.stringify(stored);
}

/** Reads a StageClock from its text column (null stays null). */
export function clockFromJson(text: string | null): StageClock | null {
  if (!text) return null;
  const s = JSON.parse(text) as StoredClock;
  return {
    startedAt: new Date(s.startedAt),
    limit: s.limit,
    pausedMs: s.pausedMs,
    suspendedAt: s.suspendedAt ? new Date(s.suspendedAt) : null,
    extendedDeadline: s.extendedDeadline ? new Date(s.extendedDeadline) : null,
  };
}

/** Lights in rising order of urgency; 'none' is a case without a running stage. */
export const LIGHT_RANK: Readonly<Record<string, number>> = { none: 0, green: 1, yellow: 2, red: 3, severe: 4 };

/** The columns that follow from a case's stage clock at `now`: deadline, light and when it next changes. */
export function stageColumns(clock: StageClock | null, now: Date, cal: WorkCalendar, thresholds: Config['lights']) {
  if (!clock) return { stage_clock: null, stage_deadline: null, light: 'none' as Light | 'none', next_light_at: null, suspended_at: null };
  const next = nextLightChangeAt(clock, now, cal, thresholds);
  return {
    stage_clock: clockToJson(clock),
    stage_deadline: stageDeadline(clock, cal).toISOString(),
    light: lightAt(clock, now, cal, thresholds) as Light | 'none',
    next_light_at: next ? next.toISOString() : null,
    suspended_at: clock.suspendedAt ? clock.suspendedAt.toISOString() : null,
  };
}
