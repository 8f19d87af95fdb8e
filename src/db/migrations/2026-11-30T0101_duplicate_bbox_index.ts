import type { Kysely } from 'kysely';

// Frozen in time: must not import application code. The duplicate check of every intake asks for
// open cases of one category since a time inside a small box of lon/lat. With (category_code,
// created_at) alone every same-category case of the window was fetched to test its position; with
// lon and lat in the index the box is tested on index entries and only candidates are read.
// The new index starts with the old one's columns, so the old one goes.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('cases_dup_box_idx').on('cases').columns(['category_code', 'created_at', 'lon', 'lat']).execute();
  await db.schema.dropIndex('cases_dup_idx').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('cases_dup_idx').on('cases').columns(['category_code', 'created_at']).execute();
  await db.schema.dropIndex('cases_dup_box_idx').execute();
}
