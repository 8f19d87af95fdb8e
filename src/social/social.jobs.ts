import type { AppContext } from '../context.js';
import { systemActor } from '../auth/actor.js';
import { inTransaction, makeCtx } from '../context.js';
import { caseRepository } from '../cases/case.repository.js';
import { JUDICIAL_CONFIRMATION } from './social.limits.js';
import { socialRepository } from './social.repository.js';
import { everyOnLeader } from '../cluster/cluster.js';
import type { Db } from '../db/database.js';

const DAY_MS = 86_400_000;

export interface SocialSweepResult {
  /** Mediators reminded that a 司法确认 window closes within 5 days. */
  reminded: number;
  /** Petitions past their limit that became 积案. */
  backlogged: number;
}

/**
 * The periodic part of disputes and petitions, idempotent and in bounded batches: reminds the
 * mediators (their case's community, role mediator) of 司法确认 windows closing within five days
 * that the parties have not used, once per agreement; flags petitions open past their stage limit
 * as 积案. Runs with the SLA sweeper.
 */
export async function sweepSocial(app: AppContext, now: Date = app.clock(), batch = 200): Promise<SocialSweepResult> {
  const ctx = { ...makeCtx(app, systemActor()), now };
  const result: SocialSweepResult = { reminded: 0, backlogged: 0 };
  const by = new Date(now.getTime() + JUDICIAL_CONFIRMATION.remindDaysBefore * DAY_MS).toISOString();
  await inTransaction(ctx, async (trx) => {
    for (const d of await socialRepository.dueConfirmationReminders(trx.db, now.toISOString(), by, batch)) {
      await caseRepository.insertNotification(trx.db, {
        case_id: d.case_id, org_code: d.community_code ?? d.street_code ?? d.city_code, role: 'mediator', kind: 'judicial_confirmation_due',
        message: `${d.number}: 司法确认申请期限将于 ${d.confirm_deadline?.slice(0, 10)} 届满，请提醒双方当事人`, created_at: now.toISOString(),
      });
      await socialRepository.updateDispute(trx.db, d.case_id, { confirm_reminded_at: now.toISOString() });
      result.reminded++;
    }
    result.backlogged = await flagBacklog(trx.db, now, batch);
  });
  return result;
}

/** Flags up to `batch` open petitions past their stage limit at `now` as 积案 (backlog since now); returns how many. */
export async function flagBacklog(db: Db, now: Date, batch = 200): Promise<number> {
  const overdue = await socialRepository.overduePetitionsNotInBacklog(db, now.toISOString(), batch);
  for (const p of overdue) await socialRepository.updatePetition(db, p.id, { backlog_since: now.toISOString() });
  return overdue.length;
}

/** Start hook: runs sweepSocial with the SLA sweeper's interval, on the leading instance only. */
export async function startSocialSweeper(app: AppContext): Promise<(() => void) | void> {
  const seconds = app.config.sweeper.intervalSeconds;
  if (seconds <= 0) return;
  return everyOnLeader(app, 'social sweeper', seconds * 1000, () => sweepSocial(app));
}
