import type { Ctx } from '../context.js';
import { AppError } from '../errors.js';
import type { IntakeInput } from '../cases/case.intake.js';
import type { TransitionRequest } from '../cases/case.transition.js';
import type { CaseRow } from '../cases/case.repository.js';
import type { TransitionResult } from '../cases/workflow/index.js';
import { assertWithinWindow } from './petition.rules.js';
import { PETITION_DAYS } from './social.limits.js';
import { socialRepository, type PetitionRow } from './social.repository.js';

const YEAR_MS = 365 * 86_400_000;

/**
 * Registers a petition's record at intake (登记): petitioners, addressee, 越级; finds the same
 * petitioner's earlier petitions on the same matter: one within a year makes this a repeat (重复信访,
 * a 积案 at once); one concluded by 复核 makes it not acceptable again. Both are written on the case
 * (`attributes.petition`) so the intake's answer says so and links the earlier case.
 */
export async function registerPetition(ctx: Ctx, row: CaseRow, input: IntakeInput): Promise<void> {
  const now = ctx.now;
  const key = row.reporter_id_hash ?? row.reporter_phone_hash;
  const prior = key ? await socialRepository.priorPetitions(ctx.db, key, row.category_code, row.id) : [];
  const since = new Date(now.getTime() - YEAR_MS).toISOString();
  const repeat = prior.find((p) => p.created_at >= since);
  const final = prior.find((p) => p.status === 'rechecked');
  await socialRepository.insertPetition(ctx.db, {
    case_id: row.id,
    petitioners: input.petition?.petitioners ?? 1,
    addressed_to: input.petition?.addressedTo ?? null,
    skipped_level: input.petition?.skippedLevel ? 1 : 0,
    petitioner_key: key,
    repeat_of_case_id: repeat?.id ?? null,
    final_case_id: final?.id ?? null,
    backlog_since: repeat ? now.toISOString() : null,
    created_at: now.toISOString(),
  });
  if (!repeat && !final) return;
  const attributes = JSON.parse(row.attributes) as Record<string, unknown>;
  attributes.petition = {
    ...(repeat ? { repeatOf: { id: repeat.id, number: repeat.number } } : {}),
    ...(final ? { notReacceptable: { id: final.id, number: final.number, reason: '复核后以同一事实和理由再提出的信访事项不再受理' } } : {}),
  };
  await socialRepository.setCaseAttributes(ctx.db, row.id, JSON.stringify(attributes));
}

/**
 * The statute's rules at each petition step: no 受理 after 复核 on the same matter; 复查 and 复核
 * requested within 30 days of the reply / opinion; the dates of the chain recorded; a concluded
 * 积案 counts as resolved. Throws not_reacceptable or window_closed.
 */
export async function checkPetitionStep(ctx: Ctx, before: CaseRow, result: TransitionResult, _request: TransitionRequest): Promise<void> {
  const p = await socialRepository.findPetition(ctx.db, before.id);
  if (!p) return;
  const now = ctx.now;
  const at = now.toISOString();
  const tz = ctx.app.config.timeZone;
  switch (result.action) {
    case 'accept':
      if (p.final_case_id !== null) throw new AppError('not_reacceptable', '复核后以同一事实和理由再提出的信访事项不再受理 (see the earlier case)', { field: 'action', caseId: p.final_case_id });
      return;
    case 'reply': await socialRepository.updatePetition(ctx.db, p.case_id, { replied_at: at, conclude_due: before.stage_deadline, ...resolved(p, at) }); return;
    case 'request_review':
      assertWithinWindow('复查', p.replied_at, now, PETITION_DAYS.reviewWindow, tz);
      await socialRepository.updatePetition(ctx.db, p.case_id, { review_requested_at: at });
      return;
    case 'evaluate': await socialRepository.updatePetition(ctx.db, p.case_id, { rated_at: at }); return;
    case 'review_opinion': await socialRepository.updatePetition(ctx.db, p.case_id, { reviewed_at: at }); return;
    case 'request_recheck':
      assertWithinWindow('复核', p.reviewed_at, now, PETITION_DAYS.recheckWindow, tz);
      await socialRepository.updatePetition(ctx.db, p.case_id, { recheck_requested_at: at });
      return;
    case 'recheck_opinion': await socialRepository.updatePetition(ctx.db, p.case_id, { rechecked_at: at, ...resolved(p, at) }); return;
    case 'close':
    case 'reject':
    case 'void':
      if (p.backlog_since && !p.backlog_resolved_at) await socialRepository.updatePetition(ctx.db, p.case_id, { backlog_resolved_at: at });
      return;
    default: return;
  }
}

function resolved(p: PetitionRow, at: string) {
  return p.backlog_since && !p.backlog_resolved_at ? { backlog_resolved_at: at } : {};
}
