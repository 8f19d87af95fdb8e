import type { Kysely } from 'kysely';

// Frozen in time: must not import application code. 断面水质: per 河长制 reach, whether its
// latest sample met the reach's target class, and the one open case a fall below the target
// opened (further falls attach to it until it closes, like alarm bursts).

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('reach_quality_states')
    .addColumn('reach_code', 'text', (c) => c.primaryKey())
    // normal | below
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('case_id', 'integer', (c) => c.references('cases.id'))
    .addColumn('last_class', 'text')
    .addColumn('last_ts', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('reach_quality_states').execute();
}
