import { sql } from 'kysely';
import type { Db } from '../db/database.js';

/** The reads behind noticing another process's writes to an SQLite store (cache/store-changes.ts). */
export const storeChangesRepository = {
  /** SQLite's data version of this connection: it changes when another connection commits. */
  async dataVersion(db: Db): Promise<number> {
    const r = await sql<{ data_version: number }>`pragma data_version`.execute(db);
    return Number(r.rows[0]?.data_version ?? 0);
  },

  /** The change counter of every topic (store_changes, bumped by triggers). */
  async versions(db: Db): Promise<Map<string, number>> {
    const rows = await db.selectFrom('store_changes').select(['topic', 'version']).execute();
    return new Map(rows.map((r) => [r.topic, Number(r.version)]));
  },
};
