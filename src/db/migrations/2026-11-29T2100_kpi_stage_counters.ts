import { sql, type Kysely } from 'kysely';

// Frozen in time: must not import application code. Counters for the usual reading of 按期结案
// (closed by the case's own deadline) next to the strict one already kept (every stage within its
// limit), and for 按时核实 / 按时核查. Rows written before this migration know only the strict
// reading; a case closed with every stage on time was also closed by its deadline, so the strict
// count is the best lower bound for them (documented in docs/ARCHITECTURE.md).

const COLUMNS = ['closed_by_deadline', 'verified', 'verified_on_time', 'checked', 'checked_on_time'];

export async function up(db: Kysely<any>): Promise<void> {
  for (const column of COLUMNS) {
    await db.schema.alterTable('kpi_daily').addColumn(column, 'integer', (c) => c.notNull().defaultTo(0)).execute();
  }
  await sql`update kpi_daily set closed_by_deadline = closed_on_time`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const column of COLUMNS) await db.schema.alterTable('kpi_daily').dropColumn(column).execute();
}
