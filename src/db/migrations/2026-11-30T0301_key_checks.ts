import type { Kysely } from 'kysely';

// Frozen in time: must not import application code. Fingerprints (HMAC-SHA256 of a fixed text,
// never the keys) of the personal-data keys this database was written with: one row for the
// search-hash key (`hmac`) and one per encryption key id (`key:<id>`). An instance started with
// other keys (another data directory's generated key file, a typo in GRIDLOOP_PII_KEYS) would
// write phones the others cannot read; `serve` refuses to start instead.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('key_checks')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('key_checks').execute();
}
