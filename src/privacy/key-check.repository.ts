import type { Db } from '../db/database.js';

/** The SQL of key_checks: fingerprints of the keys the store was written with. */
export const keyCheckRepository = {
  async list(db: Db): Promise<Map<string, string>> {
    const rows = await db.selectFrom('key_checks').select(['name', 'fingerprint']).execute();
    return new Map(rows.map((r) => [r.name, r.fingerprint]));
  },
  async addMissing(db: Db, rows: { name: string; fingerprint: string; created_at: string }[]): Promise<void> {
    if (rows.length > 0) await db.insertInto('key_checks').values(rows).onConflict((oc) => oc.column('name').doNothing()).execute();
  },
};
