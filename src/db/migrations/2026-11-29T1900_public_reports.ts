import type { Kysely } from 'kysely';

// Frozen in time: must not import application code. The citizen portal's photo tokens: a report
// made on /report answers a random token that only its submitter holds; its SHA-256 is kept here
// so photos can follow the report for a short while without an account.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('public_upload_tokens')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'integer', (c) => c.notNull().references('cases.id'))
    .addColumn('uses', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('public_upload_tokens').execute();
}
