import { PostgresAdapter, sql, type Kysely } from 'kysely';

// Frozen in time: must not import application code.
//
// Real roll-ups replace kpi_daily (one row per grid × category × department × channel × day,
// 1.6–2 rows per case, and no way for a city-wide query to narrow by day). kpi_rollup holds the
// same counters for EVERY org unit on the way from the city down to the case's grid, per day
// (grain 'd', period YYYY-MM-DD) and per month (grain 'm', period YYYY-MM), keyed by category,
// department and channel: a year of a city reads twelve month rows per key, not the cases.
// kpi_duration holds, with the same keys, a histogram of hours from report to closure in
// log-spaced buckets (16 per doubling, starting at one minute), from which medians are read to
// within 4.4 % (2^(1/16)).
//
// Backfill: the counters come from kpi_daily, whose rows carry each case's district, street and
// community; the histogram from the `close` events (the action that counts 结案 in every
// workflow), in the city's zone (GRIDLOOP_TIME_ZONE, as the counters were). kpi_daily is dropped.

const COUNTERS = [
  'reported', 'registered', 'rejected', 'dispatched', 'dispatched_on_time', 'handled', 'handled_on_time', 'reworked',
  'closed', 'closed_on_time', 'closed_by_deadline', 'should_close', 'verified', 'verified_on_time', 'checked', 'checked_on_time',
  'overdue', 'handling_ms_sum', 'handling_count', 'voided', 'callbacks', 'contacted', 'solved', 'satisfied', 'basically_satisfied', 'dissatisfied',
];
const KEY = ['org_code', 'grain', 'period', 'category_code', 'department_id', 'channel'];
const DIMS = ['grain', 'period', 'org_code', 'org_level', 'parent_code', 'org_path', 'category_code', 'class_code', 'department_id', 'channel'];
const LEVELS = ['city', 'district', 'street', 'community', 'grid'];

export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const pathType = pg ? sql`text collate "C"` : sql`text`;
  const dims = (t: any) => t
    .addColumn('grain', 'text', (c: any) => c.notNull())
    .addColumn('period', 'text', (c: any) => c.notNull())
    .addColumn('org_code', 'text', (c: any) => c.notNull())
    .addColumn('org_level', 'text', (c: any) => c.notNull())
    // '' for the root (keeps the column free of NULLs on both dialects).
    .addColumn('parent_code', 'text', (c: any) => c.notNull())
    .addColumn('org_path', pathType, (c: any) => c.notNull())
    .addColumn('category_code', 'text', (c: any) => c.notNull())
    .addColumn('class_code', 'text', (c: any) => c.notNull())
    .addColumn('department_id', 'integer', (c: any) => c.notNull())
    .addColumn('channel', 'text', (c: any) => c.notNull());
  // SQLite keeps these tables clustered by their key, so a range of periods of one unit is one contiguous read.
  const clustered = (t: any) => (pg ? t : t.modifyEnd(sql`without rowid`));

  let rollup = dims(db.schema.createTable('kpi_rollup'));
  for (const col of COUNTERS) rollup = rollup.addColumn(col, 'bigint', (c: any) => c.notNull().defaultTo(0));
  await clustered(rollup.addPrimaryKeyConstraint('kpi_rollup_pk', KEY)).execute();
  await db.schema.createIndex('kpi_rollup_parent_idx').on('kpi_rollup').columns(['parent_code', 'grain', 'period']).execute();
  await db.schema.createIndex('kpi_rollup_level_idx').on('kpi_rollup').columns(['org_level', 'grain', 'period', 'org_path']).execute();

  const duration = dims(db.schema.createTable('kpi_duration'))
    .addColumn('bucket', 'integer', (c: any) => c.notNull())
    .addColumn('n', 'bigint', (c: any) => c.notNull().defaultTo(0));
  await clustered(duration.addPrimaryKeyConstraint('kpi_duration_pk', [...KEY, 'bucket'])).execute();
  await db.schema.createIndex('kpi_duration_parent_idx').on('kpi_duration').columns(['parent_code', 'grain', 'period']).execute();
  await db.schema.createIndex('kpi_duration_level_idx').on('kpi_duration').columns(['org_level', 'grain', 'period', 'org_path']).execute();

  await backfillCounters(db);
  await backfillDurations(db, process.env.GRIDLOOP_TIME_ZONE || 'Asia/Shanghai');
  await monthTotals(db, 'kpi_rollup', COUNTERS);
  await monthTotals(db, 'kpi_duration', ['n'], ['bucket']);
  await db.schema.dropTable('kpi_daily').execute();
}

/** Day rows of every level from kpi_daily: each level's unit joined on its code (the city by path prefix). */
async function backfillCounters(db: Kysely<any>): Promise<void> {
  const sums = sql.join(COUNTERS.map((c) => sql`sum(k.${sql.ref(c)})`));
  const cols = sql.join([...DIMS, ...COUNTERS].map((c) => sql.ref(c)));
  const joins: Record<string, ReturnType<typeof sql>> = {
    city: sql`u.level = 'city' and substr(k.org_path, 1, length(u.path)) = u.path`,
    district: sql`u.code = k.district_code`,
    street: sql`u.code = k.street_code`,
    community: sql`u.code = k.community_code`,
    grid: sql`u.code = k.org_code and u.level = 'grid'`,
  };
  for (const level of LEVELS) {
    await sql`insert into kpi_rollup (${cols})
      select 'd', k.day, u.code, u.level, coalesce(u.parent_code, ''), u.path, k.category_code, min(k.class_code), k.department_id, k.channel, ${sums}
      from kpi_daily k join org_units u on ${joins[level]}
      group by k.day, u.code, u.level, u.parent_code, u.path, k.category_code, k.department_id, k.channel`.execute(db);
  }
}

/** Hours from report to close of every `close` event, in the case's units, counted per local day. */
async function backfillDurations(db: Kysely<any>, timeZone: string): Promise<void> {
  const units = new Map<string, { code: string; level: string; parent: string; path: string }>();
  for (const u of await db.selectFrom('org_units').select(['code', 'level', 'parent_code', 'path']).execute()) units.set(u.path, { code: u.code, level: u.level, parent: u.parent_code ?? '', path: u.path });
  const day = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  let after = 0;
  for (;;) {
    const rows = await db.selectFrom('case_events as e').innerJoin('cases as c', 'c.id', 'e.case_id')
      .select(['e.id', 'e.at', 'c.created_at', 'c.org_path', 'c.category_code', 'c.class_code', 'c.department_id', 'c.channel'])
      .where('e.action', '=', 'close').where('e.id', '>', after).orderBy('e.id').limit(2000).execute();
    if (rows.length === 0) return;
    after = Number(rows[rows.length - 1].id);
    const counts = new Map<string, Record<string, unknown>>();
    for (const r of rows) {
      const hours = (Date.parse(r.at) - Date.parse(r.created_at)) / 3_600_000;
      const minutes = hours * 60;
      const bucket = minutes < 1 ? 0 : Math.min(400, Math.floor(16 * Math.log2(minutes)) + 1);
      const period = day.format(new Date(r.at));
      const segments = String(r.org_path).split('/').filter(Boolean);
      for (let i = 1; i <= segments.length; i++) {
        const unit = units.get(`/${segments.slice(0, i).join('/')}/`);
        if (!unit) continue;
        const key = [unit.code, period, r.category_code, r.department_id ?? 0, r.channel, bucket].join('|');
        const row = counts.get(key) ?? { grain: 'd', period, org_code: unit.code, org_level: unit.level, parent_code: unit.parent, org_path: unit.path, category_code: r.category_code, class_code: r.class_code, department_id: r.department_id ?? 0, channel: r.channel, bucket, n: 0 };
        row.n = Number(row.n) + 1;
        counts.set(key, row);
      }
    }
    const values = [...counts.values()];
    for (let i = 0; i < values.length; i += 500) {
      await db.insertInto('kpi_duration').values(values.slice(i, i + 500))
        .onConflict((oc: any) => oc.columns([...KEY, 'bucket']).doUpdateSet({ n: sql`kpi_duration.n + excluded.n` })).execute();
    }
  }
}

/** Month rows: the sums of the day rows of each month. */
async function monthTotals(db: Kysely<any>, table: string, measures: string[], extraKey: string[] = []): Promise<void> {
  const group = [...DIMS.filter((d) => d !== 'grain' && d !== 'period' && d !== 'class_code'), ...extraKey];
  const cols = sql.join([...DIMS, ...extraKey, ...measures].map((c) => sql.ref(c)));
  await sql`insert into ${sql.table(table)} (${cols})
    select 'm', substr(period, 1, 7), ${sql.join(DIMS.slice(2).map((d) => (d === 'class_code' ? sql`min(class_code)` : sql.ref(d))))}${extraKey.length ? sql`, ${sql.join(extraKey.map((k) => sql.ref(k)))}` : sql``}, ${sql.join(measures.map((m) => sql`sum(${sql.ref(m)})`))}
    from ${sql.table(table)} where grain = 'd'
    group by substr(period, 1, 7), ${sql.join(group.map((g) => sql.ref(g)))}`.execute(db);
}

/**
 * Back to kpi_daily (as the earlier migrations left it), refilled from the day roll-ups at the
 * deepest levels: each grid's rows, and each community's rows less what its grids hold (the cases
 * located to the community without a grid). The closure-time histograms have no place there.
 */
export async function down(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const pathType = pg ? sql`text collate "C"` : sql`text`;
  const dimsSql = sql`day text not null, org_code text not null, org_path ${pathType} not null, district_code text not null,
    street_code text not null, community_code text not null, category_code text not null, class_code text not null,
    department_id integer not null, channel text not null`;
  const counters = sql.join(COUNTERS.map((c) => sql`${sql.ref(c)} bigint not null default 0`));
  await sql`create table kpi_daily (${dimsSql}, ${counters},
    constraint kpi_daily_pk primary key (day, org_code, category_code, department_id, channel))`.execute(db);
  await db.schema.createIndex('kpi_daily_path_idx').on('kpi_daily').columns(['org_path', 'day']).execute();
  await db.schema.createIndex('kpi_daily_dept_idx').on('kpi_daily').columns(['department_id', 'day']).execute();
  const cols = sql.join(['day', 'org_code', 'org_path', 'district_code', 'street_code', 'community_code', 'category_code', 'class_code', 'department_id', 'channel', ...COUNTERS].map((c) => sql.ref(c)));
  const key = sql`g.period = r.period and g.category_code = r.category_code and g.department_id = r.department_id and g.channel = r.channel`;
  await sql`insert into kpi_daily (${cols})
    select r.period, r.org_code, r.org_path, s.parent_code, c.parent_code, c.code, r.category_code, r.class_code, r.department_id, r.channel,
      ${sql.join(COUNTERS.map((k) => sql`r.${sql.ref(k)}`))}
    from kpi_rollup r join org_units c on c.code = r.parent_code join org_units s on s.code = c.parent_code
    where r.grain = 'd' and r.org_level = 'grid'`.execute(db);
  await sql`insert into kpi_daily (${cols})
    select r.period, r.org_code, r.org_path, s.parent_code, s.code, r.org_code, r.category_code, r.class_code, r.department_id, r.channel,
      ${sql.join(COUNTERS.map((k) => sql`r.${sql.ref(k)} - coalesce((select sum(g.${sql.ref(k)}) from kpi_rollup g
        where g.grain = 'd' and g.org_level = 'grid' and g.parent_code = r.org_code and ${key}), 0)`))}
    from kpi_rollup r join org_units s on s.code = r.parent_code
    where r.grain = 'd' and r.org_level = 'community'`.execute(db);
  await sql`delete from kpi_daily where ${sql.join(COUNTERS.map((k) => sql`${sql.ref(k)} = 0`), sql` and `)}`.execute(db);
  await db.schema.dropTable('kpi_duration').execute();
  await db.schema.dropTable('kpi_rollup').execute();
}
