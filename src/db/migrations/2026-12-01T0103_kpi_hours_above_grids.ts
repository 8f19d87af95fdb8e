import { sql, type Kysely } from 'kysely';

// Frozen in time: must not import application code.
//
// The heat-map roll-up (kpi_hours) stops above the grids: a grid's rows were about one per report
// (a grid's reports rarely share a day), so they cost a row write per report and saved little; the
// big screen counts a grid's heat map from its cases (few, read by cases_org_path_idx). `down`
// counts the grid rows back from the cases' report times in GRIDLOOP_TIME_ZONE (as T0202 did).

export async function up(db: Kysely<any>): Promise<void> {
  await sql`delete from kpi_hours where org_code in (select code from org_units where level = 'grid')`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  const grids = new Set((await db.selectFrom('org_units').select('code').where('level', '=', 'grid').execute()).map((u) => u.code as string));
  const timeZone = process.env.GRIDLOOP_TIME_ZONE || 'Asia/Shanghai';
  const fmt = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', weekday: 'short' });
  const WEEKDAYS: Record<string, number> = { Mon: 0, Tue: 1, Wed: 2, Thu: 3, Fri: 4, Sat: 5, Sun: 6 };
  const cells = new Map<string, Record<number, number>>();
  let after = 0;
  for (;;) {
    const rows = await db.selectFrom('cases').select(['id', 'created_at', 'grid_code']).where('id', '>', after).where('grid_code', 'is not', null).orderBy('id').limit(5000).execute();
    if (rows.length === 0) break;
    after = Number(rows[rows.length - 1].id);
    for (const r of rows) {
      if (!grids.has(r.grid_code)) continue;
      const p: Record<string, string> = {};
      for (const part of fmt.formatToParts(new Date(r.created_at))) p[part.type] = part.value;
      const day = `${p.year}-${p.month}-${p.day}`;
      const cell = WEEKDAYS[p.weekday] * 24 + Number(p.hour);
      for (const key of [`${r.grid_code}|d|${day}`, `${r.grid_code}|m|${day.slice(0, 7)}`]) {
        const c = cells.get(key) ?? {};
        c[cell] = (c[cell] ?? 0) + 1;
        cells.set(key, c);
      }
    }
  }
  const values = [...cells].map(([key, c]) => {
    const [org_code, grain, period] = key.split('|');
    return { org_code, grain, period, cells: JSON.stringify(c) };
  });
  for (let i = 0; i < values.length; i += 1000) await db.insertInto('kpi_hours').values(values.slice(i, i + 1000)).execute();
}
