import type { Kysely } from 'kysely';

// Frozen in time: must not import application code. Whether a timeline event's note may be shown
// to the public (Open311 readers, the updates feed). Staff notes are internal unless the person
// writing them marks them public. Rows written before this migration keep 0: nobody chose to
// publish them, and the table is append-only, so they stay internal.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('case_events').addColumn('note_public', 'integer', (c) => c.notNull().defaultTo(0)).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('case_events').dropColumn('note_public').execute();
}
