import type { Kysely } from 'kysely';

// Frozen in time: must not import application code. 按期办结率 judges a petition's written reply
// against its 办结 deadline as it stood then (60 days, or later after an approved extension);
// the case's own stage deadline moves on, so the reply step keeps a copy here. 参评满意率 counts
// ratings by when they were given: `rated_at`.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('petitions').addColumn('conclude_due', 'text').execute();
  await db.schema.alterTable('petitions').addColumn('rated_at', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('petitions').dropColumn('rated_at').execute();
  await db.schema.alterTable('petitions').dropColumn('conclude_due').execute();
}
