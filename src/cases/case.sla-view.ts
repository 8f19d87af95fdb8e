import type { AppContext } from '../context.js';
import type { WorkCalendar } from '../sla/calendar.js';
import { getWorkCalendar } from '../sla/calendar.loader.js';
import { lightOnSchedule, lightSchedule, type LightSchedule } from '../sla/lights.js';
import { stageDeadline, type StageClock } from '../sla/stage-clock.js';
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

/** What a stored clock means under one calendar, whatever the time: worked out once per clock text. */
interface ClockPlan {
  clock: StageClock;
  deadline: Date;
  deadlineIso: string;
  schedule: LightSchedule;
  working: boolean;
}

// Per calendar (a reload makes a new one, so old plans go with it); bounded, cleared when full.
const plans = new WeakMap<WorkCalendar, Map<string, ClockPlan>>();
const MAX_PLANS = 10_000;

function planOf(app: AppContext, cal: WorkCalendar, text: string): ClockPlan | null {
  let byText = plans.get(cal);
  if (!byText) plans.set(cal, (byText = new Map()));
  const hit = byText.get(text);
  if (hit) return hit;
  const clock = clockFromJson(text);
  if (!clock) return null;
  const deadline = stageDeadline(clock, cal);
  const plan = { clock, deadline, deadlineIso: deadline.toISOString(), schedule: lightSchedule(clock, cal, app.config.lights), working: isWorkingUnit(clock.limit.unit) };
  if (byText.size >= MAX_PLANS) byText.clear();
  byText.set(text, plan);
  return plan;
}

function part(app: AppContext, clockText: string | null, now: Date): SlaPart | null {
  if (!clockText) return null;
  const cal = getWorkCalendar(app);
  const plan = planOf(app, cal, clockText);
  if (!plan) return null;
  const { clock, deadline, working } = plan;
  const between = (a: Date, b: Date) => (working ? workingMsBetween(a, b, cal) : Math.max(0, b.getTime() - a.getTime()));
  const ms = now <= deadline ? between(now, deadline) : -between(deadline, now);
  return { light: lightOnSchedule(clock, plan.schedule, now), deadline: plan.deadlineIso, remainingMinutes: Math.trunc(ms / 60_000), unit: working ? 'working' : 'natural', suspended: clock.suspendedAt !== null };
}

/** The light and remaining time of the running stage and of the whole case at `now` (null when not running). */
export function slaView(app: AppContext, row: CaseRow, now: Date): { stage: SlaPart | null; case: SlaPart | null } {
  return { stage: part(app, row.stage_clock, now), case: row.closed_at ? null : part(app, row.case_clock, now) };
}
