import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, loginCookie, type TestEnv } from './helpers.js';
import { importDivisions } from '../src/org/org.service.js';
import { addUser } from '../src/auth/auth.service.js';
import { readFileSync } from 'node:fs';
import { sharedFiles } from './support/shared.js';

const referenceCsv = sharedFiles('reference/gbt47678-5-catalogue.csv');

let env: TestEnv;
let admin: string;
let worker: string;
beforeAll(async () => {
  env = await createTestEnv();
  await importDivisions(env.sys(), '1503');
  await addUser(env.sys(), { username: 'admin1', password: 'admin-pass-1', role: 'admin', orgCode: '150300' });
  await addUser(env.sys(), { username: 'worker1', password: 'worker-pass-1', role: 'grid_worker', orgCode: '150302001002' });
  admin = await loginCookie(env.http, 'admin1', 'admin-pass-1');
  worker = await loginCookie(env.http, 'worker1', 'worker-pass-1');
});
afterAll(() => env.close());

const get = (url: string, cookie = admin) => env.http.inject({ url, headers: { cookie } });
const send = (method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload: unknown, cookie = admin) => env.http.inject({ method, url, payload: payload as object, headers: { cookie } });

describe('categories', () => {
  it('ships the whole GB/T 47678.5-2026 catalogue: 403 codes, 153 of them components', async () => {
    const res = await get('/api/v1/categories?standard=GB/T%2047678.5-2026&limit=500');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.total).toBe(403);
    expect(body.items.filter((c: { kind: string }) => c.kind === 'component')).toHaveLength(153);
  });

  it.skipIf(!referenceCsv.present)('has exactly the codes of ../shared/reference/gbt47678-5-catalogue.csv', async () => {
    const body = (await get('/api/v1/categories?standard=GB/T%2047678.5-2026&limit=500')).json();
    const csv = readFileSync(referenceCsv.paths[0], 'utf8');
    const expected = csv.trim().split('\n').slice(1).map((l) => l.split(',').slice(0, 2).join(':')).sort();
    expect(expected).toHaveLength(403);
    expect(body.items.map((c: { kind: string; code: string }) => `${c.kind}:${c.code}`).sort()).toEqual(expected);
  });

  it('carries the reference handle limits (暴露垃圾 4 工作时, 道路不洁 2 工作时)', async () => {
    const garbage = (await get('/api/v1/categories/06010')).json();
    expect(garbage).toMatchObject({ name: '暴露垃圾', kind: 'matter', timeLimits: { handle: { amount: 4, unit: 'work_hours' } } });
    const dirty = (await get('/api/v1/categories/06012')).json();
    expect(dirty.timeLimits.handle).toEqual({ amount: 2, unit: 'work_hours' });
    const component = (await get('/api/v1/categories/01001?kind=component')).json();
    expect(component).toMatchObject({ kind: 'component', name: '供水井盖' });
  });

  it('has local extension classes flagged as local', async () => {
    const body = (await get('/api/v1/categories?standard=local&limit=100')).json();
    const classes = new Set(body.items.map((c: { className: string }) => c.className));
    for (const name of ['12345诉求', '矛盾纠纷', '信访', '安全隐患', '河湖问题', '感知告警']) expect(classes).toContain(name);
    expect(body.items.every((c: { kind: string }) => c.kind === 'local')).toBe(true);
  });

  it('lets an admin edit limits and refuses bad units and non-admins', async () => {
    const garbage = (await get('/api/v1/categories/06010')).json();
    const ok = await send('PATCH', `/api/v1/categories/${garbage.id}`, { timeLimits: { handle: { amount: 3, unit: 'work_hours' } }, priority: 2 });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().timeLimits.handle.amount).toBe(3);
    expect(ok.json().timeLimits.verify).toEqual(garbage.timeLimits.verify);
    const bad = await send('PATCH', `/api/v1/categories/${garbage.id}`, { timeLimits: { handle: { amount: 3, unit: 'fortnights' } } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toBe('validation_failed');
    const denied = await send('PATCH', `/api/v1/categories/${garbage.id}`, { priority: 1 }, worker);
    expect(denied.statusCode).toBe(403);
    expect((await get('/api/v1/categories/06010')).json().priority).toBe(2);
  });

  it('is public reference data: anonymous callers read it too', async () => {
    const res = await env.http.inject('/api/v1/categories?standard=GB/T%2047678.5-2026');
    expect(res.statusCode).toBe(200);
    expect(res.json().total).toBe(403);
    expect((await env.http.inject('/api/v1/categories/06010')).json().name).toBe('暴露垃圾');
    expect((await env.http.inject({ method: 'PATCH', url: '/api/v1/categories/1', payload: { priority: 1 } })).statusCode).toBe(401);
  });

  it('answers 404 category_not_found for an unknown code', async () => {
    const res = await get('/api/v1/categories/99999');
    expect(res.statusCode).toBe(404);
    expect(res.json().error).toBe('category_not_found');
  });
});

describe('departments and routing', () => {
  it('routes by the first matching rule and explains why', async () => {
    expect((await send('POST', '/api/v1/departments', { code: 'HW', name: '环卫局', orgCode: '150300' })).statusCode).toBe(201);
    expect((await send('POST', '/api/v1/departments', { code: 'HBW-CG', name: '海勃湾区城管局', orgCode: '150302' })).statusCode).toBe(201);
    expect((await send('POST', '/api/v1/departments', { code: 'NIGHT', name: '夜间值班', orgCode: '150300' })).statusCode).toBe(201);
    const night = await send('POST', '/api/v1/routing-rules', { name: '夜间', position: 1, timeFrom: '22:00', timeTo: '06:00', departmentCode: 'NIGHT' });
    expect(night.statusCode).toBe(201);
    expect((await send('POST', '/api/v1/routing-rules', { name: '海勃湾市容', position: 2, classCode: '06', orgCode: '150302', departmentCode: 'HBW-CG' })).statusCode).toBe(201);
    expect((await send('POST', '/api/v1/routing-rules', { name: '垃圾', position: 3, categoryCode: '06010', departmentCode: 'HW' })).statusCode).toBe(201);

    // 2026-11-26 10:00 in Wuhai (UTC+8) is 02:00Z; 23:00 local is 15:00Z.
    const day = (await send('POST', '/api/v1/routing/explain', { categoryCode: '06010', orgCode: '150302001002', channel: 'patrol', at: '2026-11-26T02:00:00Z' })).json();
    expect(day).toMatchObject({ via: 'rule', department: { code: 'HBW-CG' } });
    expect(day.trace[0]).toMatchObject({ matched: false });
    expect(day.explanation).toContain('海勃湾市容');
    const elsewhere = (await send('POST', '/api/v1/routing/explain', { categoryCode: '06010', orgCode: '150303001006', channel: 'patrol', at: '2026-11-26T02:00:00Z' })).json();
    expect(elsewhere.department.code).toBe('HW');
    const lateNight = (await send('POST', '/api/v1/routing/explain', { categoryCode: '06010', orgCode: '150303001006', channel: 'patrol', at: '2026-11-26T15:00:00Z' })).json();
    expect(lateNight.department.code).toBe('NIGHT');
  });

  it('validates rules: unknown department, unknown category, half a time window, unknown fields', async () => {
    const cases: [unknown, string][] = [
      [{ name: 'x', departmentCode: 'NOPE' }, 'department_not_found'],
      [{ name: 'x', categoryCode: '99999', departmentCode: 'HW' }, 'category_not_found'],
      [{ name: 'x', timeFrom: '08:00', departmentCode: 'HW' }, 'validation_failed'],
      [{ name: 'x', departmentCode: 'HW', colour: 'red' }, 'unknown_field'],
      [{ name: 'x', departmentCode: 'HW', timeFrom: '25:00', timeTo: '08:00' }, 'validation_failed'],
    ];
    const before = (await get('/api/v1/routing-rules')).json().total;
    for (const [payload, code] of cases) {
      const res = await send('POST', '/api/v1/routing-rules', payload);
      expect(res.json().error, JSON.stringify(payload)).toBe(code);
    }
    expect((await get('/api/v1/routing-rules')).json().total).toBe(before);
  });

  it('a grid worker cannot change routing', async () => {
    const res = await send('POST', '/api/v1/routing-rules', { name: 'x', departmentCode: 'HW' }, worker);
    expect(res.statusCode).toBe(403);
  });
});
