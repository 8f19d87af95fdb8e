import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, dialectUnderTest, frozenClock, loginCookie, type TestEnv } from './helpers.js';
import { sharedFiles } from './support/shared.js';
import { buildLosAngeles, LA_CITY } from '../examples/la/build.js';
import { importOrgUnits } from '../src/org/org.import.js';
import { importGrids } from '../src/grids/grid.import.js';
import { importCategoriesFile } from '../src/catalogue/category.admin.js';
import { importCasesFromFile } from '../src/history/history.import.js';
import { parseHistoryMapping } from '../src/history/history.mapping.js';
import { addUser } from '../src/auth/auth.service.js';

/*
 * The Los Angeles worked example end to end on the real MyLA311 records (2018 sample, 10,000 rows):
 * org tree and grids from the neighbourhood-council polygons, the example's categories and mapping,
 * then the KPI API's per-category counts and medians against figures computed here from the raw CSV
 * with independent code (csv-parse, turf point-in-polygon on the raw polygons, wall-clock maths).
 */
const files = sharedFiles('data/la311/la311_2018_mini.csv', 'data/la311/nc-boundary-2019.geojson', 'data/la311/la-city-council-districts-2012.geojson');
const EXAMPLE = path.resolve(import.meta.dirname, '../examples/la');
const mapping = JSON.parse(readFileSync(path.join(EXAMPLE, 'la311.mapping.json'), 'utf8'));

let env: TestEnv;
let admin: string;

/** The expected figures, from the raw CSV alone. */
function expectedFromRaw(csvFile: string, ncFile: string) {
  const rows = parse(readFileSync(csvFile, 'utf8'), { columns: true, bom: true }) as Record<string, string>[];
  const councils = (JSON.parse(readFileSync(ncFile, 'utf8')) as { features: Parameters<typeof booleanPointInPolygon>[1][] }).features;
  // MM/DD/YYYY hh:mm:ss AM as wall-clock milliseconds (all in PST: no DST change in the sample).
  const wall = (t: string) => {
    const m = /^(\d\d)\/(\d\d)\/(\d{4}) (\d\d):(\d\d):(\d\d) (AM|PM)$/.exec(t);
    if (!m) return null;
    const h = (Number(m[4]) % 12) + (m[7] === 'PM' ? 12 : 0);
    return Date.UTC(Number(m[3]), Number(m[1]) - 1, Number(m[2]), h, Number(m[5]), Number(m[6]));
  };
  const byType = new Map<string, { reported: number; closed: number; hours: number[] }>();
  for (const r of rows) {
    const created = wall(r.CreatedDate);
    const isClosed = mapping.closedStatuses.includes(r.Status);
    const closed = isClosed ? wall(r.ClosedDate) : null;
    if (created === null || (isClosed && (closed === null || closed < created))) continue;
    const lon = Number(r.Longitude);
    const lat = Number(r.Latitude);
    if (!r.Longitude || !r.Latitude || !councils.some((c) => booleanPointInPolygon([lon, lat], c))) continue;
    const t = byType.get(r.RequestType) ?? { reported: 0, closed: 0, hours: [] };
    t.reported++;
    if (closed !== null) {
      t.closed++;
      t.hours.push((closed - created) / 3_600_000);
    }
    byType.set(r.RequestType, t);
  }
  const median = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length === 0 ? null : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  };
  return new Map([...byType].map(([type, t]) => [mapping.types[type] as string, { type, reported: t.reported, closed: t.closed, medianHours: median(t.hours) }]));
}

// Runs once, on SQLite: it takes minutes (repairing the council polygons, 10,000 rows), and the
// import's SQL is covered on both stores by test/history.import.test.ts and test/org.import.test.ts.
const onSqlite = dialectUnderTest === 'sqlite';
if (!onSqlite) console.log('la.example.test.ts: runs on SQLite only (the import paths are tested on both stores elsewhere)');
describe.skipIf(!files.present || !onSqlite)('the Los Angeles example on the real LA 311 records', () => {
  beforeAll(async () => {
    env = await createTestEnv({
      clock: frozenClock('2026-11-26T02:00:00Z'),
      config: { cityCode: LA_CITY.code, timeZone: 'America/Los_Angeles', gridCode: { district: 4, street: 2, community: 3, serial: 3 }, locateSnapMetres: 0 },
    });
  }, 120_000);
  afterAll(() => env?.close());

  it('imports the org tree and grids from the council polygons (--repair gives overlaps to one council)', async () => {
    const { orgUnits, grids } = buildLosAngeles(path.dirname(files.paths[1]));
    const fc = (features: unknown[]) => ({ type: 'FeatureCollection', features });
    const units = await importOrgUnits(env.sys(), fc(orgUnits), { repair: true });
    expect(units).toMatchObject({ imported: 130, added: 130, outlines: 99 });
    expect(units.repairs.some((r) => r.action === 'gave_overlap')).toBe(true);
    // The grids are the councils as repaired and stored (import-grids --repair on grids.geojson gives
    // the same shapes, at the cost of repairing them a second time).
    const stored = new Map((await env.app.store.db.selectFrom('org_boundaries').select(['code', 'geometry']).execute()).map((b) => [b.code, JSON.parse(b.geometry)]));
    const report = await importGrids(env.sys(), fc(grids.map((g) => ({ ...g, geometry: stored.get(String(g.properties.community)) }))));
    expect(report.imported).toBe(99);
    await addUser(env.sys(), { username: 'la-admin', password: 'la-admin-pass-1', role: 'admin', orgCode: LA_CITY.code });
    admin = await loginCookie(env.http, 'la-admin', 'la-admin-pass-1');
  }, 120_000);

  it('imports the 2018 records; the KPI API per category matches counts and medians computed from the raw CSV', async () => {
    const categories = await importCategoriesFile(env.sys(), JSON.parse(readFileSync(path.join(EXAMPLE, 'categories.json'), 'utf8')));
    expect(categories.created).toHaveLength(12);
    const summary = await importCasesFromFile(env.sys(), files.paths[0], parseHistoryMapping(mapping));
    const expected = expectedFromRaw(files.paths[0], files.paths[1]);
    const total = [...expected.values()].reduce((n, e) => n + e.reported, 0);
    expect(summary.imported).toBe(total);
    expect(summary.imported).toBeGreaterThan(9000);
    expect(summary.rows).toBe(10_000);

    const res = await env.http.inject({ url: `/api/v1/kpis?org=${LA_CITY.code}&from=2018-12-01&to=2026-11-25&groupBy=category`, headers: { cookie: admin } });
    expect(res.statusCode, res.body).toBe(200);
    const groups = new Map(res.json().groups.map((g: { categoryCode: string; reported: number; closed: number; medianHoursToClose: number | null }) => [g.categoryCode, g]));
    expect([...groups.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [code, e] of expected) {
      const g = groups.get(code) as { reported: number; closed: number; medianHoursToClose: number | null };
      expect({ code, reported: g.reported, closed: g.closed }).toEqual({ code, reported: e.reported, closed: e.closed });
      if (e.medianHours !== null && e.medianHours > 0.1) expect(Math.abs((g.medianHoursToClose as number) - e.medianHours) / e.medianHours, `${e.type} median`).toBeLessThan(0.05);
    }
    // SOURCE.md: the 2018 median days to close of Bulky Items is 3.03 (all rows, by its own count).
    expect((groups.get('LA-BULKY') as { medianHoursToClose: number }).medianHoursToClose / 24).toBeCloseTo(3.03, 0);
  }, 120_000);
});
