import { PostgresAdapter, type Kysely } from 'kysely';

// Frozen in time: must not import application code.
//
// The history import credits the KPI roll-ups once for many batches (one in-memory roll-up over
// the import, flushed at its end or when it grows large), not in each batch's transaction: a
// batch's counter rows barely merge, and writing them per batch cost most of the import. Each
// batch's transaction records here which cases it wrote (`case_ids`, a JSON array); the
// transaction that writes their counters deletes the row. An import that stopped in between
// leaves rows here, and the next import counts those cases first, so counters always end up
// matching the cases.

export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  let t = db.schema.createTable('history_pending_counts');
  t = pg ? t.addColumn('id', 'serial', (c) => c.primaryKey()) : t.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
  await t.addColumn('case_ids', 'text', (c) => c.notNull()).addColumn('created_at', 'text', (c) => c.notNull()).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('history_pending_counts').execute();
}
