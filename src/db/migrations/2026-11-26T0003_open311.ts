import { PostgresAdapter, sql, type Kysely } from 'kysely';

// Frozen in time: must not import application code. The Open311 GeoReport v2 adapter's tables:
// per-category service settings, batch tokens (an acknowledged POST is a row before the reply),
// Open311-only request metadata, and the idempotency record of mySociety updates.

export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const id = (t: any) => (pg ? t.addColumn('id', 'serial', (c: any) => c.primaryKey()) : t.addColumn('id', 'integer', (c: any) => c.primaryKey().autoIncrement()));

  // One row per category that has Open311 settings; a category without a row is a realtime service.
  // The row also marks "seeded": the boot seed never touches a category that has one.
  await db.schema
    .createTable('open311_services')
    .addColumn('category_id', 'integer', (c) => c.primaryKey().references('categories.id'))
    .addColumn('type', 'text', (c) => c.notNull().defaultTo('realtime').check(sql`type in ('realtime','batch','blackbox')`))
    .addColumn('service_notice', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  // The full validated request is stored in `payload`, and the submitting key's actor in `actor`,
  // so that pending tokens can be turned into cases after a restart.
  await db.schema
    .createTable('open311_tokens')
    .addColumn('token', 'text', (c) => c.primaryKey())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('pending','done','failed')`))
    .addColumn('case_id', 'integer', (c) => c.references('cases.id'))
    .addColumn('error', 'text')
    .addColumn('api_key_id', 'integer', (c) => c.notNull())
    .addColumn('client_request_id', 'text')
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  // NULL client ids never collide on either dialect, so only real retries are deduplicated.
  await db.schema.createIndex('open311_tokens_client_idx').on('open311_tokens').columns(['api_key_id', 'client_request_id']).unique().execute();
  await db.schema.createIndex('open311_tokens_status_idx').on('open311_tokens').columns(['status', 'created_at']).execute();

  // What an Open311 POST carried that the case itself has no column for. Personal data (email)
  // lives here, never in cases.attributes, which every reader of the case sees.
  await db.schema
    .createTable('open311_requests')
    .addColumn('case_id', 'integer', (c) => c.primaryKey().references('cases.id'))
    .addColumn('api_key_id', 'integer')
    .addColumn('token', 'text')
    .addColumn('email', 'text')
    .addColumn('device_id', 'text')
    .addColumn('account_id', 'text')
    .addColumn('media_url', 'text')
    .addColumn('fixmystreet_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  // A mySociety update posted twice with the same update_id by the same key is recorded once.
  await id(db.schema.createTable('open311_updates'))
    .addColumn('api_key_id', 'integer', (c: any) => c.notNull())
    .addColumn('client_update_id', 'text', (c: any) => c.notNull())
    .addColumn('case_id', 'integer', (c: any) => c.notNull().references('cases.id'))
    .addColumn('event_id', 'integer', (c: any) => c.notNull())
    .addColumn('created_at', 'text', (c: any) => c.notNull())
    .execute();
  await db.schema.createIndex('open311_updates_client_idx').on('open311_updates').columns(['api_key_id', 'client_update_id']).unique().execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['open311_updates', 'open311_requests', 'open311_tokens', 'open311_services']) await db.schema.dropTable(t).execute();
}
