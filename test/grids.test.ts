import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, loginCookie, type TestEnv } from './helpers.js';
import { importDivisions } from '../src/org/org.service.js';
import { addUser } from '../src/auth/auth.service.js';
import { importGrids } from '../src/grids/grid.import.js';
import { locatePoint } from '../src/grids/grid.locate.js';
import { METRES_PER_DEGREE } from '../src/grids/geometry.js';
import type { AppError } from '../src/errors.js';

// Communities of 凤凰岭街道 (150302001), 海勃湾区 (150302), 乌海市 (150300).
const HEPING = '150302001002';
const GONGYUAN = '150302001003';
const CHANGQING = '150302001004';

type Ring = number[][];
const rect = (x0: number, y0: number, x1: number, y1: number): Ring => [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]];
const square = (x: number, y: number, s = 0.01) => rect(x, y, x + s, y + s);
const feature = (ring: Ring, properties: Record<string, unknown> = {}) => ({ type: 'Feature', properties, geometry: { type: 'Polygon', coordinates: [ring] } });
const collection = (...features: unknown[]) => ({ type: 'FeatureCollection', features });

// 和平: a 2 × 2 block; serials run north → south, west → east: NW 001, NE 002, SW 003, SE 004.
const heping = collection(
  feature(square(106.8, 39.66), { community: HEPING }),
  feature(square(106.81, 39.66), { community: HEPING }),
  feature(square(106.8, 39.67), { community: HEPING }),
  feature(square(106.81, 39.67), { COMMUNITY: HEPING, name: '和平北二网格' }),
);

let env: TestEnv;
let admin: string;
const count = async () => ({
  units: Number((await env.app.store.db.selectFrom('org_units').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n),
  shapes: Number((await env.app.store.db.selectFrom('grid_shapes').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n),
});
const post = (cookie: string, payload: unknown, query = '') => env.http.inject({ method: 'POST', url: `/api/v1/grids/import${query}`, headers: { cookie }, payload: payload as object });
const locate = (cookie: string, query: string) => env.http.inject({ url: `/api/v1/locate?${query}`, headers: { cookie } });

beforeAll(async () => {
  env = await createTestEnv();
  await importDivisions(env.sys(), '1503');
  await addUser(env.sys(), { username: 'admin1', password: 'admin-pass-1', role: 'admin', orgCode: '150300' });
  await addUser(env.sys(), { username: 'hp_worker', password: 'worker-pass-1', role: 'grid_worker', orgCode: HEPING });
  await addUser(env.sys(), { username: 'gy_worker', password: 'worker-pass-1', role: 'grid_worker', orgCode: GONGYUAN });
  await addUser(env.sys(), { username: 'wd_admin', password: 'admin-pass-1', role: 'admin', orgCode: '150303' });
  admin = await loginCookie(env.http, 'admin1', 'admin-pass-1');
});
afterAll(() => env.close());

describe('importing grids', () => {
  it('imports through the service: codes west→east, north→south, org units and shapes written', async () => {
    const report = await importGrids(env.sys(), heping);
    expect(report.grids.map((g) => g.code.slice(-3))).toEqual(['003', '004', '001', '002']);
    expect(report.grids[3].name).toBe('和平北二网格');
    expect(report.grids[2].name).toBe('和平社区居委会第1网格');
    expect(report).toMatchObject({ mode: 'add', imported: 4, created: 4, updated: 0, removed: [], communities: [HEPING] });
    expect(report.uncoveredCommunities).toEqual(['150302001003', '150302001004', '150302001005', '150302001007', '150302001008']);
    expect(report.grids[0].areaM2).toBeGreaterThan(900_000);
    const unit = await env.app.store.db.selectFrom('org_units').selectAll().where('code', '=', `${HEPING}001`).executeTakeFirstOrThrow();
    expect(unit).toMatchObject({ level: 'grid', parent_code: HEPING, path: `/150300/150302/150302001/${HEPING}/${HEPING}001/`, depth: 4 });
    expect(await count()).toMatchObject({ shapes: 4 });
  });

  it('imports over HTTP (numeric community, explicit code and name, geo+json)', async () => {
    const file = collection(feature(square(106.82, 39.66), { communityCode: Number(GONGYUAN), code: `${GONGYUAN}005`, name: '公园5号网格' }));
    const res = await env.http.inject({ method: 'POST', url: '/api/v1/grids/import', headers: { cookie: admin, 'content-type': 'application/geo+json' }, payload: JSON.stringify(file) });
    expect(res.statusCode).toBe(200);
    expect(res.json().grids).toEqual([{ feature: 0, code: `${GONGYUAN}005`, name: '公园5号网格', communityCode: GONGYUAN, areaM2: expect.any(Number) }]);
    const where = await locate(admin, 'lon=106.825&lat=39.665');
    expect(where.json().grid).toEqual({ code: `${GONGYUAN}005`, name: '公园5号网格' });
  });

  it('writes nothing for a bad file and lists every problem by feature index', async () => {
    const before = await count();
    const bad = collection(
      feature(square(106.85, 39.66), { community: CHANGQING }),
      feature([[106.86, 39.66], [106.87, 39.67], [106.87, 39.66], [106.86, 39.67], [106.86, 39.66]], { community: CHANGQING }),
      feature(square(106.805, 39.665), { community: CHANGQING }),
      feature(square(106.9, 39.66), { community: '150302001999' }),
      feature([[106.95, 39.66], [106.96, 39.66], [106.96, 39.67], [106.95, 39.67]], { community: CHANGQING }),
    );
    const res = await post(admin, bad);
    expect(res.statusCode).toBe(422);
    expect(res.json().error).toBe('import_failed');
    expect(res.json().details.problems.map((p: { feature: number; code: string }) => [p.feature, p.code])).toEqual([
      [1, 'self_intersection'],
      [2, 'grid_overlap'],
      [2, 'grid_overlap'],
      [2, 'grid_overlap'],
      [2, 'grid_overlap'],
      [3, 'unknown_community'],
      [4, 'ring_not_closed'],
    ]);
    // Feature 2 sits on the middle of the 2 × 2 block, so it overlaps all four existing grids.
    expect(res.json().details.problems.slice(1, 5).map((p: { otherGrid: string }) => p.otherGrid)).toEqual(['001', '002', '003', '004'].map((s) => HEPING + s));
    await expect(importGrids(env.sys(), bad)).rejects.toMatchObject({ code: 'import_failed' });
    expect(await count()).toEqual(before);
  });

  it('refuses codes that exist (add mode), communities outside the area, and gaps when coverage is required', async () => {
    const taken = await post(admin, collection(feature(square(106.95, 39.66), { community: HEPING, code: `${HEPING}001` })));
    expect(taken.json().details.problems).toEqual([expect.objectContaining({ feature: 0, code: 'code_exists', otherGrid: `${HEPING}001` })]);
    const elsewhere = await post(await loginCookie(env.http, 'wd_admin', 'admin-pass-1'), collection(feature(square(106.95, 39.66), { community: CHANGQING })));
    expect(elsewhere.json().details.problems).toEqual([expect.objectContaining({ feature: 0, code: 'unknown_community' })]);
    const coverage = await post(admin, collection(feature(square(106.95, 39.66), { community: CHANGQING })), '?requireCoverage=true&dryRun=true');
    expect(coverage.statusCode).toBe(422);
    expect(coverage.json().details.problems.map((p: { feature: null; code: string; message: string }) => [p.feature, p.code])).toEqual([
      [null, 'community_uncovered'],
      [null, 'community_uncovered'],
      [null, 'community_uncovered'],
    ]);
  });

  it('checks explicit codes and names, and needs a community for every feature', async () => {
    const res = await post(admin, collection(
      feature(square(107.2, 39.66), { community: HEPING, code: `${HEPING}777` }),
      feature(square(107.21, 39.66), { community: HEPING, code: `${HEPING}777` }),
      feature(square(107.22, 39.66), { community: HEPING, code: `${GONGYUAN}001` }),
      feature(square(107.23, 39.66), { community: HEPING, name: 42 }),
      feature(square(107.24, 39.66)),
    ));
    expect(res.statusCode).toBe(422);
    expect(res.json().details.problems.map((p: { feature: number; code: string }) => [p.feature, p.code])).toEqual([
      [1, 'duplicate_code'],
      [2, 'invalid_code'],
      [3, 'invalid_name'],
      [4, 'missing_community'],
    ]);
    expect(res.json().details.problems[0].otherFeature).toBe(0);
  });

  it('checks without writing on dryRun', async () => {
    const before = await count();
    const res = await post(admin, collection(feature(square(106.95, 39.66), { community: CHANGQING })), '?dryRun=true');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ dryRun: true, imported: 1, grids: [{ code: `${CHANGQING}001` }] });
    expect(await count()).toEqual(before);
  });

  it('maps features by community outline when they carry no community', async () => {
    const outline = collection(feature(square(106.95, 39.66, 0.03), { community: CHANGQING }));
    const report = await importGrids(env.sys(), collection(feature(square(106.96, 39.67))), { communityPolygons: outline });
    expect(report.grids).toMatchObject([{ code: `${CHANGQING}001`, communityCode: CHANGQING }]);
  });

  it('reports bad community outlines, marked with their source', async () => {
    const outlines = collection(feature([[106.95, 39.66], [106.98, 39.66], [106.98, 39.69], [106.95, 39.69]], { community: CHANGQING }), feature(square(107.1, 39.66)));
    await expect(importGrids(env.sys(), collection(feature(square(106.99, 39.67))), { communityPolygons: outlines })).rejects.toMatchObject({
      code: 'import_failed',
      details: { problems: [{ feature: 0, ring: 0, code: 'ring_not_closed', source: 'communityPolygons' }, { feature: 1, code: 'missing_community', source: 'communityPolygons' }] },
    });
  });

  it('joins a caller’s transaction and rolls back with it', async () => {
    const before = await count();
    const attempt = env.app.store.db.transaction().execute(async (trx) => {
      const report = await importGrids({ ...env.sys(), db: trx }, collection(feature(square(107.0, 39.66), { community: CHANGQING })));
      expect(report.grids.map((g) => g.code)).toEqual([`${CHANGQING}002`]);
      throw new Error('roll back');
    });
    await expect(attempt).rejects.toThrow('roll back');
    expect(await count()).toEqual(before);
  });

  it('replaces a community by containment: kept codes updated, the rest removed', async () => {
    const x = [106.8, 106.8 + 0.02 / 3, 106.8 + 0.04 / 3, 106.82];
    const strips = collection(...[0, 1, 2].map((i) => feature(rect(x[i], 39.66, x[i + 1], 39.68))));
    const res = await post(admin, strips, '?mode=replace');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ mode: 'replace', imported: 3, created: 0, updated: 3, removed: [`${HEPING}004`], communities: [HEPING] });
    expect(res.json().grids.map((g: { code: string }) => g.code)).toEqual([`${HEPING}001`, `${HEPING}002`, `${HEPING}003`]);
    expect(await env.app.store.db.selectFrom('org_units').select('code').where('code', '=', `${HEPING}004`).executeTakeFirst()).toBeUndefined();
    expect(locatePoint(env.app, 106.819, 39.675).grid).toEqual({ code: `${HEPING}003`, name: '和平社区居委会第3网格' });
  });

  it('refuses to remove a grid that a user belongs to, and changes nothing', async () => {
    await addUser(env.sys(), { username: 'grid_member', password: 'worker-pass-1', role: 'grid_worker', orgCode: `${HEPING}003` });
    const before = await count();
    const res = await post(admin, collection(feature(rect(106.8, 39.66, 106.82, 39.68))), '?mode=replace');
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toBe('conflict');
    expect(await count()).toEqual(before);
    expect(locatePoint(env.app, 106.819, 39.675).grid?.code).toBe(`${HEPING}003`);
  });

  it('checks permission before reading the body, and rejects unknown top-level members', async () => {
    const worker = await loginCookie(env.http, 'hp_worker', 'worker-pass-1');
    expect((await post(worker, heping)).statusCode).toBe(403);
    const extra = await post(admin, { ...heping, colour: 'red' });
    expect(extra.statusCode).toBe(400);
    expect(extra.json()).toMatchObject({ error: 'unknown_field', details: { field: 'colour' } });
  });
});

describe('GET /locate', () => {
  it('returns the grid and the chain city → district → street → community → grid', async () => {
    const res = await locate(admin, 'lon=106.805&lat=39.675');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ grid: { code: `${HEPING}001`, name: '和平社区居委会第1网格' }, outside: false });
    expect(body.chain.map((l: { level: string }) => l.level)).toEqual(['city', 'district', 'street', 'community', 'grid']);
    expect(body.chain.map((l: { code: string }) => l.code)).toEqual(['150300', '150302', '150302001', HEPING, `${HEPING}001`]);
    expect(body.chain[2].name).toBe('凤凰岭街道');
    expect(body.snappedMetres).toBeUndefined();
  });

  it('resolves a shared edge to the smallest code', async () => {
    const x = 106.8 + 0.02 / 3;
    expect((await locate(admin, `lon=${x}&lat=39.67`)).json().grid.code).toBe(`${HEPING}001`);
  });

  it('snaps a point just outside to the nearest grid, and reports far points as outside', async () => {
    const west = 100 / (METRES_PER_DEGREE * Math.cos((39.665 * Math.PI) / 180));
    const near = (await locate(admin, `lon=${106.8 - west}&lat=39.665`)).json();
    expect(near).toMatchObject({ grid: { code: `${HEPING}001` }, outside: false });
    expect(near.snappedMetres).toBeCloseTo(100, 0);
    expect((await locate(admin, 'lon=100&lat=30')).json()).toEqual({ grid: null, chain: [], outside: true });
  });

  it('rejects bad coordinates naming the field; answers anonymous callers (public geography)', async () => {
    for (const [query, field] of [['lon=200&lat=39.6', 'lon'], ['lon=106.8&lat=abc', 'lat'], ['lon=106.8', 'lat'], ['lon=&lat=39.6', 'lon']]) {
      const res = await locate(admin, query);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ error: 'invalid_coordinates', details: { field } });
    }
    expect((await locate(admin, 'lon=106.8&lat=39.6&zoom=3')).json().error).toBe('unknown_field');
    expect(() => locatePoint(env.app, Number.NaN, 39.6)).toThrow(expect.objectContaining({ code: 'invalid_coordinates' }) as AppError);
    const anonymous = await env.http.inject('/api/v1/locate?lon=106.8&lat=39.6');
    expect(anonymous.statusCode).toBe(200);
    expect(anonymous.json()).toEqual((await locate(admin, 'lon=106.8&lat=39.6')).json());
    expect((await env.http.inject('/api/v1/locate?lon=106.8&lat=95')).json().error).toBe('invalid_coordinates');
  });
});

describe('GET /grids.geojson', () => {
  const codesOf = async (cookie: string, query = '') => {
    const res = await env.http.inject({ url: `/api/v1/grids.geojson${query}`, headers: { cookie } });
    return { status: res.statusCode, codes: res.statusCode === 200 ? res.json().features.map((f: { properties: { code: string } }) => f.properties.code) : [], res };
  };

  it('serves the grids of the caller’s area only', async () => {
    const hp = await codesOf(await loginCookie(env.http, 'hp_worker', 'worker-pass-1'));
    expect(hp.codes).toEqual([`${HEPING}001`, `${HEPING}002`, `${HEPING}003`]);
    expect(hp.res.headers['content-type']).toContain('application/geo+json');
    expect(hp.res.json()).toMatchObject({ type: 'FeatureCollection' });
    expect(hp.res.json().features[0]).toMatchObject({ type: 'Feature', id: `${HEPING}001`, geometry: { type: 'Polygon' }, properties: { code: `${HEPING}001`, communityCode: HEPING } });
    expect(hp.res.json().features[0].geometry.coordinates[0].length).toBeGreaterThanOrEqual(4);
    const gy = await codesOf(await loginCookie(env.http, 'gy_worker', 'worker-pass-1'));
    expect(gy.codes).toEqual([`${GONGYUAN}005`]);
    expect((await codesOf(await loginCookie(env.http, 'gy_worker', 'worker-pass-1'), `?parent=${HEPING}`)).status).toBe(404);
  });

  it('filters by parent for a city-wide user', async () => {
    expect((await codesOf(admin)).codes).toHaveLength(5);
    expect((await codesOf(admin, `?parent=${GONGYUAN}`)).codes).toEqual([`${GONGYUAN}005`]);
  });
});
