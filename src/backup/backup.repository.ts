import { sql } from 'kysely';
import type { Db } from '../db/database.js';

/** Row counts of a store, for backups and their checks. All backup SQL lives here. */
export const backupRepository = {
  /** Every table of the store (migration bookkeeping included) with its row count, by name. */
  async tableCounts(db: Db): Promise<Record<string, number>> {
    const tables = (await db.introspection.getTables({ withInternalKyselyTables: true })).map((t) => t.name).sort();
    const counts: Record<string, number> = {};
    for (const name of tables) {
      const { rows } = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(name)}`.execute(db);
      counts[name] = Number(rows[0].n);
    }
    return counts;
  },

  /** The content hashes the store's attachments (case attachments and patrol photos) refer to. */
  async attachmentHashes(db: Db): Promise<string[]> {
    return (await db.selectFrom('case_attachments').select('sha256').union(db.selectFrom('patrol_photos').select('sha256')).execute()).map((r) => r.sha256);
  },

  /** PostgreSQL only: exports the snapshot of the caller's REPEATABLE READ transaction for pg_dump. */
  async exportSnapshot(db: Db): Promise<string> {
    const { rows } = await sql<{ id: string }>`select pg_export_snapshot() as id`.execute(db);
    return rows[0].id;
  },
};
