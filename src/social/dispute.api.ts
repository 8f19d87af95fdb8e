import type { Ctx } from '../context.js';
import { inTransaction } from '../context.js';
import { AppError } from '../errors.js';
import { can } from '../auth/policy.js';
import { caseRepository, type CaseRow } from '../cases/case.repository.js';
import { caseScopeFor } from '../cases/case.scope.js';
import { listAttachments } from '../cases/attachment.service.js';
import { daysBetween } from '../time/local-date.js';
import { localDate } from '../time/zoned-time.js';
import { assertParty, presentParty, sealParty, partiesKey } from './dispute.parties.js';
import { confirmationDeadline, needsRiskWarning } from './dispute.service.js';
import { socialRepository, type DisputeRow } from './social.repository.js';
import type { DisputePatch, PartyIn, SessionIn } from './social.schema.js';

/** The dispute case `id` in the actor's scope with its record. Throws case_not_found (also for a case of another type). */
export async function loadDispute(ctx: Ctx, id: number): Promise<{ row: CaseRow; dispute: DisputeRow }> {
  const row = await caseRepository.findInScope(ctx.db, id, caseScopeFor(ctx.actor));
  const dispute = row && row.workflow === 'mediation' ? await socialRepository.findDispute(ctx.db, id) : undefined;
  if (!row || !dispute) throw new AppError('case_not_found', `dispute ${id} does not exist or is outside your area`);
  return { row, dispute };
}

/**
 * A dispute as its case page shows it: details, parties (in clear only for roles that read
 * personal data), sessions, the agreement with its 司法确认 window (end date, days left), referral.
 */
export async function getDispute(ctx: Ctx, id: number) {
  const { row, dispute: d } = await loadDispute(ctx, id);
  const personal = can(ctx.actor, 'case.read_personal');
  const parties = (await socialRepository.parties(ctx.db, id)).map((p) => presentParty(ctx.app, p, personal));
  const sessions = (await socialRepository.sessions(ctx.db, id)).map((s) => ({ id: s.id, heldAt: s.held_at, place: s.place, attendees: s.attendees, summary: s.summary, recordedBy: s.recorded_by }));
  const tz = ctx.app.config.timeZone;
  const daysLeft = d.confirm_deadline ? daysBetween(localDate(ctx.now, tz), localDate(new Date(d.confirm_deadline), tz)) : null;
  return {
    caseId: row.id, number: row.number, source: d.source, courtReferred: d.source.startsWith('court'), amount: d.amount, peopleCount: d.people_count,
    riskLevel: d.risk_level, riskWarning: d.risk_warning === 1, mediationOrg: d.mediation_org, mediators: JSON.parse(d.mediators) as string[],
    resolvedLevel: d.resolved_level, parties, sessions,
    agreement: d.agreement_at ? {
      kind: d.agreement_kind ?? 'oral', summary: d.agreement_summary, attachmentId: d.agreement_attachment_id, effectiveAt: d.agreement_at,
      confirmation: { deadline: d.confirm_deadline, daysLeft, applied: d.confirm_applied === null ? null : d.confirm_applied === 1, appliedAt: d.confirm_applied_at, remindedAt: d.confirm_reminded_at },
    } : null,
    referral: d.referral ? { to: d.referral, note: d.referral_note } : null,
    agreementKept: d.agreement_kept === null ? null : d.agreement_kept === 1,
    transferredFromCaseId: d.transferred_from_case_id,
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

const OPEN_FOR_AGREEMENT = ['mediating', 'agreed', 'followed_up'];

/**
 * Changes a dispute's record in one transaction, with a timeline event: details (a newly flagged
 * 风险预警 is raised to the street), mediators, the agreement (only once mediation has started; it
 * opens the 30-day 司法确认 window), the referral after 调解不成, whether the parties applied for
 * 司法确认 (within the window). Throws case_not_found, transition_not_allowed, validation_failed.
 */
export async function updateDispute(ctx: Ctx, id: number, patch: DisputePatch) {
  return inTransaction(ctx, async (trx) => {
    const { row, dispute: d } = await loadDispute(trx, id);
    const at = trx.now.toISOString();
    const set: Parameters<typeof socialRepository.updateDispute>[2] = { updated_at: at };
    if (patch.amount !== undefined) set.amount = patch.amount;
    if (patch.peopleCount !== undefined) set.people_count = patch.peopleCount;
    if (patch.riskLevel !== undefined) set.risk_level = patch.riskLevel;
    if (patch.mediationOrg !== undefined) set.mediation_org = patch.mediationOrg;
    if (patch.mediators !== undefined) set.mediators = JSON.stringify(patch.mediators);
    const warning = needsRiskWarning(set.risk_level ?? d.risk_level, set.people_count ?? d.people_count);
    if (warning && d.risk_warning === 0) {
      set.risk_warning = 1;
      if (row.street_code) await caseRepository.insertNotification(trx.db, { case_id: row.id, org_code: row.street_code, role: 'leader', kind: 'risk_warning', message: `${row.number}: 风险预警，已提级至街道`, created_at: at });
    }
    if (patch.agreement) {
      if (!OPEN_FOR_AGREEMENT.includes(row.status)) throw new AppError('transition_not_allowed', `an agreement is recorded during mediation, not in state "${row.status}"`, { field: 'agreement' });
      const attachmentId = patch.agreement.attachmentId ?? null;
      if (attachmentId !== null && !(await listAttachments(trx, row.id)).some((a) => a.id === attachmentId)) throw new AppError('validation_failed', `attachment ${attachmentId} is not one of this case's`, { field: 'agreement.attachmentId' });
      if (patch.agreement.kind === 'written' && attachmentId === null) throw new AppError('validation_failed', 'a written agreement (调解协议书) needs its uploaded scan', { field: 'agreement.attachmentId' });
      const effective = patch.agreement.effectiveAt ? new Date(patch.agreement.effectiveAt) : trx.now;
      if (effective > trx.now) throw new AppError('validation_failed', 'an agreement cannot take effect in the future', { field: 'agreement.effectiveAt' });
      Object.assign(set, { agreement_kind: patch.agreement.kind, agreement_summary: patch.agreement.summary, agreement_attachment_id: attachmentId, agreement_at: effective.toISOString(), confirm_deadline: confirmationDeadline(effective, trx.app.config.timeZone), confirm_reminded_at: null });
    }
    if (patch.referral) Object.assign(set, { referral: patch.referral.to, referral_note: patch.referral.note ?? null });
    if (patch.confirmation) {
      const deadline = set.confirm_deadline ?? d.confirm_deadline;
      if (!deadline) throw new AppError('validation_failed', '司法确认 follows an agreement: record the agreement first', { field: 'confirmation' });
      const appliedAt = patch.confirmation.applied ? (patch.confirmation.appliedAt ? new Date(patch.confirmation.appliedAt) : trx.now) : null;
      if (appliedAt && appliedAt.toISOString() > deadline) throw new AppError('validation_failed', `the 30-day window for 司法确认 closed at ${deadline}`, { field: 'confirmation.appliedAt' });
      Object.assign(set, { confirm_applied: patch.confirmation.applied ? 1 : 0, confirm_applied_at: appliedAt ? appliedAt.toISOString() : null });
    }
    await socialRepository.updateDispute(trx.db, id, set);
    await audit(trx, row, 'dispute_updated', null, { ...patch });
    return getDispute(trx, id);
  });
}

/** Adds a party (ID number checked, personal data sealed), with a timeline event. Throws validation_failed. */
export async function addParty(ctx: Ctx, id: number, party: PartyIn) {
  return inTransaction(ctx, async (trx) => {
    const { row } = await loadDispute(trx, id);
    assertParty(party, 'party');
    await socialRepository.insertParty(trx.db, sealParty(trx.app, id, party, trx.now.toISOString()));
    const key = partiesKey(await socialRepository.parties(trx.db, id));
    await socialRepository.updateDispute(trx.db, id, { parties_key: key, updated_at: trx.now.toISOString() });
    await audit(trx, row, 'dispute_party', null, { role: party.role });
    return getDispute(trx, id);
  });
}

/** Records a mediation session (date, place, attendees, summary), with a timeline event. */
export async function addSession(ctx: Ctx, id: number, session: SessionIn) {
  return inTransaction(ctx, async (trx) => {
    const { row } = await loadDispute(trx, id);
    if (!['assigned', 'mediating'].includes(row.status)) throw new AppError('transition_not_allowed', `sessions are recorded while mediating, not in state "${row.status}"`);
    const heldAt = new Date(session.heldAt);
    if (heldAt > trx.now) throw new AppError('validation_failed', 'a session is recorded after it took place', { field: 'heldAt' });
    await socialRepository.insertSession(trx.db, { case_id: id, held_at: heldAt.toISOString(), place: session.place, attendees: session.attendees, summary: session.summary, recorded_by: trx.actor.name, created_at: trx.now.toISOString() });
    await audit(trx, row, 'dispute_session', session.summary, { heldAt: heldAt.toISOString(), place: session.place });
    return getDispute(trx, id);
  });
}
