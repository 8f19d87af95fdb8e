import type { Actor } from '../auth/actor.js';
import { inTransaction, type AppContext } from '../context.js';
import { isAppError } from '../errors.js';
import { createCaseFrom, storedFiles, type LocatedSubmission } from './open311.intake.js';
import { open311Repository } from './open311.repository.js';

/** Where batch intake logs what it could not do. */
export interface BatchLog {
  error(obj: object, msg: string): void;
}

/**
 * Turns one pending token into its case, acting as the key that submitted it, at the instant it
 * was accepted; the case, its metadata and photos and the token's `done` are one transaction. Idempotent: the intake key `open311-token:<token>` makes a second run return the
 * same case. A domain refusal marks the token failed; anything else (the store is down) leaves it
 * pending for the next run.
 */
export async function processToken(app: AppContext, token: string, log: BatchLog): Promise<void> {
  const row = await open311Repository.findToken(app.store.db, token);
  if (!row || row.status !== 'pending') return;
  const actor = JSON.parse(row.actor) as Actor;
  const sub = JSON.parse(row.payload) as LocatedSubmission;
  const ctx = { app, actor, db: app.store.db, now: new Date(row.created_at) };
  try {
    const files = await storedFiles(ctx, sub.media ?? []);
    await inTransaction(ctx, async (trx) => {
      const { caseId } = await createCaseFrom(trx, sub, files, `open311-token:${token}`, { apiKeyId: row.api_key_id, token });
      await open311Repository.finishToken(trx.db, token, { status: 'done', case_id: caseId, error: null, updated_at: app.clock().toISOString() });
    });
  } catch (err) {
    if (!isAppError(err)) {
      log.error({ err, token }, 'Open311 batch token could not be processed; it stays pending');
      return;
    }
    await open311Repository.finishToken(app.store.db, token, { status: 'failed', case_id: null, error: err.message, updated_at: app.clock().toISOString() });
  }
}

/**
 * The in-process queue of batch tokens: one worker, tokens in arrival order. `idle()` resolves
 * when everything queued so far is done (not while paused); `stop()` waits for the running token and drops the rest
 * (they stay pending in the store and are picked up at the next boot by `enqueuePending`).
 */
export class BatchQueue {
  private readonly queue: string[] = [];
  private running: Promise<void> | null = null;
  private stopped = false;
  private paused: { promise: Promise<void>; release: () => void } | null = null;

  constructor(private readonly app: AppContext, private readonly log: BatchLog) {}

  enqueue(token: string): void {
    if (this.stopped) return;
    this.queue.push(token);
    this.running ??= this.drain();
  }

  /** Queues every token still pending in the store (boot: acknowledged requests are never lost). */
  async enqueuePending(): Promise<number> {
    const rows = await open311Repository.pendingTokens(this.app.store.db, 100_000);
    for (const r of rows) this.enqueue(r.token);
    return rows.length;
  }

  /** Holds the queue: tokens are accepted and stay pending until `resume()` (maintenance, tests). */
  pause(): void {
    if (this.paused) return;
    let release = () => {};
    const promise = new Promise<void>((resolve) => { release = resolve; });
    this.paused = { promise, release };
  }

  /** Lets a paused queue work through what it holds. */
  resume(): void {
    this.paused?.release();
    this.paused = null;
  }

  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.queue.length = 0;
    this.resume();
    await this.idle();
  }

  private async drain(): Promise<void> {
    // Let the reply that enqueued the token go out first.
    await new Promise<void>((resolve) => setImmediate(resolve));
    while (this.paused) await this.paused.promise;
    try {
      for (let token = this.queue.shift(); token !== undefined; token = this.queue.shift()) {
        await processToken(this.app, token, this.log).catch((err: unknown) => this.log.error({ err, token }, 'Open311 batch worker failed'));
      }
    } finally {
      this.running = null;
    }
  }
}

/** The key of the batch queue in `app.services`. */
export const BATCH_QUEUE = 'open311.batch';

/** The app's batch queue, if the Open311 adapter is mounted. */
export function getBatchQueue(app: AppContext): BatchQueue | undefined {
  const q = app.services.get(BATCH_QUEUE);
  return q instanceof BatchQueue ? q : undefined;
}
