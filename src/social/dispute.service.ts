import type { Ctx } from '../context.js';
import { AppError } from '../errors.js';
import type { IntakeInput } from '../cases/case.intake.js';
import type { TransitionRequest } from '../cases/case.transition.js';
import { caseAttributes, caseRepository, type CaseRow } from '../cases/case.repository.js';
import type { TransitionResult } from '../cases/workflow/index.js';
import { addDays } from '../time/local-date.js';
import { fromLocal, localDate } from '../time/zoned-time.js';
import { assertParty, partiesKey, sealParty } from './dispute.parties.js';
import { levelOfPath } from './petition.rules.js';
import { JUDICIAL_CONFIRMATION } from './social.limits.js';
import { socialRepository } from './social.repository.js';
import type { DISPUTE_SOURCES } from './social.schema.js';

/** People involved from which a dispute counts as 群体性 and is flagged for 风险预警. */
export const MANY_PEOPLE = 5;

type Source = (typeof DISPUTE_SOURCES)[number];
const SOURCE_OF_CHANNEL: Record<string, Source> = { court: 'court_delegated', visit: 'walk_in', hotline: 'hotline', patrol: 'patrol', letter: 'petition', online: 'petition' };

/** Whether a dispute is flagged for 风险预警: 重大 risk, or many people involved. */
export function needsRiskWarning(riskLevel: string, peopleCount: number): boolean {
  return riskLevel === 'major' || peopleCount >= MANY_PEOPLE;
}

/**
 * Registers a dispute's record at intake: source, amount, people, risk, parties (ID numbers
 * checked, personal data sealed). A 风险预警 dispute is raised to its street's leaders at once.
 * Throws validation_failed for a bad ID number (the intake then writes nothing).
 */
export async function registerDispute(ctx: Ctx, row: CaseRow, input: IntakeInput): Promise<void> {
  const d = input.dispute ?? {};
  const parties = d.parties ?? [];
  parties.forEach((p, i) => assertParty(p, `dispute.parties[${i}]`));
  const at = ctx.now.toISOString();
  const sealed = parties.map((p) => sealParty(ctx.app, row.id, p, at));
  for (const s of sealed) await socialRepository.insertParty(ctx.db, s);
  const source = d.source ?? SOURCE_OF_CHANNEL[row.channel] ?? 'walk_in';
  if (row.channel === 'court' && !source.startsWith('court')) throw new AppError('validation_failed', 'a dispute referred by a court (channel court) has source court_delegated or court_entrusted', { field: 'dispute.source' });
  const people = d.peopleCount ?? Math.max(2, parties.length);
  const risk = d.riskLevel ?? 'general';
  const warning = needsRiskWarning(risk, people);
  await socialRepository.insertDispute(ctx.db, {
    case_id: row.id, source, amount: d.amount ?? null, people_count: people, risk_level: risk, risk_warning: warning ? 1 : 0,
    mediation_org: d.mediationOrg ?? null, mediators: '[]', parties_key: partiesKey(sealed), created_at: at, updated_at: at,
  });
  // On the case too, where the flow's guards read it (only a court's referral may be extended).
  await socialRepository.setCaseAttributes(ctx.db, row.id, JSON.stringify({ ...caseAttributes(row), disputeSource: source }));
  if (warning && row.street_code) {
    await caseRepository.insertNotification(ctx.db, {
      case_id: row.id, org_code: row.street_code, role: 'leader', kind: 'risk_warning',
      message: `${row.number}: 风险预警 ${risk === 'major' ? '重大矛盾纠纷' : `涉及 ${people} 人`}，已提级至街道`, created_at: at,
    });
  }
}

/**
 * What a dispute must have before a step: an agreement before 调解成功, a referral before 调解不成;
 * an extension only for a court's referral, once, within the configured days. Records the level
 * that resolved it and, from 回访, whether the agreement is kept. Throws validation_failed or
 * transition_not_allowed.
 */
export async function checkDisputeStep(ctx: Ctx, before: CaseRow, result: TransitionResult, request: TransitionRequest): Promise<void> {
  const d = await socialRepository.findDispute(ctx.db, before.id);
  if (!d) return;
  const at = ctx.now.toISOString();
  switch (result.action) {
    case 'succeed':
      if (!d.agreement_at) throw new AppError('validation_failed', 'record the agreement (调解协议书 or 口头协议) before 调解成功', { field: 'agreement' });
      await socialRepository.updateDispute(ctx.db, d.case_id, { resolved_level: levelOfPath(ctx.actor.orgPath), updated_at: at });
      return;
    case 'fail':
      if (!d.referral) throw new AppError('validation_failed', 'record where the dispute goes next (诉讼, 仲裁, 行政裁决, 信访) before 调解不成', { field: 'referral' });
      return;
    case 'request_extension':
    case 'approve_extension': {
      if (!d.source.startsWith('court')) throw new AppError('transition_not_allowed', 'only a court-referred mediation (诉前调解) may be extended');
      const pending = before.pending_extension ? (JSON.parse(before.pending_extension) as { extensionAmount?: number }).extensionAmount : undefined;
      const amount = request.extensionAmount ?? pending;
      const max = ctx.app.config.social.mediation.courtExtensionDays;
      if (amount !== undefined && amount > max) throw new AppError('validation_failed', `a court-referred mediation may be extended by at most ${max} days`, { field: 'extensionAmount' });
      return;
    }
    case 'callback':
      if (request.callback?.contacted) await socialRepository.updateDispute(ctx.db, d.case_id, { agreement_kept: request.callback.solved ? 1 : 0, updated_at: at });
      return;
    default: return;
  }
}

/** The last instant of the 司法确认 window of an agreement in effect at `at`: the end of its 30th local day. */
export function confirmationDeadline(at: Date, timeZone: string): string {
  return new Date(fromLocal(addDays(localDate(at, timeZone), JUDICIAL_CONFIRMATION.windowDays), 86_400_000 - 1, timeZone)).toISOString();
}
