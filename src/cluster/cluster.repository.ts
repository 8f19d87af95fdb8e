import { sql } from 'kysely';
import type { Db } from '../db/database.js';

/** The PostgreSQL channel the instances of one database talk on. */
export const CHANNEL = 'gridloop';

/**
 * The SQL of the cluster: notifications between instances and the shared rate-limit tables
 * (throttle_events, rate_windows). Keys arrive already hashed; times are epoch milliseconds.
 */
export const clusterRepository = {
  /** Sends `text` to every instance listening on this database (PostgreSQL only). */
  async notify(db: Db, text: string): Promise<void> {
    await sql`select pg_notify(${CHANNEL}, ${text})`.execute(db);
  },

  /** The times of `key`'s events after `since`, oldest first. */
  async eventsSince(db: Db, key: string, since: number): Promise<number[]> {
    const rows = await db.selectFrom('throttle_events').select('at').where('key', '=', key).where('at', '>', since).orderBy('at').execute();
    return rows.map((r) => Number(r.at));
  },

  async addEvent(db: Db, key: string, at: number, expiresAt: number): Promise<void> {
    await db.insertInto('throttle_events').values({ key, at, expires_at: expiresAt }).execute();
  },

  async clearEvents(db: Db, key: string): Promise<void> {
    await db.deleteFrom('throttle_events').where('key', '=', key).execute();
  },

  /**
   * Counts one hit of `key` in its fixed window, atomically across instances: a window that has
   * ended starts again at 1 and ends `windowMs` after `now`. Returns the hits and the window's end.
   */
  async hit(db: Db, key: string, now: number, windowMs: number): Promise<{ hits: number; expiresAt: number }> {
    const row = await db.insertInto('rate_windows')
      .values({ key, hits: 1, expires_at: now + windowMs })
      .onConflict((oc) => oc.column('key').doUpdateSet({
        hits: sql<number>`case when rate_windows.expires_at <= ${now} then 1 else rate_windows.hits + 1 end`,
        expires_at: sql<number>`case when rate_windows.expires_at <= ${now} then ${now + windowMs} else rate_windows.expires_at end`,
      }))
      .returning(['hits', 'expires_at'])
      .executeTakeFirstOrThrow();
    return { hits: Number(row.hits), expiresAt: Number(row.expires_at) };
  },

  /** Deletes expired rows of both tables; returns how many went. */
  async prune(db: Db, now: number): Promise<number> {
    const events = await db.deleteFrom('throttle_events').where('expires_at', '<=', now).executeTakeFirst();
    const windows = await db.deleteFrom('rate_windows').where('expires_at', '<=', now).executeTakeFirst();
    return Number(events.numDeletedRows) + Number(windows.numDeletedRows);
  },
};
