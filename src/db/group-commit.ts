import type { ControlledTransaction } from 'kysely';
import type { Db, DbHandle } from './database.js';
import type { Database } from './tables.js';

/**
 * A write a unit leaves for the end of its batch, so that the batch's units share one statement
 * (counter roll-ups: one upsert for the batch instead of one per unit). Units with the same `key`
 * share one state: `open` makes it, `add` puts a unit's part in (only for a unit that succeeded, so
 * a failed unit leaves nothing), and `write` stores it once, on the batch's transaction, before the
 * commit. A `write` that throws fails the whole batch.
 */
export interface BatchWrite<S = unknown> {
  key: string;
  open(): S;
  add(state: S): void;
  write(state: S, db: Db): Promise<void>;
}

/** Hands a unit's end-of-batch writes to its batch (see BatchWrite). */
export type Defer = <S>(write: BatchWrite<S>) => void;

interface Member {
  fn: (db: Db, defer: Defer) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

/** Members past this many commit even if more are waiting, so that a steady stream still gets answered. */
const MAX_MEMBERS = 64;
const SAVEPOINT = 'member';

/**
 * Group commit for the embedded SQLite store: units of work that arrive while a batch is open (in
 * practice, the requests read in one turn of the event loop) share one transaction and so one
 * commit, i.e. one fsync, instead of one each. better-sqlite3 runs every statement, the commit's
 * fsync included, on the main thread, so under concurrent writes the fsyncs were most of the wall
 * time of an intake.
 *
 * Each unit is still atomic on its own: it runs inside a savepoint, alone on the connection (units
 * run one after the other); when it throws, its savepoint is rolled back and only it fails, at once.
 * A unit that succeeded resolves only after the shared commit, so nothing is acknowledged before it
 * is durable; if the commit fails, every unit of the batch rejects with that error. The batch stays
 * open until the event loop's check phase (setImmediate) after it began and commits as soon as no
 * unit is waiting then, or after MAX_MEMBERS units.
 *
 * While a batch is open it holds the connection, so other queries wait for its commit (as they wait
 * for any transaction on SQLite's single connection) and never see its uncommitted rows. A unit
 * must not use any other handle than the one it is given (it would wait for the batch forever).
 */
export class GroupCommit {
  readonly #db: Db;
  readonly #queue: Member[] = [];
  #draining = false;
  #wake: (() => void) | null = null;
  /** Units committed and batches committed, for tests and benchmarks. */
  readonly stats = { units: 0, batches: 0 };

  constructor(db: Db) {
    this.#db = db;
  }

  /** Runs `fn` on the shared transaction; resolves with its result once the batch has committed. */
  run<T>(fn: (db: Db, defer: Defer) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ fn, resolve: resolve as (value: unknown) => void, reject });
      this.#wakeUp();
      if (!this.#draining) void this.#drain();
    });
  }

  #wakeUp(): void {
    const wake = this.#wake;
    this.#wake = null;
    wake?.();
  }

  async #drain(): Promise<void> {
    this.#draining = true;
    try {
      while (this.#queue.length > 0) await this.#batch();
    } finally {
      this.#draining = false;
    }
  }

  async #batch(): Promise<void> {
    let trx: ControlledTransaction<Database>;
    try {
      trx = await this.#db.startTransaction().execute();
    } catch (err) {
      for (const m of this.#queue.splice(0)) m.reject(err);
      return;
    }
    const done: { member: Member; value: unknown }[] = [];
    const writes = new Map<string, { write: BatchWrite; state: unknown }>();
    let turnOver = false;
    const turn = setImmediate(() => {
      turnOver = true;
      this.#wakeUp();
    });
    try {
      while (done.length < MAX_MEMBERS) {
        const member = this.#queue.shift();
        if (member) {
          const outcome = await this.#runMember(trx, member);
          if (outcome) {
            done.push({ member, value: outcome.value });
            for (const w of outcome.deferred) {
              let entry = writes.get(w.key);
              if (!entry) writes.set(w.key, (entry = { write: w, state: w.open() }));
              w.add(entry.state);
            }
          }
        } else if (turnOver) {
          break;
        } else {
          await new Promise<void>((resolve) => (this.#wake = resolve));
        }
      }
      for (const { write, state } of writes.values()) await write.write(state, trx);
      await trx.commit().execute();
    } catch (err) {
      // A batch write or the commit failed, or a savepoint could not be rolled back (SQLite may roll the whole
      // transaction back by itself on I/O errors): nothing of this batch is stored.
      await trx.rollback().execute().catch(() => undefined);
      for (const d of done) d.member.reject(err);
      return;
    } finally {
      clearImmediate(turn);
    }
    this.stats.batches++;
    this.stats.units += done.length;
    for (const d of done) d.member.resolve(d.value);
  }

  /**
   * One unit in its savepoint: its value and end-of-batch writes, or undefined when it failed (and
   * was rejected). Throws when the transaction broke.
   */
  async #runMember(trx: ControlledTransaction<Database>, member: Member): Promise<{ value: unknown; deferred: BatchWrite[] } | undefined> {
    const sp = await trx.savepoint(SAVEPOINT).execute();
    const deferred: BatchWrite[] = [];
    try {
      const value = await member.fn(sp, (w) => void deferred.push(w as BatchWrite));
      await sp.releaseSavepoint(SAVEPOINT).execute();
      return { value, deferred };
    } catch (err) {
      member.reject(err);
      await sp.rollbackToSavepoint(SAVEPOINT).execute();
      await sp.releaseSavepoint(SAVEPOINT).execute();
      return undefined;
    }
  }
}

const perStore = new WeakMap<DbHandle, GroupCommit>();

/** The group commit of an SQLite store (one per store, made on first use). */
export function groupCommitOf(store: DbHandle): GroupCommit {
  let gc = perStore.get(store);
  if (!gc) perStore.set(store, (gc = new GroupCommit(store.db)));
  return gc;
}

/**
 * Runs `fn` outside a group commit (PostgreSQL, or inside a caller's transaction) with a Defer
 * whose writes are made right after `fn`, on the same handle: the same writes as in a batch of one.
 */
export async function withDeferredWrites<T>(db: Db, fn: (defer: Defer) => Promise<T>): Promise<T> {
  const writes: BatchWrite[] = [];
  const value = await fn((w) => void writes.push(w as BatchWrite));
  for (const w of writes) {
    const state = w.open();
    w.add(state);
    await w.write(state, db);
  }
  return value;
}
