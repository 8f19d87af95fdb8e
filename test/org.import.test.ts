import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from './helpers.js';
import { importOrgUnits } from '../src/org/org.import.js';
import { importGrids } from '../src/grids/grid.import.js';
import { cityRootOnFirstStart } from '../src/org/org.service.js';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(() => env.close());

const D = 0.01;
const square = (x: number, y: number, d: number) => ({ type: 'Polygon', coordinates: [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]] });
const unit = (code: string, name: string, level: string, parentCode: string | null, geometry: unknown = null) => ({ type: 'Feature', properties: { code, name, level, ...(parentCode ? { parentCode } : {}) }, geometry });
const fc = (...features: unknown[]) => ({ type: 'FeatureCollection', features });
const count = async () => Number((await env.app.store.db.selectFrom('org_units').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

const GOOD = [
  unit('150300', '乌海市', 'city', null),
  unit('150302', '乌达区', 'district', '150300', square(106.7, 39.4, 4 * D)),
  unit('150302001', '一街道', 'street', '150302', square(106.7, 39.4, 2 * D)),
  unit('150302001001', '一社区', 'community', '150302001', square(106.7, 39.4, D)),
  unit('150302001002', '二社区', 'community', '150302001', square(106.7 + D, 39.4, D)),
];

describe('import-org-units', () => {
  it('a bad file writes nothing and lists every problem by feature', async () => {
    const bad = fc(
      ...GOOD.slice(0, 3),
      unit('150302001001', '出界社区', 'community', '150302001', square(106.7 + 1.5 * D, 39.4, D)), // half outside its street
      unit('150302001002', '重叠社区', 'community', '150302001', square(106.7 + 1.2 * D, 39.4, 0.5 * D)), // overlaps its sibling
      unit('150302001003', '蝴蝶社区', 'community', '150302001', { type: 'Polygon', coordinates: [[[106.7, 39.41], [106.71, 39.42], [106.71, 39.41], [106.7, 39.42], [106.7, 39.41]]] }),
      unit('150399001001', '孤儿社区', 'community', '150399001'),
      unit('15030200', '坏编码', 'street', '150302'),
    );
    const err = await importOrgUnits(env.sys(), bad).catch((e) => e);
    expect(err.code).toBe('import_failed');
    const byFeature = err.details.problems.map((p: { feature: number; code: string }) => `${p.feature}:${p.code}`);
    expect(byFeature).toEqual(expect.arrayContaining(['3:outside_parent', '4:sibling_overlap', '5:self_intersection', '6:unknown_parent', '7:invalid_code']));
    expect(await count()).toBe(0);
  });

  it('adds a good file, then updates names and outlines by code', async () => {
    expect(await importOrgUnits(env.sys(), fc(...GOOD))).toMatchObject({ imported: 5, added: 5, updated: 0, outlines: 4 });
    const renamed = fc(...GOOD.slice(0, 4), unit('150302001002', '新二社区', 'community', '150302001', square(106.7 + D, 39.4 + D, D)));
    expect(await importOrgUnits(env.sys(), renamed)).toMatchObject({ added: 0, updated: 5 });
    const row = await env.app.store.db.selectFrom('org_units').select('name').where('code', '=', '150302001002').executeTakeFirstOrThrow();
    expect(row.name).toBe('新二社区');
    expect(await count()).toBe(5);
  });

  it('import-grids refuses a grid outside its community outline (a polygon on another continent)', async () => {
    const far = { type: 'Feature', properties: { community: '150302001001' }, geometry: square(-118.3, 34.0, D / 2) };
    const err = await importGrids(env.sys(), fc(far)).catch((e) => e);
    expect(err.details.problems.map((p: { code: string }) => p.code)).toEqual(['outside_community']);
    const inside = { type: 'Feature', properties: { community: '150302001001' }, geometry: square(106.7, 39.4, D / 2) };
    expect((await importGrids(env.sys(), fc(inside))).imported).toBe(1);
  });

  it('POST /org-units/import answers the same report for an admin', async () => {
    const { addUser } = await import('../src/auth/auth.service.js');
    const { loginCookie } = await import('./helpers.js');
    await addUser(env.sys(), { username: 'org-admin', password: 'org-admin-pass-1', role: 'admin', orgCode: '150300' });
    const cookie = await loginCookie(env.http, 'org-admin', 'org-admin-pass-1');
    const res = await env.http.inject({ method: 'POST', url: '/api/v1/org-units/import?dryRun=true', payload: fc(...GOOD), headers: { cookie } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ dryRun: true, imported: 5, added: 0, updated: 5 });
  });
});

describe('a city other than Wuhai starts clean', () => {
  it('with GRIDLOOP_DEMO=0 an empty store gets its root from GRIDLOOP_CITY_CODE and GRIDLOOP_CITY_NAME', async () => {
    const other = await createTestEnv({ config: { demoOnEmpty: false, cityCode: '0600', cityName: 'Los Angeles', gridCode: { district: 4, street: 2, community: 3, serial: 3 } } });
    try {
      await cityRootOnFirstStart(other.app);
      await cityRootOnFirstStart(other.app);
      const units = await other.app.store.db.selectFrom('org_units').select(['code', 'name', 'level']).execute();
      expect(units).toEqual([{ code: '0600', name: 'Los Angeles', level: 'city' }]);
    } finally {
      await other.close();
    }
  });
});
