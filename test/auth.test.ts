import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, loginCookie, type TestEnv } from './helpers.js';
import { buildWorld, PASSWORD, type World } from './world.js';

const run = promisify(execFile);
let env: TestEnv;
let world: World;
beforeAll(async () => {
  env = await createTestEnv();
  world = await buildWorld(env);
});
afterAll(() => env.close());

const login = (username: string, password: string, ip = '10.0.0.1') =>
  env.http.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password }, remoteAddress: ip });

describe('login', () => {
  it('sets an HTTP-only session cookie and /me tells who is logged in', async () => {
    const res = await login('workerA', PASSWORD);
    expect(res.statusCode).toBe(200);
    const cookie = res.cookies.find((c) => c.name === 'gridloop_session')!;
    expect(cookie.httpOnly).toBe(true);
    const me = (await env.http.inject({ url: '/api/v1/me', headers: { cookie: `gridloop_session=${cookie.value}` } })).json();
    expect(me).toMatchObject({ username: 'workerA', roles: ['grid_worker'], orgUnit: { code: '150302001002', level: 'community' } });
  });

  it('answers an unknown user and a wrong password identically', async () => {
    const unknown = await login('nobody-here', 'whatever-123', '10.0.0.2');
    const wrong = await login('workerA', 'wrong-password', '10.0.0.2');
    expect(unknown.statusCode).toBe(401);
    expect(wrong.statusCode).toBe(401);
    expect(unknown.json()).toEqual(wrong.json());
  });

  it('locks an address and user name out after 10 failed logins, with 429 and Retry-After', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await login('workerB', 'wrong-password', '10.0.0.3')).statusCode);
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(10)).toEqual([429, 429]);
    const limited = await login('workerB', PASSWORD, '10.0.0.3');
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.json().error).toBe('too_many_requests');
    expect((await login('workerB', PASSWORD, '10.0.0.4')).statusCode).toBe(200);
  });

  it('never locks out successful logins, however frequent', async () => {
    for (let i = 0; i < 25; i++) expect((await login('workerA', PASSWORD, '10.0.0.5')).statusCode).toBe(200);
    // A success clears earlier failures of the same address and user name.
    for (let i = 0; i < 9; i++) await login('inspector', 'wrong-password', '10.0.0.6');
    expect((await login('inspector', PASSWORD, '10.0.0.6')).statusCode).toBe(200);
    for (let i = 0; i < 9; i++) expect((await login('inspector', 'wrong-password', '10.0.0.6')).statusCode).toBe(401);
  });

  it('logout ends the session', async () => {
    const cookie = await loginCookie(env.http, 'citizen', PASSWORD);
    expect((await env.http.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie } })).statusCode).toBe(200);
    expect((await env.http.inject({ url: '/api/v1/me', headers: { cookie } })).statusCode).toBe(401);
  });
});

describe('API keys', () => {
  it('are created by an admin, work as Bearer tokens in their org scope, and can be revoked', async () => {
    const created = await env.http.inject({ method: 'POST', url: '/api/v1/api-keys', payload: { name: 'sensor gateway', orgCode: '150302001002', scopes: ['org:read'] }, headers: { cookie: world.cookies.admin } });
    expect(created.statusCode).toBe(201);
    const { id, key } = created.json();
    expect(created.json()).toMatchObject({ scopes: ['org:read'], orgCode: '150302001002' });
    const auth = { authorization: `Bearer ${key}` };
    const units = (await env.http.inject({ url: '/api/v1/org-units?level=community', headers: auth })).json();
    expect(units.items.map((u: { code: string }) => u.code)).toEqual(['150302001002']);
    const stored = await env.app.store.db.selectFrom('api_keys').select('key_hash').where('id', '=', id).executeTakeFirstOrThrow();
    expect(stored.key_hash).not.toContain(key);
    expect((await env.http.inject({ method: 'DELETE', url: `/api/v1/api-keys/${id}`, headers: { cookie: world.cookies.admin } })).statusCode).toBe(200);
    const revoked = await env.http.inject({ url: '/api/v1/org-units', headers: auth });
    expect(revoked.statusCode).toBe(401);
    expect(revoked.json().error).toBe('unauthenticated');
  });

  it('cannot be created by a grid worker', async () => {
    const res = await env.http.inject({ method: 'POST', url: '/api/v1/api-keys', payload: { name: 'x' }, headers: { cookie: world.cookies.workerA } });
    expect(res.statusCode).toBe(403);
  });
});

describe('users', () => {
  it('lists users with masked phone numbers, only in scope', async () => {
    // 乌达区 (150302)'s dispatcher sees the users of its district: itself and the two grid workers.
    const res = await env.http.inject({ url: '/api/v1/users?limit=100', headers: { cookie: world.cookies.hbDispatcher } });
    expect(res.statusCode).toBe(200);
    const { items, total } = res.json() as { items: { username: string; phone: string; orgCode: string }[]; total: number };
    expect(items.map((u) => u.username).sort()).toEqual(['hbDispatcher', 'workerA', 'workerB']);
    expect(total).toBe(3);
    expect(items.every((u) => u.orgCode.startsWith('150302'))).toBe(true);
    expect(items.map((u) => u.phone)).toEqual(['138****5678', '138****5678', '138****5678']);
    expect(res.body).not.toContain('13812345678');
    const denied = await env.http.inject({ url: '/api/v1/users', headers: { cookie: world.cookies.workerA } });
    expect(denied.statusCode).toBe(403);
  });
});

describe('CLI', () => {
  const cli = (args: string[]) => run(process.execPath, ['bin/gridloop.js', ...args], {
    env: { ...process.env, GRIDLOOP_DATA_DIR: env.config.dataDir, DATABASE_URL: env.config.databaseUrl ?? '', GRIDLOOP_DEMO: '0' },
  });

  it('adds a user who can log in, and prints a new API key alone on its last line', async () => {
    await cli(['user', 'add', '--username', 'cli_worker', '--password', 'cli-pass-123', '--role', 'grid_worker', '--org', '150302001003']);
    expect((await login('cli_worker', 'cli-pass-123', '10.0.0.9')).statusCode).toBe(200);
    const { stdout } = await cli(['apikey', 'create', '--name', 'from-cli', '--scopes', 'org:read,cases:read', '--org', '150302']);
    const key = stdout.trim().split('\n').at(-1)!;
    expect(key).toMatch(/^glk_[A-Za-z0-9_-]{20,}$/);
    const res = await env.http.inject({ url: '/api/v1/org-units?level=district', headers: { authorization: `Bearer ${key}` } });
    expect(res.json().items.map((u: { code: string }) => u.code)).toEqual(['150302']);
    const row = await env.app.store.db.selectFrom('api_keys').select(['scopes', 'org_code']).where('name', '=', 'from-cli').executeTakeFirstOrThrow();
    expect(row).toEqual({ scopes: 'cases:read org:read', org_code: '150302' });
  }, 120_000);

  it('refuses a bad role or unknown org with a clear error and exit code 2', async () => {
    const bad = await cli(['user', 'add', '--username', 'x_user', '--password', 'pass-12345', '--role', 'emperor', '--org', '150300']).catch((e: { code: number; stderr: string }) => e);
    expect((bad as { code: number }).code).toBe(2);
    expect((bad as { stderr: string }).stderr).toContain('validation_failed');
    const org = await cli(['user', 'add', '--username', 'y_user', '--password', 'pass-12345', '--role', 'leader', '--org', '999999']).catch((e: { code: number; stderr: string }) => e);
    expect((org as { stderr: string }).stderr).toContain('org_unit_not_found');
    const rows = await env.app.store.db.selectFrom('users').select('username').where('username', 'in', ['x_user', 'y_user']).execute();
    expect(rows).toEqual([]);
  }, 60_000);
});
