import { PostgresAdapter, sql, type Kysely } from 'kysely';

// Frozen in time: must not import application code. The big screen's heat map (reports by
// weekday × hour of the city's clock) counted the cases of the period one by one. kpi_report_hours
// keeps the count per org unit (every level on the case's path) × day or month × weekday × hour,
// credited with each report. Backfilled from the cases' report times in GRIDLOOP_TIME_ZONE.

export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  let t = db.schema.createTable('kpi_report_hours')
    .addColumn('org_code', 'text', (c) => c.notNull())
    .addColumn('grain', 'text', (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull())
    // Monday = 0 … Sunday = 6; hour 0–23, both on the city's clock.
    .addColumn('weekday', 'integer', (c) => c.notNull())
    .addColumn('hour', 'integer', (c) => c.notNull())
    .addColumn('n', 'bigint', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('kpi_report_hours_pk', ['org_code', 'grain', 'period', 'weekday', 'hour']);
  if (!pg) t = t.modifyEnd(sql`without rowid`);
  await t.execute();

  const timeZone = process.env.GRIDLOOP_TIME_ZONE || 'Asia/Shanghai';
  const fmt = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', weekday: 'short' });
  const WEEKDAYS: Record<string, number> = { Mon: 0, Tue: 1, Wed: 2, Thu: 3, Fri: 4, Sat: 5, Sun: 6 };
  let after = 0;
  for (;;) {
    const rows = await db.selectFrom('cases').select(['id', 'created_at', 'org_path']).where('id', '>', after).orderBy('id').limit(5000).execute();
    if (rows.length === 0) break;
    after = Number(rows[rows.length - 1].id);
    const counts = new Map<string, { org_code: string; grain: string; period: string; weekday: number; hour: number; n: number }>();
    for (const r of rows) {
      const p: Record<string, string> = {};
      for (const part of fmt.formatToParts(new Date(r.created_at))) p[part.type] = part.value;
      const day = `${p.year}-${p.month}-${p.day}`;
      const weekday = WEEKDAYS[p.weekday];
      const hour = Number(p.hour);
      for (const code of String(r.org_path).split('/').filter(Boolean)) {
        for (const [grain, period] of [['d', day], ['m', day.slice(0, 7)]]) {
          const key = `${code}|${grain}|${period}|${weekday}|${hour}`;
          const row = counts.get(key) ?? { org_code: code, grain, period, weekday, hour, n: 0 };
          row.n += 1;
          counts.set(key, row);
        }
      }
    }
    const values = [...counts.values()];
    for (let i = 0; i < values.length; i += 1000) {
      await db.insertInto('kpi_report_hours').values(values.slice(i, i + 1000))
        .onConflict((oc: any) => oc.columns(['org_code', 'grain', 'period', 'weekday', 'hour']).doUpdateSet({ n: sql`kpi_report_hours.n + excluded.n` })).execute();
    }
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('kpi_report_hours').execute();
}
