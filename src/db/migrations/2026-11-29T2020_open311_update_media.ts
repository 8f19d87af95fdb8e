import type { Kysely } from 'kysely';

// Frozen in time: must not import application code. A photo URL a client (FixMyStreet) posts with
// an update is kept with the update and returned in the updates feed. Earlier updates have none.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('open311_updates').addColumn('media_url', 'text').execute();
  // The feed finds an event's update by event id.
  await db.schema.createIndex('open311_updates_event_idx').on('open311_updates').column('event_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('open311_updates_event_idx').execute();
  await db.schema.alterTable('open311_updates').dropColumn('media_url').execute();
}
