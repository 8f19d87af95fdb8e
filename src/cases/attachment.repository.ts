import type { Insertable, Selectable } from 'kysely';
import type { Db } from '../db/database.js';
import type { CaseAttachmentTable } from '../db/tables.js';

export type AttachmentRow = Selectable<CaseAttachmentTable>;

/** Case attachments' rows (the bytes live in attachment.store.ts). */
export const attachmentRepository = {
  async insert(db: Db, row: Omit<Insertable<CaseAttachmentTable>, 'id'>): Promise<number> {
    const { id } = await db.insertInto('case_attachments').values(row).returning('id').executeTakeFirstOrThrow();
    return id;
  },

  /** A case's attachments, oldest first. */
  async listForCase(db: Db, caseId: number): Promise<AttachmentRow[]> {
    return db.selectFrom('case_attachments').selectAll().where('case_id', '=', caseId).orderBy('id').execute();
  },

  /** One attachment, only if it belongs to the case. */
  async findOnCase(db: Db, caseId: number, attachmentId: number): Promise<AttachmentRow | undefined> {
    return db.selectFrom('case_attachments').selectAll().where('id', '=', attachmentId).where('case_id', '=', caseId).executeTakeFirst();
  },
};
