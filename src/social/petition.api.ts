import type { Ctx } from '../context.js';
import { inTransaction } from '../context.js';
import { AppError } from '../errors.js';
import { authRepository } from '../auth/auth.repository.js';
import { orgRepository } from '../org/org.repository.js';
import { caseRepository, type CaseRow } from '../cases/case.repository.js';
import { caseScopeFor } from '../cases/case.scope.js';
import { getWorkCalendar } from '../sla/calendar.loader.js';
import { daysBetween } from '../time/local-date.js';
import { fromLocal, localDate } from '../time/zoned-time.js';
import { addWorkingTime } from '../sla/working-time.js';
import { isCollective, windowEnd } from './petition.rules.js';
import { PETITION_DAYS } from './social.limits.js';
import { socialRepository, type PetitionRow } from './social.repository.js';
import type { PetitionPatch } from './social.schema.js';

/** The petition case `id` in the actor's scope with its record. Throws case_not_found (also for a case of another type). */
export async function loadPetition(ctx: Ctx, id: number): Promise<{ row: CaseRow; petition: PetitionRow }> {
  const row = await caseRepository.findInScope(ctx.db, id, caseScopeFor(ctx.actor));
  const petition = row && row.workflow === 'petition' ? await socialRepository.findPetition(ctx.db, id) : undefined;
  if (!row || !petition) throw new AppError('case_not_found', `petition ${id} does not exist or is outside your area`);
  return { row, petition };
}

type ClockKey = 'acceptance' | 'conclude' | 'reviewWindow' | 'review' | 'recheckWindow' | 'recheck';

/**
 * The statutory clocks of a petition as dates: each step's due instant, its local date, days left
 * from today and when it was done. The running step's due is the case's own stage deadline (with
 * an approved extension and any hearing pause); earlier steps are recomputed from their starts.
 */
export function petitionClocks(ctx: Ctx, row: CaseRow, p: PetitionRow) {
  const tz = ctx.app.config.timeZone;
  const cal = getWorkCalendar(ctx.app);
  const unit = ctx.app.config.social.petitionDayUnit;
  const today = localDate(ctx.now, tz);
  const clocks: { key: ClockKey; due: string; dueDate: string; daysLeft: number; done: string | null }[] = [];
  const push = (key: ClockKey, due: Date, done: string | null) => {
    const dueDate = localDate(due, tz);
    clocks.push({ key, due: due.toISOString(), dueDate, daysLeft: daysBetween(today, dueDate), done });
  };
  const running = (stage: string, start: string, days: number) =>
    row.stage === stage && row.stage_deadline ? new Date(row.stage_deadline) : addWorkingTime(new Date(start), days, unit, cal);
  const endOfWindow = (from: string, days: number) => new Date(fromLocal(windowEnd(new Date(from), days, tz), 86_400_000 - 1, tz));
  const decided = row.registered_at ?? (row.status === 'not_accepted' ? row.closed_at : null);
  push('acceptance', running('acceptance', row.created_at, PETITION_DAYS.acceptance), decided);
  if (row.registered_at) push('conclude', running('conclude', row.registered_at, PETITION_DAYS.conclude), p.replied_at);
  if (p.replied_at) push('reviewWindow', endOfWindow(p.replied_at, PETITION_DAYS.reviewWindow), p.review_requested_at);
  if (p.review_requested_at) push('review', running('review', p.review_requested_at, PETITION_DAYS.review), p.reviewed_at);
  if (p.reviewed_at) push('recheckWindow', endOfWindow(p.reviewed_at, PETITION_DAYS.recheckWindow), p.recheck_requested_at);
  if (p.recheck_requested_at) push('recheck', running('recheck', p.recheck_requested_at, PETITION_DAYS.recheck), p.rechecked_at);
  return clocks;
}

async function caseRef(ctx: Ctx, id: number | null) {
  if (id === null) return null;
  const row = await caseRepository.findById(ctx.db, id);
  return row ? { id: row.id, number: row.number } : null;
}

/** A petition as its case page shows it: petitioners, the 复查/复核 chain, the statutory clocks, 积案 and follow-ups. */
export async function getPetition(ctx: Ctx, id: number) {
  const { row, petition: p } = await loadPetition(ctx, id);
  return {
    caseId: row.id, number: row.number, petitioners: p.petitioners, collective: isCollective(p.petitioners), addressedTo: p.addressed_to, skippedLevel: p.skipped_level === 1,
    repeatOf: await caseRef(ctx, p.repeat_of_case_id), notReacceptable: await caseRef(ctx, p.final_case_id),
    chain: {
      registeredAt: row.created_at, acceptedAt: row.registered_at, repliedAt: p.replied_at, reviewRequestedAt: p.review_requested_at,
      reviewedAt: p.reviewed_at, recheckRequestedAt: p.recheck_requested_at, recheckedAt: p.rechecked_at,
    },
    clocks: petitionClocks(ctx, row, p),
    backlog: { since: p.backlog_since, resolvedAt: p.backlog_resolved_at, leadUserId: p.lead_user_id, leadName: p.lead_name },
    followups: (await socialRepository.followups(ctx.db, id)).map((f) => ({ at: f.at, actor: f.actor_name, note: f.note })),
  };
}

async function audit(ctx: Ctx, row: CaseRow, action: string, note: string | null, data: Record<string, unknown>) {
  const at = ctx.now.toISOString();
  await caseRepository.touch(ctx.db, row.id, at);
  await caseRepository.appendEvent(ctx.db, {
    case_id: row.id, at, actor_kind: ctx.actor.kind, actor_id: ctx.actor.id, actor_name: ctx.actor.name, actor_role: ctx.actor.role,
    action, from_status: null, to_status: null, note, data: JSON.stringify(data),
  });
}

/**
 * Changes a petition's record (包案领导: a leader within the actor's area, who is told; petitioners;
 * addressee; 越级) in one transaction with a timeline event. Throws case_not_found, user_not_found, validation_failed.
 */
export async function updatePetition(ctx: Ctx, id: number, patch: PetitionPatch) {
  return inTransaction(ctx, async (trx) => {
    const { row } = await loadPetition(trx, id);
    const set: Parameters<typeof socialRepository.updatePetition>[2] = {};
    if (patch.petitioners !== undefined) set.petitioners = patch.petitioners;
    if (patch.addressedTo !== undefined) set.addressed_to = patch.addressedTo;
    if (patch.skippedLevel !== undefined) set.skipped_level = patch.skippedLevel ? 1 : 0;
    if (patch.leadUserId !== undefined) {
      const lead = patch.leadUserId === null ? null : await authRepository.findUserById(trx.db, patch.leadUserId);
      const leadOrg = lead ? await orgRepository.findByCode(trx.db, lead.org_code) : undefined;
      if (patch.leadUserId !== null && (!lead || lead.role !== 'leader' || !leadOrg || !row.org_path.startsWith(leadOrg.path))) {
        throw new AppError('validation_failed', 'the 包案领导 must be a leader whose area covers the petition', { field: 'leadUserId' });
      }
      set.lead_user_id = lead?.id ?? null;
      set.lead_name = lead ? lead.display_name || lead.username : null;
      if (lead) await caseRepository.insertNotification(trx.db, { case_id: row.id, org_code: lead.org_code, role: 'leader', kind: 'petition_lead', message: `${row.number}: 您已被确定为包案领导`, created_at: trx.now.toISOString() });
    }
    await socialRepository.updatePetition(trx.db, id, set);
    await audit(trx, row, 'petition_updated', null, { ...patch });
    return getPetition(trx, id);
  });
}

/** Records a 积案 follow-up (the monthly 跟进) with a timeline event. */
export async function addFollowup(ctx: Ctx, id: number, note: string) {
  return inTransaction(ctx, async (trx) => {
    const { row } = await loadPetition(trx, id);
    await socialRepository.insertFollowup(trx.db, { case_id: id, at: trx.now.toISOString(), actor_name: trx.actor.name, note });
    await audit(trx, row, 'petition_followup', note, {});
    return getPetition(trx, id);
  });
}
