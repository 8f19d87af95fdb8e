import type { Kysely } from 'kysely';

// Frozen in time: must not import application code. Reporters' phone and ID numbers at rest:
// `reporter_phone` / `reporter_id_number` keep only the masked display form (138****5678), the
// value itself is in `*_enc` (AES-256-GCM, key id inside) and `*_hash` (HMAC) serves searches.
// Rows written before this migration still hold a phone in clear: the boot step
// `sealLegacyReporters` encrypts them with the configured key (a migration has no key).
// `reporter_anonymised_at` marks cases whose reporter the retention job has removed.

export async function up(db: Kysely<any>): Promise<void> {
  for (const column of ['reporter_phone_enc', 'reporter_phone_hash', 'reporter_id_number', 'reporter_id_enc', 'reporter_id_hash', 'reporter_anonymised_at']) {
    await db.schema.alterTable('cases').addColumn(column, 'text').execute();
  }
  await db.schema.createIndex('cases_reporter_phone_hash_idx').on('cases').column('reporter_phone_hash').execute();
  await db.schema.createIndex('cases_reporter_id_hash_idx').on('cases').column('reporter_id_hash').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('cases_reporter_id_hash_idx').execute();
  await db.schema.dropIndex('cases_reporter_phone_hash_idx').execute();
  for (const column of ['reporter_phone_enc', 'reporter_phone_hash', 'reporter_id_number', 'reporter_id_enc', 'reporter_id_hash', 'reporter_anonymised_at']) {
    await db.schema.alterTable('cases').dropColumn(column).execute();
  }
}
