import { publishCaseEvent } from '../live/live.hub.js';
import type { Ctx } from '../context.js';
import { inTransaction } from '../context.js';
import { AppError } from '../errors.js';
import { categoryTimeLimits } from '../catalogue/catalogue.service.js';
import { catalogueRepository } from '../catalogue/catalogue.repository.js';
import { getWorkCalendar } from '../sla/calendar.loader.js';
import { extendStage, resumeStage, stageDeadline, startStage, suspendStage, type StageClock } from '../sla/stage-clock.js';
import { addWorkingTime } from '../sla/working-time.js';
import { caseAttributes, caseRepository, type CaseRow, type CaseScope } from './case.repository.js';
import { clockFromJson, clockToJson, LIGHT_RANK, stageColumns } from './case.clock.js';
import { counterDelta, recordCaseCounters } from './case.counters.js';
import { workflowCall } from './case.errors.js';
import { caseScopeFor } from './case.scope.js';
import { closeMergedChildren, escalationTarget } from './case.side-effects.js';
import { applyAction, getWorkflow, type TransitionInput, type TransitionResult } from './workflow/index.js';
import type { Updateable } from 'kysely';
import { workflowTimeLimits } from '../social/social.limits.js';
import { afterSocialTransition } from '../social/social.hooks.js';
import type { CaseTable } from '../db/tables.js';

export interface TransitionRequest extends TransitionInput {
  action: string;
  version: number;
  /** Whether the note may be shown to the public (masked); staff notes are internal by default. */
  notePublic?: boolean;
}

/**
 * Takes one workflow action on a case, in one transaction: state change, SLA clocks, the
 * append-only timeline event and the KPI counters it affects. Throws case_not_found (also outside
 * the actor's scope), version_conflict (stale `version`), transition_not_allowed, validation_failed,
 * department_not_found, already_evaluated. `scope` defaults to the actor's; the citizen portal passes
 * the one case its caller proved to be theirs.
 */
export async function transitionCase(ctx: Ctx, id: number, request: TransitionRequest, scope: CaseScope = caseScopeFor(ctx.actor)): Promise<CaseRow> {
  const after = await applyTransition(ctx, id, withPlanDeadline(request), scope);
  publishCaseEvent(ctx.app, 'case.changed', after, ctx.now);
  return after;
}

async function applyTransition(ctx: Ctx, id: number, request: TransitionRequest, scope: CaseScope): Promise<CaseRow> {
  return inTransaction(ctx, async (trx) => {
    const row = await caseRepository.findInScope(trx.db, id, scope);
    if (!row) throw new AppError('case_not_found', `case ${id} does not exist or is outside your area`);
    if (row.version !== request.version) {
      throw new AppError('version_conflict', `case ${row.number} is at version ${row.version}, not ${request.version}; reload and try again`, { currentVersion: row.version });
    }
    const def = getWorkflow(row.workflow);
    const result = workflowCall(() => applyAction(def, { state: row.status, previousState: row.previous_status, extensionCount: row.extension_count, attributes: caseAttributes(row) }, request.action, ctx.actor.role, request));
    const patch = await effectPatch(trx, row, result, request);
    // A stage that ends after its deadline before the sweeper saw it go red is counted here.
    const endedLate = stageEndedLate(row, result, trx.now);
    if (endedLate) patch.overdue_stages = row.overdue_stages + 1;
    if (!(await caseRepository.updateAtVersion(trx.db, row.id, row.version, patch))) {
      throw new AppError('version_conflict', `case ${row.number} changed while you were acting; reload and try again`);
    }
    // Case-type rules beyond the flow's data (信访 windows, 调解 prerequisites); a refusal rolls back.
    await afterSocialTransition(trx, row, result, request);
    const after = (await caseRepository.findById(trx.db, row.id))!;
    await caseRepository.appendEvent(trx.db, {
      case_id: row.id, at: trx.now.toISOString(),
      actor_kind: ctx.actor.kind, actor_id: ctx.actor.id, actor_name: ctx.actor.name, actor_role: ctx.actor.role,
      action: result.action, from_status: result.from, to_status: result.to, note: request.note ?? null,
      note_public: request.note && request.notePublic ? 1 : 0, data: JSON.stringify(eventData(request, after)),
    });
    const delta = counterDelta(result.effects, row, trx.now, request.callback ?? null, after.overdue_stages);
    if (endedLate && row.overdue_stages === 0) delta.overdue = (delta.overdue ?? 0) + 1;
    await recordCaseCounters(trx.db, after, ctx.app.config.timeZone, trx.now, delta);
    if (result.effects.includes('count_closed')) await closeMergedChildren(trx, after);
    if (result.effects.includes('merge_into')) await noteMergeOnParent(trx, after);
    if (result.effects.includes('escalate_org') || result.effects.includes('mark_supervised')) {
      const target = escalationTarget(after);
      await caseRepository.insertNotification(trx.db, {
        case_id: row.id, org_code: target, role: result.action === 'supervise' ? 'handler' : 'leader', kind: result.action,
        message: `${after.number}: ${result.action === 'supervise' ? `督办 ${request.note ?? ''}` : `上报上级 (level ${after.escalation_level})`}`, created_at: trx.now.toISOString(),
      });
    }
    return after;
  });
}

/** A 治理方案's deadline is the new deadline it sets; a different newDeadline beside it is refused. */
function withPlanDeadline(request: TransitionRequest): TransitionRequest {
  const plan = request.governancePlan;
  if (!plan || typeof plan.deadline !== 'string') return request;
  if (request.newDeadline !== undefined && Date.parse(request.newDeadline) !== Date.parse(plan.deadline)) {
    throw new AppError('validation_failed', 'newDeadline differs from governancePlan.deadline: send the plan\'s deadline only', { field: 'newDeadline' });
  }
  return { ...request, newDeadline: plan.deadline };
}

/** Whether this transition ends a running stage past its deadline that the sweeper has not yet counted as red. */
function stageEndedLate(row: CaseRow, result: TransitionResult, now: Date): boolean {
  return result.effects.includes('start_stage') && row.stage_deadline !== null && !row.suspended_at
    && now.toISOString() > row.stage_deadline && LIGHT_RANK[row.light] < LIGHT_RANK.red;
}

function eventData(request: TransitionRequest, after: CaseRow) {
  const { departmentId, targetCaseId, callback, newDeadline, extensionAmount, governancePlan } = request;
  return { departmentId, targetCaseId, callback, newDeadline, extensionAmount, governancePlan, deadline: after.deadline, stageDeadline: after.stage_deadline, light: after.light };
}

/** The column changes a transition's effects make, in the order the flow lists them. */
async function effectPatch(ctx: Ctx, row: CaseRow, result: TransitionResult, input: TransitionRequest): Promise<Updateable<CaseTable>> {
  const now = ctx.now;
  const cal = getWorkCalendar(ctx.app);
  const lights = ctx.app.config.lights;
  let stageClock: StageClock | null = clockFromJson(row.stage_clock);
  let caseClock: StageClock | null = clockFromJson(row.case_clock);
  let stage = row.stage;
  const patch: Updateable<CaseTable> = { status: result.to, previous_status: result.previousState, updated_at: now.toISOString() };
  const category = await catalogueRepository.findCategoryById(ctx.db, row.category_id);
  const limits = workflowTimeLimits(ctx.app.config, row.workflow, row.channel, category ? categoryTimeLimits(category) : {});

  for (const effect of result.effects) {
    switch (effect) {
      case 'start_stage': {
        stage = result.stage ?? null;
        const limit = stage ? limits[stage as keyof typeof limits] : undefined;
        stageClock = limit ? startStage(now, limit) : null;
        patch.stage = stage;
        patch.stage_started_at = stageClock ? now.toISOString() : null;
        break;
      }
      case 'stop_clock':
        if (stageClock) stageClock = suspendStage(stageClock, now);
        if (caseClock && !caseClock.suspendedAt) caseClock = suspendStage(caseClock, now);
        break;
      case 'resume_clock':
        if (stageClock?.suspendedAt) stageClock = resumeStage(stageClock, now, cal);
        if (caseClock?.suspendedAt) caseClock = resumeStage(caseClock, now, cal);
        break;
      case 'extend_deadline': {
        if (!stageClock) throw new AppError('transition_not_allowed', 'this stage has no time limit to extend');
        const current = stageDeadline(stageClock, cal, now);
        // Approving without an amount grants what was requested (申请延期 → 批准延期).
        const amount = input.extensionAmount ?? requestedAmount(row);
        if (!input.newDeadline && !amount) throw new AppError('validation_failed', 'no extension was requested: give extensionAmount or newDeadline', { field: 'extensionAmount' });
        const next = input.newDeadline ? new Date(input.newDeadline) : addWorkingTime(current, amount ?? 0, stageClock.limit.unit, cal);
        if (Number.isNaN(next.getTime()) || next <= current) throw new AppError('validation_failed', 'the new deadline must be later than the current one', { field: input.governancePlan ? 'governancePlan.deadline' : input.newDeadline ? 'newDeadline' : 'extensionAmount' });
        stageClock = extendStage(stageClock, next, now);
        if (caseClock && stageDeadline(caseClock, cal, now) < next) caseClock = extendStage(caseClock, next, now);
        patch.extension_count = row.extension_count + 1;
        patch.pending_extension = null;
        break;
      }
      case 'set_department': {
        const dept = input.departmentId === undefined ? undefined : await catalogueRepository.findDepartmentById(ctx.db, input.departmentId);
        if (!dept) throw new AppError('department_not_found', `department ${input.departmentId} does not exist`, { field: 'departmentId' });
        patch.department_id = dept.id;
        break;
      }
      case 'clear_department': patch.department_id = null; break;
      case 'count_registered': patch.registered_at = now.toISOString(); break;
      case 'count_dispatched': patch.dispatched_at = now.toISOString(); break;
      case 'count_handled': patch.handled_at = now.toISOString(); break;
      case 'count_closed': patch.closed_at = now.toISOString(); caseClock = null; break;
      case 'count_rework': patch.rework_count = row.rework_count + 1; break;
      case 'record_callback':
        // One evaluation per round: 回访 or the citizen's own rating, never both (reopen clears it).
        if (row.callback_contacted !== null) throw new AppError('already_evaluated', `case ${row.number} has already been evaluated`);
        patch.callback_contacted = input.callback?.contacted ? 1 : 0;
        patch.callback_solved = input.callback?.solved ? 1 : 0;
        patch.callback_satisfaction = input.callback?.satisfaction ?? null;
        break;
      case 'mark_supervised': patch.supervised = 1; patch.supervise_note = input.note ?? null; break;
      case 'escalate_org': patch.escalation_level = row.escalation_level + 1; break;
      case 'merge_into': patch.parent_case_id = await mergeTarget(ctx, row, input.targetCaseId); caseClock = null; break;
      case 'void': caseClock = null; patch.closed_at = now.toISOString(); break;
      case 'transfer_out': caseClock = null; patch.closed_at = now.toISOString(); break;
      case 'reopen': {
        patch.closed_at = null;
        patch.callback_contacted = null;
        patch.callback_solved = null;
        patch.callback_satisfaction = null;
        const handle = limits.handle;
        caseClock = handle ? startStage(now, handle) : null;
        break;
      }
      default: break;
    }
  }
  if (result.action === 'request_extension') {
    patch.pending_extension = JSON.stringify({ extensionAmount: input.extensionAmount ?? null, newDeadline: input.newDeadline ?? null, note: input.note ?? null, by: ctx.actor.name, at: now.toISOString() });
  }
  const columns = stageColumns(stageClock, now, cal, lights);
  if (stageClock && !result.effects.includes('start_stage') && LIGHT_RANK[columns.light] > LIGHT_RANK[row.light]) {
    // A running stage's light rises only through the sweeper, which writes the 超期 count, the
    // notices and 提级 with it: keep the stored light and make the case due for the next sweep.
    columns.light = row.light as typeof columns.light;
    columns.next_light_at = now.toISOString();
  }
  Object.assign(patch, columns);
  patch.case_clock = caseClock ? clockToJson(caseClock) : null;
  if (caseClock) patch.deadline = stageDeadline(caseClock, cal).toISOString();
  return patch;
}

function requestedAmount(row: CaseRow): number | null {
  if (!row.pending_extension) return null;
  const pending = JSON.parse(row.pending_extension) as { extensionAmount?: number | null };
  return typeof pending.extensionAmount === 'number' ? pending.extensionAmount : null;
}

async function mergeTarget(ctx: Ctx, row: CaseRow, targetId: number | undefined): Promise<number> {
  if (targetId === undefined || targetId === row.id) throw new AppError('validation_failed', 'targetCaseId must name another case', { field: 'targetCaseId' });
  const target = await caseRepository.findInScope(ctx.db, targetId, caseScopeFor(ctx.actor));
  if (!target) throw new AppError('case_not_found', `case ${targetId} does not exist or is outside your area`, { field: 'targetCaseId' });
  const def = getWorkflow(target.workflow);
  if (def.states[target.status]?.terminal || target.parent_case_id !== null) {
    throw new AppError('validation_failed', `case ${target.number} is ${target.status}; merge into an open original`, { field: 'targetCaseId' });
  }
  return target.id;
}

async function noteMergeOnParent(ctx: Ctx, child: CaseRow): Promise<void> {
  if (child.parent_case_id === null) return;
  await caseRepository.touch(ctx.db, child.parent_case_id, ctx.now.toISOString());
  await caseRepository.appendEvent(ctx.db, {
    case_id: child.parent_case_id, at: ctx.now.toISOString(),
    actor_kind: ctx.actor.kind, actor_id: ctx.actor.id, actor_name: ctx.actor.name, actor_role: ctx.actor.role,
    action: 'merged_child', from_status: null, to_status: null, note: `${child.number} merged into this case`, note_public: 1, data: JSON.stringify({ childId: child.id }),
  });
}
