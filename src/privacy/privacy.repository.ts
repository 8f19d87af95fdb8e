import type { Updateable } from 'kysely';
import type { Db } from '../db/database.js';
import type { CaseTable } from '../db/tables.js';

/** The SQL of personal-data housekeeping: sealing legacy reporter rows, anonymising old ones. */
export const privacyRepository = {
  /** Cases whose reporter phone is still stored in clear (written before encryption at rest). */
  legacyReporters(db: Db, limit: number) {
    return db.selectFrom('cases').select(['id', 'reporter_name', 'reporter_phone'])
      .where('reporter_phone', 'is not', null).where('reporter_phone_enc', 'is', null)
      .orderBy('id').limit(limit).execute();
  },

  async setReporterColumns(db: Db, caseId: number, columns: Updateable<CaseTable>): Promise<void> {
    await db.updateTable('cases').set(columns).where('id', '=', caseId).execute();
  },

  /** Cases closed before `cutoff` that still hold reporter data, oldest first. */
  closedWithReporterBefore(db: Db, cutoff: string, limit: number) {
    return db.selectFrom('cases').select(['id', 'number'])
      .where('closed_at', 'is not', null).where('closed_at', '<', cutoff).where('reporter_anonymised_at', 'is', null)
      .where((eb) => eb.or([eb('reporter_name', 'is not', null), eb('reporter_phone', 'is not', null), eb('reporter_id_number', 'is not', null)]))
      .orderBy('closed_at').orderBy('id').limit(limit).execute();
  },

  /**
   * Removes a closed case's reporter (and the e-mail an Open311 client sent with it), unless it
   * was reopened meanwhile. Returns whether it did.
   */
  async anonymiseReporter(db: Db, caseId: number, cutoff: string, at: string): Promise<boolean> {
    const result = await db.updateTable('cases')
      .set({ reporter_name: null, reporter_phone: null, reporter_phone_enc: null, reporter_phone_hash: null, reporter_id_number: null, reporter_id_enc: null, reporter_id_hash: null, reporter_anonymised_at: at })
      .where('id', '=', caseId).where('closed_at', '<', cutoff).where('reporter_anonymised_at', 'is', null)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) return false;
    await db.updateTable('open311_requests').set({ email: null }).where('case_id', '=', caseId).execute();
    return true;
  },
};
