import type { Kysely } from 'kysely';

// Frozen in time: must not import application code. How far the demo history build got, so that
// a build stopped by Ctrl-C, a kill or a crash continues where it stopped (gridloop demo --history,
// or the next start). One row at most (id 1). `checkpoint` is the generator's state as JSON
// (random stream, pending steps), written in the same transaction as the steps it follows.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('demo_history')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('seed', 'integer', (c) => c.notNull())
    .addColumn('days', 'integer', (c) => c.notNull())
    .addColumn('cases_per_day', 'real', (c) => c.notNull())
    .addColumn('end_at', 'text', (c) => c.notNull())
    .addColumn('day', 'integer', (c) => c.notNull())
    .addColumn('cases', 'integer', (c) => c.notNull())
    .addColumn('checkpoint', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('demo_history').execute();
}
