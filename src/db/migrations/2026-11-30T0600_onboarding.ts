import { type Kysely } from 'kysely';

// Frozen in time: must not import application code. What bringing a real city in needs:
// - categories get an English name and a retirement time (a retired category is hidden from intake
//   and Open311 but kept, since old cases point at it);
// - legacy_category_codes maps an old code (GB/T 30428.2-2013 four digits, or a city's own) to a
//   current category, for intake and the history import;
// - cases remember the id a history import read them from (unique: importing twice adds nothing)
//   and the legacy code they came in with;
// - org_boundaries holds surveyed outlines of org units (districts, streets, communities) imported
//   from a city's own files; org_outlines stays the union of grids, the fallback.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('categories').addColumn('name_en', 'text').execute();
  await db.schema.alterTable('categories').addColumn('retired_at', 'text').execute();
  await db.schema
    .createTable('legacy_category_codes')
    .addColumn('scheme', 'text', (c) => c.notNull())
    .addColumn('legacy_code', 'text', (c) => c.notNull())
    .addColumn('legacy_name', 'text')
    .addColumn('category_id', 'integer', (c) => c.notNull().references('categories.id'))
    .addColumn('note', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('legacy_category_codes_pk', ['scheme', 'legacy_code'])
    .execute();
  await db.schema.createIndex('legacy_category_codes_code_idx').on('legacy_category_codes').column('legacy_code').execute();
  await db.schema.alterTable('cases').addColumn('source_id', 'text').execute();
  await db.schema.alterTable('cases').addColumn('legacy_category_code', 'text').execute();
  await db.schema.createIndex('cases_source_id_idx').on('cases').column('source_id').unique().execute();
  await db.schema
    .createTable('org_boundaries')
    .addColumn('code', 'text', (c) => c.primaryKey().references('org_units.code'))
    .addColumn('geometry', 'text', (c) => c.notNull())
    .addColumn('min_lon', 'double precision', (c) => c.notNull())
    .addColumn('min_lat', 'double precision', (c) => c.notNull())
    .addColumn('max_lon', 'double precision', (c) => c.notNull())
    .addColumn('max_lat', 'double precision', (c) => c.notNull())
    .addColumn('area_m2', 'double precision', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('org_boundaries').execute();
  await db.schema.dropIndex('cases_source_id_idx').execute();
  await db.schema.alterTable('cases').dropColumn('legacy_category_code').execute();
  await db.schema.alterTable('cases').dropColumn('source_id').execute();
  await db.schema.dropTable('legacy_category_codes').execute();
  await db.schema.alterTable('categories').dropColumn('retired_at').execute();
  await db.schema.alterTable('categories').dropColumn('name_en').execute();
}
