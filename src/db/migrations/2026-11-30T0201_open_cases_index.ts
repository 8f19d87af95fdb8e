import { sql, type Kysely } from 'kysely';

// Frozen in time: must not import application code. The big screen's current-state panels (open,
// red, in handling, supervised, pins, watch lists) read the open cases of a subtree. With years of
// history the subtree's cases are mostly closed, so a partial index on the cases without a
// closure time (every open case, plus 不予立案 ones) makes those reads cost what is open, not what
// was ever reported. Queries must say `closed_at is null` for either database to use it.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('cases_open_path_idx').on('cases').columns(['org_path', 'created_at']).where(sql.ref('closed_at'), 'is', null).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('cases_open_path_idx').execute();
}
