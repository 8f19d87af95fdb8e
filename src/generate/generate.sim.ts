import type { Selectable } from 'kysely';
import type { Role } from '../auth/actor.js';
import type { CaseEventTable, CaseTable } from '../db/tables.js';
import type { CaseRow } from '../cases/case.repository.js';
import { counterDelta, counterSubjectOf } from '../cases/case.counters.js';
import type { CounterSubject } from '../kpis/kpi.rollup.js';
import { clockToJson } from '../cases/case.clock.js';
import { eventHash, GENESIS } from '../cases/case.audit.js';
import { applyAction, startCase, type CallbackResult, type TransitionResult, type WorkflowDefinition } from '../cases/workflow/index.js';
import type { KpiCounters } from '../kpis/formulas.js';
import { startStage, stageDeadline, type StageClock } from '../sla/stage-clock.js';
import type { WorkCalendar } from '../sla/calendar.js';
import type { TimeLimits } from '../catalogue/time-limits.js';

/** Who takes a step: the event's actor columns. */
export interface SimActor {
  kind: string;
  id: number;
  name: string;
  role: Role;
}

/** Everything a case needs that does not change while it runs. */
export interface SimCaseInput {
  id: number;
  number: string;
  createdAt: Date;
  /** The history ends here: steps due later are not taken (the case is still open). */
  end: Date;
  def: WorkflowDefinition;
  category: { id: number; code: string; classCode: string; priority: number; limits: TimeLimits };
  channel: string;
  grid: { code: string; path: string; lon: number; lat: number };
  /** Department the routing rules give at intake (may be null), and the one dispatched to. */
  routedDepartmentId: number | null;
  dispatchDepartmentId: number;
  cityCode: string;
  actors: Record<'reporter' | 'dispatcher' | 'handler' | 'inspector', SimActor>;
  rand: () => number;
  /** Chance that a stage overruns its limit. */
  lateChance: number;
}

export type NewCaseRow = Omit<Selectable<CaseTable>, never>;
export type NewEventRow = Omit<Selectable<CaseEventTable>, 'id'>;

/** One counted event: what it counts under (the case as it stands after the event), the time and the counter delta. */
export interface SimCount {
  subject: CounterSubject;
  at: Date;
  delta: Partial<KpiCounters>;
}

export interface SimResult {
  row: NewCaseRow;
  events: NewEventRow[];
  counts: SimCount[];
}

const MINUTE = 60_000;

/**
 * Simulates one case through its workflow with the engine, the stage clocks and the counter rules
 * the API uses (startCase/applyAction, startStage/stageDeadline, counterDelta, the timeline's hash
 * chain), without a database: intake, then the flow's main path (urban: 核实, 立案 or 不予立案,
 * 派遣, 处置 with an occasional 返工, 核查, 结案; 12345: 派单, 答复, 回访, 办结), each step a
 * random share of its stage's limit (sometimes past it). Steps after `end` are not taken. Pure
 * apart from `rand` and the working calendar.
 */
export function simulateCase(input: SimCaseInput, cal: WorkCalendar): SimResult {
  const { def, rand } = input;
  const start = startCase(def, input.actors.reporter.role);
  const at0 = input.createdAt;
  const iso0 = at0.toISOString();
  let stageClock = clockFor(start.stage, input.category.limits, at0);
  const caseClock = input.category.limits.handle ? startStage(at0, input.category.limits.handle) : null;
  const row: CaseRow = {
    id: input.id, number: input.number, city_code: input.cityCode, workflow: def.id, status: start.to, previous_status: null, version: 1,
    category_id: input.category.id, category_code: input.category.code, class_code: input.category.classCode, channel: input.channel,
    description: '生成的历史案件', address: null, lon: input.grid.lon, lat: input.grid.lat, grid_code: input.grid.code,
    ...ancestors(input.grid.path), org_path: input.grid.path, department_id: input.routedDepartmentId, routing_rule_id: null, routing_explanation: null,
    priority: input.category.priority, reporter_name: null, reporter_phone: null, reporter_phone_enc: null, reporter_phone_hash: null,
    reporter_id_number: null, reporter_id_enc: null, reporter_id_hash: null, reporter_anonymised_at: null, reporter_user_id: null,
    created_by: `${input.actors.reporter.kind}:${input.actors.reporter.id}:${input.actors.reporter.name}`, private: 0,
    stage: start.stage ?? null, stage_started_at: stageClock ? iso0 : null, stage_clock: stageClock ? clockToJson(stageClock) : null,
    stage_deadline: stageClock ? stageDeadline(stageClock, cal).toISOString() : null, case_clock: caseClock ? clockToJson(caseClock) : null,
    suspended_at: null, light: stageClock ? 'green' : 'none', next_light_at: null, deadline: caseClock ? stageDeadline(caseClock, cal).toISOString() : null,
    extension_count: 0, pending_extension: null, overdue_stages: 0, escalation_level: 0, supervised: 0, supervise_note: null, parent_case_id: null,
    rework_count: 0, registered_at: start.effects.includes('count_registered') ? iso0 : null, dispatched_at: null, handled_at: null, closed_at: null,
    callback_contacted: null, callback_solved: null, callback_satisfaction: null, idempotency_key: null, client_request_id: null, attributes: '{}',
    created_at: iso0, updated_at: iso0,
  } as CaseRow;
  const events: NewEventRow[] = [];
  const counts: SimCount[] = [];
  let previousHash = GENESIS;
  const append = (actor: SimActor, at: Date, action: string, from: string | null, to: string, note: string | null, data: unknown) => {
    const e = { case_id: input.id, seq: events.length + 1, at: at.toISOString(), actor_kind: actor.kind, actor_id: actor.id, actor_name: actor.name, actor_role: actor.role, action, from_status: from, to_status: to, note, note_public: 0, data: JSON.stringify(data) };
    const hash = eventHash(previousHash, e);
    previousHash = hash;
    events.push({ ...e, hash });
  };
  append(input.actors.reporter, at0, 'report', null, start.to, null, { channel: input.channel, grid: input.grid.code, departmentId: input.routedDepartmentId, routing: null, snappedMetres: null });
  counts.push({ subject: counterSubjectOf(row), at: at0, delta: counterDelta(start.effects, row, at0, null) });

  let now = at0;
  // One row object changes step by step (no copy per step): what was before a step is read
  // before its patch is applied.
  for (const step of plan(def.id, rand)) {
    const before = row;
    // A step takes a share of its stage's limit: mostly well within, sometimes past it.
    const due = before.stage_deadline ? Date.parse(before.stage_deadline) : now.getTime() + 60 * MINUTE;
    const span = Math.max(MINUTE, due - now.getTime());
    const share = rand() < input.lateChance ? 1.05 + rand() * 1.5 : 0.05 + 0.9 * rand() ** 2;
    const at = new Date(now.getTime() + Math.max(MINUTE, Math.round(span * share / MINUTE) * MINUTE));
    if (at > input.end) break;
    now = at;
    const actor = input.actors[step.by];
    const request = { departmentId: step.action === 'dispatch' ? input.dispatchDepartmentId : undefined, note: step.note, callback: step.callback };
    const result: TransitionResult = applyAction(def, { state: before.status, previousState: before.previous_status }, step.action, actor.role, request);
    const endedLate = result.effects.includes('start_stage') && before.stage_deadline !== null && at.toISOString() > before.stage_deadline;
    const patch: Partial<CaseRow> = { status: result.to, previous_status: result.previousState, updated_at: at.toISOString(), version: before.version + 1 };
    for (const effect of result.effects) {
      if (effect === 'start_stage') {
        stageClock = clockFor(result.stage, input.category.limits, at);
        Object.assign(patch, { stage: result.stage ?? null, stage_started_at: stageClock ? at.toISOString() : null, stage_clock: stageClock ? clockToJson(stageClock) : null, stage_deadline: stageClock ? stageDeadline(stageClock, cal).toISOString() : null, light: stageClock ? 'green' : 'none' });
      }
      if (effect === 'set_department') patch.department_id = input.dispatchDepartmentId;
      if (effect === 'count_registered') patch.registered_at = at.toISOString();
      if (effect === 'count_dispatched') patch.dispatched_at = at.toISOString();
      if (effect === 'count_handled') patch.handled_at = at.toISOString();
      if (effect === 'count_closed') Object.assign(patch, { closed_at: at.toISOString(), case_clock: null });
      if (effect === 'count_rework') patch.rework_count = before.rework_count + 1;
      if (effect === 'record_callback' && step.callback) Object.assign(patch, { callback_contacted: step.callback.contacted ? 1 : 0, callback_solved: step.callback.solved ? 1 : 0, callback_satisfaction: step.callback.satisfaction });
    }
    if (endedLate) patch.overdue_stages = before.overdue_stages + 1;
    const wasOverdue = before.overdue_stages > 0;
    const delta = counterDelta(result.effects, before, at, step.callback ?? null, patch.overdue_stages ?? before.overdue_stages);
    if (endedLate && !wasOverdue) delta.overdue = (delta.overdue ?? 0) + 1;
    Object.assign(row, patch);
    append(actor, at, step.action, result.from, result.to, step.note ?? null, { departmentId: request.departmentId, callback: step.callback, deadline: row.deadline, stageDeadline: row.stage_deadline, light: row.light });
    counts.push({ subject: patch.department_id === undefined ? counts[counts.length - 1].subject : counterSubjectOf(row), at, delta });
  }
  // An open case's light is what its last transition left; the sweeper takes it from there.
  if (row.stage_clock && !row.closed_at) row.next_light_at = row.stage_started_at;
  return { row: row as NewCaseRow, events, counts };
}

function clockFor(stage: string | undefined, limits: TimeLimits, at: Date): StageClock | null {
  const limit = stage ? limits[stage as keyof TimeLimits] : undefined;
  return limit ? startStage(at, limit) : null;
}

function ancestors(path: string) {
  const codes = path.split('/').filter(Boolean);
  return { district_code: codes[1] ?? null, street_code: codes[2] ?? null, community_code: codes[3] ?? null };
}

interface PlannedStep {
  action: string;
  by: 'dispatcher' | 'handler' | 'inspector';
  note?: string;
  callback?: CallbackResult;
}

/** The main path of a flow for one case, with its random turns (不予立案, 返工, the callback's answers). */
function plan(flow: string, rand: () => number): PlannedStep[] {
  if (flow === 'hotline') {
    const contacted = rand() < 0.93;
    const solved = contacted && rand() < 0.8;
    const r = rand();
    const satisfaction = !contacted ? null : r < 0.72 ? 'satisfied' : r < 0.9 ? 'basically_satisfied' : 'dissatisfied';
    return [
      { action: 'dispatch', by: 'dispatcher' }, { action: 'accept', by: 'handler' }, { action: 'reply', by: 'handler', note: '已处理并答复' },
      { action: 'callback', by: 'dispatcher', callback: { contacted, solved, satisfaction } as CallbackResult }, { action: 'close', by: 'dispatcher' },
    ];
  }
  if (rand() < 0.05) return [{ action: 'reject', by: 'dispatcher', note: '不属于受理范围' }];
  const rework: PlannedStep[] = rand() < 0.08 ? [{ action: 'check_fail', by: 'inspector', note: '仍未处理到位' }, { action: 'complete', by: 'handler', note: '已返工' }] : [];
  return [
    { action: 'verify', by: 'dispatcher' }, { action: 'register', by: 'dispatcher' }, { action: 'dispatch', by: 'dispatcher' }, { action: 'accept', by: 'handler' },
    { action: 'complete', by: 'handler', note: '已处置' }, ...rework, { action: 'check_pass', by: 'inspector' }, { action: 'close', by: 'dispatcher' },
  ];
}
