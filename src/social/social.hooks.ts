import type { Ctx } from '../context.js';
import type { IntakeInput } from '../cases/case.intake.js';
import type { TransitionRequest } from '../cases/case.transition.js';
import { caseRepository, type CaseRow } from '../cases/case.repository.js';
import type { TransitionResult } from '../cases/workflow/index.js';
import { registerDispute, checkDisputeStep } from './dispute.service.js';
import { registerPetition, checkPetitionStep } from './petition.service.js';

/**
 * Intake, inside its transaction: a 矛盾纠纷 or 信访 case gets its own record (parties, repeat and
 * re-acceptance checks). Throws validation_failed for bad parties; the intake then writes nothing.
 */
export async function afterSocialIntake(ctx: Ctx, caseId: number, input: IntakeInput): Promise<void> {
  const row = await caseRepository.findById(ctx.db, caseId);
  if (row?.workflow === 'mediation') await registerDispute(ctx, row, input);
  if (row?.workflow === 'petition') await registerPetition(ctx, row, input);
}

/**
 * A transition, inside its transaction, after the flow allowed it: the case-type rules the flow's
 * data cannot say (信访 windows and no re-acceptance, 调解 prerequisites). A refusal throws and the
 * whole transition rolls back. `before` is the case as it was.
 */
export async function afterSocialTransition(ctx: Ctx, before: CaseRow, result: TransitionResult, request: TransitionRequest): Promise<void> {
  if (before.workflow === 'mediation') await checkDisputeStep(ctx, before, result, request);
  else if (before.workflow === 'petition') await checkPetitionStep(ctx, before, result, request);
}
