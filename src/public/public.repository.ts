import type { Db } from '../db/database.js';

/** The citizen portal's photo tokens (hashes only). All its SQL lives here. */
export const publicRepository = {
  insertUploadToken(db: Db, row: { token_hash: string; case_id: number; expires_at: string; created_at: string }) {
    return db.insertInto('public_upload_tokens').values(row).execute();
  },

  findUploadToken(db: Db, tokenHash: string) {
    return db.selectFrom('public_upload_tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
  },

  /** Spends one use of a live token; false when it has expired or has no uses left (also under a race). */
  async spendUploadToken(db: Db, tokenHash: string, maxUses: number, nowIso: string): Promise<boolean> {
    const result = await db.updateTable('public_upload_tokens')
      .set((eb) => ({ uses: eb('uses', '+', 1) }))
      .where('token_hash', '=', tokenHash).where('uses', '<', maxUses).where('expires_at', '>', nowIso)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  },
};
