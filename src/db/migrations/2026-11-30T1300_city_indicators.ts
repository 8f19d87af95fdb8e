import type { Kysely } from 'kysely';

// Frozen in time: must not import application code. 城市体征: the register of city indicators
// (target with its year, where the value comes from) and their values as a time series, one per
// (indicator, as-of date): manual entries with their evidence, and daily snapshots of the
// figures computed from sensors or cases.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('indicators')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('unit', 'text', (c) => c.notNull())
    // higher | lower: which way is better.
    .addColumn('direction', 'text', (c) => c.notNull())
    // A number, or a water class (I … 劣V) in target_class for class-valued indicators.
    .addColumn('target_value', 'double precision')
    .addColumn('target_class', 'text')
    .addColumn('target_year', 'integer', (c) => c.notNull())
    // manual | sensor | cases; source_ref names the computation (e.g. air.good_days_share).
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('source_ref', 'text')
    // 1 = the target is the plan's figure (规划目标), shipped with the register.
    .addColumn('plan_figure', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema.createTable('indicator_values')
    .addColumn('indicator_code', 'text', (c) => c.notNull().references('indicators.code').onDelete('cascade'))
    // The city date the value is as of.
    .addColumn('as_of', 'text', (c) => c.notNull())
    .addColumn('value', 'double precision')
    .addColumn('value_class', 'text')
    .addColumn('evidence', 'text')
    .addColumn('recorded_by', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('indicator_values_pk', ['indicator_code', 'as_of'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('indicator_values').execute();
  await db.schema.dropTable('indicators').execute();
}
