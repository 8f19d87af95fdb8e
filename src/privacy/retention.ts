import { makeCtx, inTransaction, type AppContext } from '../context.js';
import { onLeader } from '../cluster/cluster.js';
import { systemActor } from '../auth/actor.js';
import { caseRepository } from '../cases/case.repository.js';
import { privacyRepository } from './privacy.repository.js';
import { sealReporter } from './reporter.js';

const DAY_MS = 86_400_000;
const BATCH = 200;

/** What a retention run did. */
export interface RetentionReport {
  days: number;
  cutoff: string | null;
  anonymised: number;
}

/**
 * Anonymises the reporters of cases closed more than `days` days ago (the configured
 * GRIDLOOP_RETENTION_DAYS unless given; 0 = off): name, phone, ID number and the Open311 e-mail are
 * removed, and each case's timeline records it (`anonymise`, with the retention period). Bounded
 * batches, each case its own transaction; safe to run twice (done cases are marked). Timeline notes
 * are not rewritten: the audit trail is append-only (see docs/SECURITY.md).
 */
export async function runRetention(app: AppContext, days = app.config.privacy.retentionDays): Promise<RetentionReport> {
  if (days <= 0) return { days, cutoff: null, anonymised: 0 };
  const ctx = makeCtx(app, systemActor());
  const cutoff = new Date(ctx.now.getTime() - days * DAY_MS).toISOString();
  const at = ctx.now.toISOString();
  let anonymised = 0;
  for (;;) {
    const due = await privacyRepository.closedWithReporterBefore(app.store.db, cutoff, BATCH);
    if (due.length === 0) break;
    for (const c of due) {
      const done = await inTransaction(ctx, async (trx) => {
        if (!(await privacyRepository.anonymiseReporter(trx.db, c.id, cutoff, at))) return false;
        await caseRepository.appendEvent(trx.db, {
          case_id: c.id, at, actor_kind: 'system', actor_id: 0, actor_name: 'system', actor_role: 'admin',
          action: 'anonymise', note: `举报人个人信息已按保存期限（结案满 ${days} 天）匿名化`, data: JSON.stringify({ retentionDays: days, cutoff }),
        });
        return true;
      });
      if (done) anonymised += 1;
    }
    if (due.length < BATCH) break;
  }
  return { days, cutoff, anonymised };
}

/**
 * Boot step: encrypts reporter phones still stored in clear (rows from before encryption at rest),
 * keeping the masked form for display. Idempotent; returns how many rows it sealed.
 */
export async function sealLegacyReporters(app: AppContext): Promise<number> {
  let sealed = 0;
  for (;;) {
    const rows = await privacyRepository.legacyReporters(app.store.db, BATCH);
    for (const r of rows) {
      const { reporter_name: _name, ...columns } = sealReporter(app, { phone: r.reporter_phone });
      await privacyRepository.setReporterColumns(app.store.db, r.id, columns);
    }
    sealed += rows.length;
    if (rows.length < BATCH) return sealed;
  }
}

/**
 * Start hook of `serve`: runs retention with the SLA sweeper's rhythm, at most hourly, when
 * GRIDLOOP_RETENTION_DAYS is set, on the leading instance only; logs what each run did.
 */
export async function startRetention(app: AppContext): Promise<(() => void) | void> {
  const days = app.config.privacy.retentionDays;
  const every = app.config.sweeper.intervalSeconds;
  if (days <= 0 || every <= 0) return;
  let last = 0;
  let running = false;
  const tick = onLeader(app, () => {
    const now = app.clock().getTime();
    if (running || now - last < 3_600_000) return;
    running = true;
    last = now;
    runRetention(app)
      .then((r) => { if (r.anonymised > 0) console.log(`retention: anonymised the reporters of ${r.anonymised} cases closed before ${r.cutoff} (${r.days} days)`); })
      .catch((err) => console.error('retention failed', err))
      .finally(() => (running = false));
  });
  tick();
  const timer = setInterval(tick, every * 1000);
  timer.unref();
  return () => clearInterval(timer);
}
