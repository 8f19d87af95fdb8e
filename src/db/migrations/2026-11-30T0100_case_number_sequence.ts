import { PostgresAdapter, sql, type Kysely } from 'kysely';

// Frozen in time: must not import application code. Case numbers without a hot row on PostgreSQL.
// The per-day counter row (case_number_counters) was locked by every intake until its commit (the
// upsert's row lock lives as long as the transaction, and even in a statement of its own until its
// commit's fsync), so intakes queued on it. On PostgreSQL a day's serial is now a value of one
// sequence (nextval takes no row lock and is never rolled back) minus the day's base, recorded once
// per prefix and day in case_number_bases. Numbers may have gaps (a failed intake does not give
// its value back). SQLite keeps case_number_counters: its writers are serialised anyway.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('case_number_bases')
    .addColumn('prefix', 'text', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('base', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('case_number_bases_pk', ['prefix', 'day'])
    .execute();
  if (db.getExecutor().adapter instanceof PostgresAdapter) await sql`create sequence if not exists case_number_seq`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) await sql`drop sequence if exists case_number_seq`.execute(db);
  await db.schema.dropTable('case_number_bases').execute();
}
