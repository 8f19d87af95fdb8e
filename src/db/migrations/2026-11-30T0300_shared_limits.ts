import type { Kysely } from 'kysely';

// Frozen in time: must not import application code. Several instances on one PostgreSQL database
// share their rate limits here (on SQLite, with one instance, the limits stay in process memory
// and these tables stay empty). Keys are SHA-256 hashes of what is limited (an address, a user
// name, an API key), never the values themselves. Times are epoch milliseconds: every row has an
// `expires_at` after which the leader's clean-up deletes it.
//
// throttle_events: the failures (and known-address marks) of the login throttle and the citizen
// portal's tracking guard, one row per event, read back as a sliding window.
// rate_windows: fixed-window request counters of @fastify/rate-limit (Open311 per key and per
// address, the portal's request budget, the login flood cap), one row per key.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('throttle_events')
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('throttle_events_key_idx').on('throttle_events').columns(['key', 'at']).execute();
  await db.schema.createIndex('throttle_events_expires_idx').on('throttle_events').column('expires_at').execute();
  await db.schema.createTable('rate_windows')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('hits', 'integer', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('rate_windows_expires_idx').on('rate_windows').column('expires_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('rate_windows').execute();
  await db.schema.dropTable('throttle_events').execute();
}
