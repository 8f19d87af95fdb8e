import type { Kysely } from 'kysely';

// Frozen in time: must not import application code. A message refused, stored as a dead letter
// and then redelivered (its acknowledgement lost with the connection) must not be listed twice:
// dead letters get the SHA-256 of source, topic and payload, unique. Older rows keep NULL.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('reading_dead_letters').addColumn('fingerprint', 'text').execute();
  await db.schema.createIndex('reading_dead_letters_fingerprint_idx').on('reading_dead_letters').column('fingerprint').unique().execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('reading_dead_letters_fingerprint_idx').execute();
  await db.schema.alterTable('reading_dead_letters').dropColumn('fingerprint').execute();
}
