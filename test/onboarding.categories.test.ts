import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, frozenClock, type TestEnv } from './helpers.js';
import { buildWorld, PLACES, type World } from './world.js';

const clock = frozenClock('2026-11-26T02:00:00Z');
let env: TestEnv;
let world: World;
beforeAll(async () => {
  env = await createTestEnv({ clock });
  world = await buildWorld(env);
});
afterAll(() => env.close());

const admin = () => world.cookies.admin;
const send = (method: 'POST' | 'PATCH', url: string, payload: unknown, cookie = admin()) => env.http.inject({ method, url, payload: payload as object, headers: { cookie } });
const services = async () => (await env.http.inject({ url: '/open311/v2/services.json' })).json() as { service_code: string; service_name: string }[];

describe('local categories', () => {
  it('POST creates one (201) with every setting, and Open311 lists it at once', async () => {
    const res = await send('POST', '/api/v1/categories', {
      code: 'XJ01', name: '共享单车乱停放', nameEn: 'Dockless bikes parked badly', classCode: 'LX', className: '新型事项', kind: 'matter', workflow: 'urban',
      departmentCode: 'HW', priority: 2, timeLimits: { handle: { amount: 3, unit: 'work_hours' } }, duplicateWindowH: 48,
      questions: [{ code: 'brand', datatype: 'string', required: false, order: 1, description: '品牌' }],
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ code: 'XJ01', standard: 'local', name: '共享单车乱停放', nameEn: 'Dockless bikes parked badly', classCode: 'LX', className: '新型事项', departmentCode: 'HW', priority: 2, duplicateWindowH: 48, active: true });
    expect(res.json().timeLimits.handle).toEqual({ amount: 3, unit: 'work_hours' });
    expect((await services()).find((s) => s.service_code === 'XJ01')?.service_name).toBe('共享单车乱停放');
    const definition = (await env.http.inject({ url: '/open311/v2/services/XJ01.json' })).json();
    expect(JSON.stringify(definition)).toContain('brand');
  });

  it('refuses a taken code (GB or local), an unknown workflow and a new class without a name; writes nothing', async () => {
    const base = { name: 'x', classCode: '06', kind: 'matter', workflow: 'urban' };
    expect((await send('POST', '/api/v1/categories', { ...base, code: '06010' })).json().error).toBe('already_exists');
    expect((await send('POST', '/api/v1/categories', { ...base, code: 'XJ01' })).statusCode).toBe(409);
    expect((await send('POST', '/api/v1/categories', { ...base, code: 'XJ02', workflow: 'nope' })).json().error).toBe('validation_failed');
    expect((await send('POST', '/api/v1/categories', { ...base, code: 'XJ03', classCode: 'NEW' })).json()).toMatchObject({ error: 'validation_failed', details: { field: 'className' } });
    expect((await send('POST', '/api/v1/categories', { ...base, code: 'XJ04', surprise: 1 })).statusCode).toBe(400);
    expect((await env.http.inject({ url: '/api/v1/categories/XJ02' })).statusCode).toBe(404);
  });

  it('PATCH renames, re-codes while unused, and retires: hidden from intake and Open311, kept for history', async () => {
    const created = (await send('POST', '/api/v1/categories', { code: 'XJ10', name: '旧名', classCode: '06', kind: 'matter', workflow: 'urban' })).json();
    const renamed = await send('PATCH', `/api/v1/categories/${created.id}`, { code: 'XJ11', name: '新名', nameEn: 'New name', workflow: 'hotline' });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json()).toMatchObject({ code: 'XJ11', name: '新名', nameEn: 'New name', workflow: 'hotline' });
    expect((await services()).find((s) => s.service_code === 'XJ11')?.service_name).toBe('新名');

    const report = await send('POST', '/api/v1/cases', { categoryCode: 'XJ11', lon: PLACES.heping.lon, lat: PLACES.heping.lat, description: '测试', channel: 'hotline' }, world.cookies.dispatcher);
    expect(report.statusCode, report.body).toBe(201);
    // In use now: the code stays.
    expect((await send('PATCH', `/api/v1/categories/${created.id}`, { code: 'XJ12' })).json().error).toBe('conflict');

    const retired = await send('PATCH', `/api/v1/categories/${created.id}`, { active: false });
    expect(retired.json()).toMatchObject({ active: false, retiredAt: '2026-11-26T02:00:00.000Z' });
    expect((await services()).some((s) => s.service_code === 'XJ11')).toBe(false);
    const refused = await send('POST', '/api/v1/cases', { categoryCode: 'XJ11', lon: PLACES.heping.lon, lat: PLACES.heping.lat, description: '测试', channel: 'hotline' }, world.cookies.dispatcher);
    expect(refused.json().error).toBe('category_not_found');
    const old = await env.http.inject({ url: `/api/v1/cases/${report.json().id}`, headers: { cookie: world.cookies.dispatcher } });
    expect(old.json().categoryCode).toBe('XJ11');
  });
});

describe('legacy codes', () => {
  it('ships the GB/T 30428.2-2013 mappings whose correspondence is clear', async () => {
    const res = await env.http.inject({ url: '/api/v1/category-legacy-codes', headers: { cookie: admin() } });
    const byCode = Object.fromEntries(res.json().items.map((i: { legacyCode: string; categoryCode: string }) => [i.legacyCode, i.categoryCode]));
    expect(byCode).toMatchObject({ '0101': '01001', '02-01': '07001', '03-11': '08011', '04-01': '09001' });
  });

  it('imports a city CSV in one go, listing every bad line and writing nothing when any is bad', async () => {
    const bad = await send('POST', '/api/v1/category-legacy-codes/import', { csv: 'scheme,legacy_code,category_code\ncity,A1,06010\ncity,A2,99999\ncity,A1,06011\n' });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().details.problems.map((p: { line: number }) => p.line)).toEqual([4]);
    const missing = await send('POST', '/api/v1/category-legacy-codes/import', { csv: 'scheme,legacy_code,category_code\ncity,A1,06010\ncity,A2,99999\n' });
    expect(missing.json().details.problems).toEqual([{ line: 3, message: 'category 99999 does not exist (or is retired)' }]);
    const list = await env.http.inject({ url: '/api/v1/category-legacy-codes?scheme=city', headers: { cookie: admin() } });
    expect(list.json().total).toBe(0);
    const ok = await send('POST', '/api/v1/category-legacy-codes/import', { csv: 'scheme,legacy_code,legacy_name,category_code\ncity,WH-7,乱贴乱画,07001\n' });
    expect(ok.json()).toEqual({ imported: 1 });
  });

  it('intake takes a legacy code: the case gets the current category, the legacy code is recorded', async () => {
    const res = await send('POST', '/api/v1/cases', { categoryCode: '02-01', lon: PLACES.heping.lon, lat: PLACES.heping.lat, description: '小广告', channel: 'hotline' }, world.cookies.dispatcher);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().categoryCode).toBe('07001');
    const row = await env.app.store.db.selectFrom('cases').select(['category_code', 'legacy_category_code']).where('id', '=', res.json().id).executeTakeFirstOrThrow();
    expect(row).toEqual({ category_code: '07001', legacy_category_code: '02-01' });
  });
});
