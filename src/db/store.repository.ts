import { sql } from 'kysely';
import type { Db } from './database.js';

/** Queries about the store itself rather than a domain. */
export const storeRepository = {
  /** A cheap read that fails when the store does not answer (the health check). */
  async ping(db: Db): Promise<void> {
    await db.selectFrom('org_units').select('code').limit(1).execute();
  },

  /**
   * SQLite: ANALYZE where the planner's statistics are missing or stale (a table grown or shrunk
   * about 25× since it was last analysed), each bounded by SQLite's own analysis limit; usually a
   * no-op. Returns the tables analysed.
   */
  async optimizeSqlite(db: Db): Promise<string[]> {
    const { rows } = await sql<{ optimize: string }>`pragma optimize=0x10002`.execute(db);
    return rows.map((r) => r.optimize);
  },
};
