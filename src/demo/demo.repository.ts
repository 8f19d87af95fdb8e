import type { Selectable } from 'kysely';
import type { Db } from '../db/database.js';
import type { DemoHistoryTable } from '../db/tables.js';

export type DemoHistoryRow = Selectable<DemoHistoryTable>;
export type DemoHistoryProgress = Pick<DemoHistoryRow, 'state' | 'day' | 'cases' | 'checkpoint' | 'updated_at'>;

/** The demo history's progress row (one row, id 1) and the few counts the demo needs. */
export const demoRepository = {
  async findProgress(db: Db): Promise<DemoHistoryRow | undefined> {
    return db.selectFrom('demo_history').selectAll().where('id', '=', 1).executeTakeFirst();
  },

  async startProgress(db: Db, row: Omit<DemoHistoryRow, 'id'>): Promise<void> {
    await db.insertInto('demo_history').values({ id: 1, ...row }).execute();
  },

  async saveProgress(db: Db, progress: DemoHistoryProgress): Promise<void> {
    await db.updateTable('demo_history').set(progress).where('id', '=', 1).execute();
  },

  async countCases(db: Db): Promise<number> {
    const row = await db.selectFrom('cases').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  },
};
