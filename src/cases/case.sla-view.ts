import type { AppContext } from '../context.js';
import { getWorkCalendar } from '../sla/calendar.loader.js';
import { lightAt } from '../sla/lights.js';
import { stageDeadline } from '../sla/stage-clock.js';
import { isWorkingUnit, workingMsBetween } from '../sla/working-time.js';
import { clockFromJson } from './case.clock.js';
import type { CaseRow } from './case.repository.js';

/** One running clock as the case page shows it: light, deadline and signed remaining time. */
export interface SlaPart {
  light: string;
  deadline: string;
  /** Minutes left until the deadline (negative when overdue), in working time for working-time limits. */
  remainingMinutes: number;
  unit: 'working' | 'natural';
  suspended: boolean;
}

function part(app: AppContext, clockText: string | null, now: Date): SlaPart | null {
  const clock = clockFromJson(clockText);
  if (!clock) return null;
  const cal = getWorkCalendar(app);
  const deadline = stageDeadline(clock, cal);
  const working = isWorkingUnit(clock.limit.unit);
  const between = (a: Date, b: Date) => (working ? workingMsBetween(a, b, cal) : Math.max(0, b.getTime() - a.getTime()));
  const ms = now <= deadline ? between(now, deadline) : -between(deadline, now);
  return { light: lightAt(clock, now, cal, app.config.lights), deadline: deadline.toISOString(), remainingMinutes: Math.trunc(ms / 60_000), unit: working ? 'working' : 'natural', suspended: clock.suspendedAt !== null };
}

/** The light and remaining time of the running stage and of the whole case at `now` (null when not running). */
export function slaView(app: AppContext, row: CaseRow, now: Date): { stage: SlaPart | null; case: SlaPart | null } {
  return { stage: part(app, row.stage_clock, now), case: row.closed_at ? null : part(app, row.case_clock, now) };
}
