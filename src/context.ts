import type { Config } from './config.js';
import type { Db, DbHandle } from './db/database.js';
import type { DialectHelper } from './db/dialect.js';
import type { Actor } from './auth/actor.js';

/** A source of the current instant. Tests pass a frozen clock; code never calls `new Date()` for "now". */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();

/** What lives as long as the process: configuration, the store, the clock and shared in-memory indexes. */
export interface AppContext {
  config: Config;
  store: DbHandle;
  dialect: DialectHelper;
  clock: Clock;
  /** Long-lived services registered by domain areas (e.g. the grid locator), keyed by name. */
  services: Map<string, unknown>;
}

/** What a domain function receives: who acts, on which handle (maybe a transaction), and when. */
export interface Ctx {
  app: AppContext;
  actor: Actor;
  db: Db;
  now: Date;
}

/** Builds a Ctx for an actor at the app clock's current instant. */
export function makeCtx(app: AppContext, actor: Actor, db: Db = app.store.db): Ctx {
  return { app, actor, db, now: app.clock() };
}

/**
 * Runs `fn` in one transaction, handing it a Ctx bound to the transaction. Inside a transaction
 * already (`ctx.db` is one), `fn` joins it, so a command built of commands stays one transaction.
 */
export async function inTransaction<T>(ctx: Ctx, fn: (trx: Ctx) => Promise<T>): Promise<T> {
  if (ctx.db.isTransaction) return fn(ctx);
  return ctx.app.store.db.transaction().execute((trx) => fn({ ...ctx, db: trx }));
}
