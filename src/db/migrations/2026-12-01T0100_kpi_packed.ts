import { PostgresAdapter, sql, type Kysely } from 'kysely';

// Frozen in time: must not import application code.
//
// Packed histograms. kpi_duration held one row per roll-up key × duration bucket and
// kpi_report_hours one row per unit × period × weekday × hour: a closure wrote ten duration rows
// and a report ten hour rows beside its ten kpi_rollup rows, and a year's median read up to ~250
// bucket rows per category and month. Now a key's closure histogram is one JSON object
// {"bucket": count} in kpi_rollup.durations (NULL when the key has no closure), and a unit's
// report hours of a day or month are one row of kpi_hours whose `cells` JSON object counts reports
// per weekday × 24 + hour (Monday 0, the city's clock). Counts are merged in the upsert (SQL over
// json_each / jsonb_each_text), so concurrent writers add up as they did with the per-bucket rows.
// PostgreSQL stores jsonb, SQLite text. The old rows are folded into the new columns; the old
// tables are dropped. `down` unfolds them again.

const KEY = ['org_code', 'grain', 'period', 'category_code', 'department_id', 'channel'];
const DIMS = ['grain', 'period', 'org_code', 'org_level', 'parent_code', 'org_path', 'category_code', 'class_code', 'department_id', 'channel'];

const isPg = (db: Kysely<any>) => db.getExecutor().adapter instanceof PostgresAdapter;

export async function up(db: Kysely<any>): Promise<void> {
  const pg = isPg(db);
  const json = pg ? sql`jsonb` : sql`text`;
  await sql`alter table kpi_rollup add column durations ${json}`.execute(db);
  const hours = db.schema.createTable('kpi_hours')
    .addColumn('org_code', 'text', (c) => c.notNull())
    .addColumn('grain', 'text', (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('cells', pg ? 'jsonb' : 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('kpi_hours_pk', ['org_code', 'grain', 'period']);
  await (pg ? hours : hours.modifyEnd(sql`without rowid`)).execute();

  const agg = (k: ReturnType<typeof sql>, v: ReturnType<typeof sql>) => (pg ? sql`jsonb_object_agg(${k}, ${v})` : sql`json_group_object(${k}, ${v})`);
  const other = (d: string) => (KEY.includes(d) ? sql.ref(d) : sql`min(${sql.ref(d)})`);
  await sql`insert into kpi_rollup (${sql.join(DIMS.map((d) => sql.ref(d)))}, durations)
    select ${sql.join(DIMS.map(other))}, ${agg(sql`cast(bucket as text)`, sql`n`)}
    from kpi_duration where n <> 0
    group by ${sql.join(KEY.map((k) => sql.ref(k)))}
    on conflict (${sql.join(KEY.map((k) => sql.ref(k)))}) do update set durations = excluded.durations`.execute(db);
  await sql`insert into kpi_hours (org_code, grain, period, cells)
    select org_code, grain, period, ${agg(sql`cast(weekday * 24 + hour as text)`, sql`n`)}
    from kpi_report_hours where n <> 0
    group by org_code, grain, period`.execute(db);
  await db.schema.dropTable('kpi_duration').execute();
  await db.schema.dropTable('kpi_report_hours').execute();
}

/** The per-bucket and per-hour tables as 2026-11-30T0200 and T0202 made them, refilled from the packed columns. */
export async function down(db: Kysely<any>): Promise<void> {
  const pg = isPg(db);
  const pathType = pg ? sql`text collate "C"` : sql`text`;
  const clustered = (t: any) => (pg ? t : t.modifyEnd(sql`without rowid`));
  const duration: any = db.schema.createTable('kpi_duration')
    .addColumn('grain', 'text', (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('org_code', 'text', (c) => c.notNull())
    .addColumn('org_level', 'text', (c) => c.notNull())
    .addColumn('parent_code', 'text', (c) => c.notNull())
    .addColumn('org_path', pathType, (c) => c.notNull())
    .addColumn('category_code', 'text', (c) => c.notNull())
    .addColumn('class_code', 'text', (c) => c.notNull())
    .addColumn('department_id', 'integer', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('bucket', 'integer', (c) => c.notNull())
    .addColumn('n', 'bigint', (c) => c.notNull().defaultTo(0));
  await clustered(duration.addPrimaryKeyConstraint('kpi_duration_pk', [...KEY, 'bucket'])).execute();
  await db.schema.createIndex('kpi_duration_parent_idx').on('kpi_duration').columns(['parent_code', 'grain', 'period']).execute();
  await db.schema.createIndex('kpi_duration_level_idx').on('kpi_duration').columns(['org_level', 'grain', 'period', 'org_path']).execute();
  const hours = db.schema.createTable('kpi_report_hours')
    .addColumn('org_code', 'text', (c) => c.notNull())
    .addColumn('grain', 'text', (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('weekday', 'integer', (c) => c.notNull())
    .addColumn('hour', 'integer', (c) => c.notNull())
    .addColumn('n', 'bigint', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('kpi_report_hours_pk', ['org_code', 'grain', 'period', 'weekday', 'hour']);
  await clustered(hours).execute();

  const each = (col: string) => (pg ? sql`jsonb_each_text(${sql.ref(col)})` : sql`json_each(${sql.ref(col)})`);
  const num = pg ? sql`j.key::integer` : sql`cast(j.key as integer)`;
  const val = pg ? sql`j.value::bigint` : sql`j.value`;
  await sql`insert into kpi_duration (${sql.join([...DIMS, 'bucket', 'n'].map((d) => sql.ref(d)))})
    select ${sql.join(DIMS.map((d) => sql.ref(`r.${d}`)))}, ${num}, ${val}
    from kpi_rollup r cross join ${each('r.durations')} j
    where r.durations is not null`.execute(db);
  await sql`insert into kpi_report_hours (org_code, grain, period, weekday, hour, n)
    select h.org_code, h.grain, h.period, ${num} / 24, ${num} % 24, ${val}
    from kpi_hours h cross join ${each('h.cells')} j`.execute(db);
  await db.schema.dropTable('kpi_hours').execute();
  await db.schema.alterTable('kpi_rollup').dropColumn('durations').execute();
}
