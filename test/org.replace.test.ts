import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestEnv, dialectUnderTest, loginCookie, type TestEnv } from './helpers.js';
import { importOrgUnits } from '../src/org/org.import.js';
import { importGrids } from '../src/grids/grid.import.js';
import { importCases } from '../src/history/history.import.js';
import { parseHistoryMapping } from '../src/history/history.mapping.js';
import { addUser } from '../src/auth/auth.service.js';
import { ORG_CODE_REFERENCES, ORG_PATH_REFERENCES } from '../src/org/org.repository.js';

// `import-org-units --replace`: units absent from the file go only when nothing points at them.
let env: TestEnv;
const D = 0.01;
const square = (x: number, y: number, d: number) => ({ type: 'Polygon', coordinates: [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]] });
const unit = (code: string, name: string, level: string, parentCode: string | null, geometry: unknown = null) => ({ type: 'Feature', properties: { code, name, level, ...(parentCode ? { parentCode } : {}) }, geometry });
const fc = (...features: unknown[]) => ({ type: 'FeatureCollection', features });
const codes = async () => (await env.app.store.db.selectFrom('org_units').select('code').where('level', '!=', 'grid').orderBy('code').execute()).map((r) => r.code);

const CITY = unit('150300', '乌海市', 'city', null);
const DISTRICT = unit('150302', '乌达区', 'district', '150300', square(106.7, 39.4, 4 * D));
const STREET1 = unit('150302001', '一街道', 'street', '150302', square(106.7, 39.4, 2 * D));
const C1 = unit('150302001001', '一社区', 'community', '150302001', square(106.7, 39.4, D));
const C2 = unit('150302001002', '二社区', 'community', '150302001', square(106.7 + D, 39.4, D));
const C3 = unit('150302001003', '三社区', 'community', '150302001', square(106.7, 39.4 + D, D));
const STREET2 = unit('150302002', '二街道', 'street', '150302', square(106.7 + 2 * D, 39.4, 2 * D));
const C21 = unit('150302002001', '二街一社区', 'community', '150302002', square(106.7 + 2 * D, 39.4, D));
const ALL = [CITY, DISTRICT, STREET1, C1, C2, C3, STREET2, C21];

async function* records(rows: Record<string, string>[]) {
  yield* rows;
}

beforeAll(async () => {
  env = await createTestEnv();
  await importOrgUnits(env.sys(), fc(...ALL));
  // Community 3 holds a grid and a case in it; community 2-1 has a user; community 2 nothing.
  await importGrids(env.sys(), fc({ type: 'Feature', properties: { community: '150302001003' }, geometry: square(106.7, 39.4 + D, D / 2) }));
  const mapping = parseHistoryMapping({ columns: { sourceId: 'id', createdAt: 'created', closedAt: 'closed', status: 'status', type: 'type', lon: 'lon', lat: 'lat' }, timeZone: 'Asia/Shanghai', types: { Garbage: '06010' }, closedStatuses: ['Closed'] });
  const s = await importCases(env.sys(), records([{ id: 'R1', created: '2026-10-01 09:00:00', closed: '2026-10-01 12:00:00', status: 'Closed', type: 'Garbage', lon: String(106.7 + D / 4), lat: String(39.4 + D + D / 4) }]), mapping);
  expect(s.imported).toBe(1);
  await addUser(env.sys(), { username: 'c21-worker', password: 'c21-worker-pass-1', role: 'admin', orgCode: '150302002001' });
  await addUser(env.sys(), { username: 'replace-admin', password: 'replace-admin-pass-1', role: 'admin', orgCode: '150300' });
});
afterAll(() => env.close());

describe('import-org-units --replace', () => {
  it('refuses when a unit that would go is still in use, listing every blocker, and writes nothing', async () => {
    const before = await codes();
    // Drops community 3 (grid + case), street 2 and its community (a user): only community 2 stays.
    const renamed = unit('150302001001', '改名社区', 'community', '150302001', square(106.7, 39.4, D));
    const err = await importOrgUnits(env.sys(), fc(CITY, DISTRICT, STREET1, renamed, C2), { replace: true }).catch((e) => e);
    expect(err.code).toBe('import_failed');
    const messages: string[] = err.details.problems.map((p: { code: string; message: string }) => `${p.code} ${p.message}`);
    expect(messages, messages.join("\n")).toHaveLength(2);
    expect(messages.find((m) => m.includes('150302001003'))).toMatch(/unit_in_use .*grid 150302001003\d+.*1 cases/);
    expect(messages.find((m) => m.includes('150302002001'))).toMatch(/unit_in_use .*1 users\.org_code/);
    expect(await codes()).toEqual(before);
    const name = await env.app.store.db.selectFrom('org_units').select('name').where('code', '=', '150302001001').executeTakeFirstOrThrow();
    expect(name.name).toBe('一社区');
  });

  it('a dry run names what would go; the real run deletes the unused units, their outlines too, in one go', async () => {
    const file = fc(CITY, DISTRICT, STREET1, C1, C3, STREET2, C21); // community 2 absent, nothing points at it
    const dry = await importOrgUnits(env.sys(), file, { replace: true, dryRun: true });
    expect(dry.removed).toEqual(['150302001002']);
    expect(await codes()).toContain('150302001002');
    const real = await importOrgUnits(env.sys(), file, { replace: true });
    expect(real).toMatchObject({ removed: ['150302001002'], added: 0, updated: 7 });
    expect(await codes()).toEqual(['150300', '150302', '150302001', '150302001001', '150302001003', '150302002', '150302002001']);
    const outline = await env.app.store.db.selectFrom('org_boundaries').select('code').where('code', '=', '150302001002').execute();
    expect(outline).toEqual([]);
  });

  it('without --replace absent units stay; a file under one street replaces only below that street', async () => {
    await importOrgUnits(env.sys(), fc(CITY, DISTRICT, STREET1, C1, C2, C3, STREET2, C21));
    expect(await importOrgUnits(env.sys(), fc(C1, C3))).toMatchObject({ removed: [] });
    expect(await codes()).toContain('150302001002');
    // Anchored at street 1: community 2 goes; street 2 and its community are not below the anchor.
    expect((await importOrgUnits(env.sys(), fc(C1, C3), { replace: true })).removed).toEqual(['150302001002']);
    expect(await codes()).toEqual(['150300', '150302', '150302001', '150302001001', '150302001003', '150302002', '150302002001']);
  });

  it('POST /org-units/import?replace=true refuses with 422 and the blockers', async () => {
    const cookie = await loginCookie(env.http, 'replace-admin', 'replace-admin-pass-1');
    const res = await env.http.inject({ method: 'POST', url: '/api/v1/org-units/import?replace=true', payload: fc(CITY, DISTRICT, STREET1, C1, C3), headers: { cookie } });
    expect(res.statusCode, res.body).toBe(422);
    expect(res.json().details.problems.map((p: { code: string }) => p.code)).toEqual(['unit_in_use']);
    expect(await codes()).toContain('150302002001');
  });

  it('every foreign key to org_units and every org_path column is one the check reads', async () => {
    const listed = new Set(ORG_CODE_REFERENCES.map(([t, c]) => `${t}.${c}`));
    // The unit's own rows (outline, grid shape) go with it; children are checked separately.
    const own = new Set(['org_units.parent_code', 'org_boundaries.code', 'grid_shapes.code']);
    const db = env.app.store.db;
    const fks = dialectUnderTest === 'postgres'
      ? (await sql<{ t: string; c: string }>`select kcu.table_name as t, kcu.column_name as c from information_schema.referential_constraints rc
          join information_schema.key_column_usage kcu on kcu.constraint_name = rc.constraint_name
          join information_schema.constraint_column_usage ccu on ccu.constraint_name = rc.unique_constraint_name
          where ccu.table_name = 'org_units'`.execute(db)).rows
      : (await sql<{ t: string; c: string }>`select m.name as t, f."from" as c from sqlite_master m, pragma_foreign_key_list(m.name) f where m.type = 'table' and f."table" = 'org_units'`.execute(db)).rows;
    expect(fks.length).toBeGreaterThan(5);
    for (const fk of fks) if (!own.has(`${fk.t}.${fk.c}`)) expect(listed, `${fk.t}.${fk.c}`).toContain(`${fk.t}.${fk.c}`);
    const pathTables = dialectUnderTest === 'postgres'
      ? (await sql<{ t: string }>`select table_name as t from information_schema.columns where column_name = 'org_path' and table_schema = current_schema()`.execute(db)).rows
      : (await sql<{ t: string }>`select m.name as t from sqlite_master m, pragma_table_info(m.name) c where m.type = 'table' and c.name = 'org_path'`.execute(db)).rows;
    const kpi = new Set(['kpi_rollup']); // keyed by org_code, listed above
    for (const { t } of pathTables) if (!kpi.has(t) && !t.endsWith('_fts')) expect([...ORG_PATH_REFERENCES, 'enterprises', 'devices', 'patrol_targets', 'patrol_plans'], t).toContain(t);
  });
});
