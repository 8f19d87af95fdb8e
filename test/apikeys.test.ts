import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../src/auth/auth.service.js';
import { createTestEnv, frozenClock, type TestEnv } from './helpers.js';
import { form, multipart, PNG } from './open311.helpers.js';
import { buildWorld, PLACES, type World } from './world.js';

// Integration keys and their scopes (issue 12, defect 2): a key reads only what its scopes allow,
// and never a case marked private, whatever its scopes. Thursday 2026-11-26 10:00 in Wuhai.
const clock = frozenClock('2026-11-26T02:00:00Z');
let env: TestEnv;
let world: World;
const keys: Record<'plain' | 'reader' | 'writer' | 'readings', string> = { plain: '', reader: '', writer: '', readings: '' };
let secret: { id: number; number: string; attachmentUrl: string };
let open: { id: number; number: string };

const asKey = (key: string, method: 'GET' | 'POST', url: string, payload?: unknown) =>
  env.http.inject({ method, url, payload: payload as object, headers: { authorization: `Bearer ${key}` } });
const asAdmin = (method: 'GET' | 'POST', url: string, payload?: unknown) =>
  env.http.inject({ method, url, payload: payload as object, headers: { cookie: world.cookies.admin } });
const report = (description: string, extra: Record<string, unknown> = {}) =>
  ({ categoryCode: '06010', lon: PLACES.heping.lon, lat: PLACES.heping.lat, description, channel: 'patrol', reporter: { name: '王小明', phone: '13700001111' }, ...extra });
const open311Post = (key: string, pairs: [string, string | number][]) =>
  env.http.inject({ method: 'POST', url: '/open311/v2/requests.json', payload: form([['api_key', key], ...pairs]), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
const here: [string, number][] = [['lat', PLACES.heping.lat], ['long', PLACES.heping.lon]];

beforeAll(async () => {
  env = await createTestEnv({ clock });
  world = await buildWorld(env);
  const city = { orgCode: '150300' };
  keys.plain = (await createApiKey(env.sys(), { name: 'default scopes', ...city })).key;
  keys.reader = (await createApiKey(env.sys(), { name: 'dashboard', ...city, scopes: ['cases:read'] })).key;
  keys.writer = (await createApiKey(env.sys(), { name: 'back office', ...city, scopes: ['cases:write'] })).key;
  keys.readings = (await createApiKey(env.sys(), { name: 'sensor gateway', ...city, scopes: ['readings:write'] })).key;

  const s = await asAdmin('POST', '/api/v1/cases', report('家暴求助，住3单元401', { private: true }));
  expect(s.statusCode, s.body).toBe(201);
  const { body, contentType } = multipart([], { field: 'file', filename: 'a.png', type: 'image/png', bytes: PNG });
  const up = await env.http.inject({ method: 'POST', url: `/api/v1/cases/${s.json().id}/attachments`, payload: body, headers: { 'content-type': contentType, cookie: world.cookies.admin } });
  expect(up.statusCode, up.body).toBe(201);
  secret = { id: s.json().id, number: s.json().number, attachmentUrl: up.json().url };
  const o = await asAdmin('POST', '/api/v1/cases', report('路边暴露垃圾'));
  expect(o.statusCode, o.body).toBe(201);
  open = { id: o.json().id, number: o.json().number };
});
afterAll(() => env.close());

describe('a key without scopes', () => {
  it('gets the narrowest useful set, open311: it submits Open311 requests but reads no case through /api/v1', async () => {
    const row = await env.app.store.db.selectFrom('api_keys').select('scopes').where('name', '=', 'default scopes').executeTakeFirstOrThrow();
    expect(row.scopes).toBe('open311');
    for (const url of [`/api/v1/cases/${secret.id}`, `/api/v1/cases/${open.id}`, '/api/v1/cases', '/api/v1/cases.csv', `/api/v1/cases/${secret.id}/timeline`, secret.attachmentUrl]) {
      const res = await asKey(keys.plain, 'GET', url);
      expect(res.statusCode, url).toBe(403);
      expect(res.body).not.toContain(secret.number);
    }
    const posted = await open311Post(keys.plain, [['service_code', '06010'], ...here, ['description', '井盖旁有垃圾'], ['attribute[volume]', 'pile']]);
    expect(posted.statusCode, posted.body).toBe(200);
    expect(posted.json()[0].service_request_id).toMatch(/^\d+$/);
  });
});

describe('a cases:read key', () => {
  it('never sees a private case: not its detail, timeline, duplicates or attachments', async () => {
    for (const suffix of ['', '/timeline', '/duplicates']) {
      const res = await asKey(keys.reader, 'GET', `/api/v1/cases/${secret.id}${suffix}`);
      expect(res.statusCode, suffix).toBe(404);
      expect(res.json().error).toBe('case_not_found');
    }
    const att = await asKey(keys.reader, 'GET', secret.attachmentUrl);
    expect(att.statusCode).toBe(404);
    expect(att.headers['content-type']).not.toBe('image/png');
  });

  it('lists and exports the public cases of its area without the private one', async () => {
    const list = await asKey(keys.reader, 'GET', '/api/v1/cases?limit=500');
    expect(list.statusCode).toBe(200);
    const ids = list.json().items.map((c: { id: number }) => c.id);
    expect(ids).toContain(open.id);
    expect(ids).not.toContain(secret.id);
    expect(list.json().items.every((c: { private: boolean }) => c.private === false)).toBe(true);
    const byNumber = await asKey(keys.reader, 'GET', `/api/v1/cases?q=${secret.number}`);
    expect(byNumber.statusCode).toBe(200);
    expect(byNumber.json().total).toBe(0);
    const csv = await asKey(keys.reader, 'GET', '/api/v1/cases.csv');
    expect(csv.statusCode).toBe(200);
    expect(csv.body).toContain(open.number);
    expect(csv.body).not.toContain(secret.number);
  });

  it('reads a public case with its reporter masked and says it is not private', async () => {
    const res = await asKey(keys.reader, 'GET', `/api/v1/cases/${open.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ number: open.number, private: false, reporter: { phone: '137****1111' } });
    expect(res.body).not.toContain('13700001111');
  });

  it('cannot write: no report, transition or upload', async () => {
    expect((await asKey(keys.reader, 'POST', '/api/v1/cases', report('x'))).statusCode).toBe(403);
    expect((await asKey(keys.reader, 'POST', `/api/v1/cases/${open.id}/transitions`, { action: 'verify', version: 1 })).statusCode).toBe(403);
    const posted = await open311Post(keys.reader, [['service_code', '06010'], ...here, ['description', '垃圾'], ['attribute[volume]', 'pile']]);
    expect(posted.statusCode).toBe(403);
  });
});

describe('staff', () => {
  it('see the private case, marked private', async () => {
    const detail = await asAdmin('GET', `/api/v1/cases/${secret.id}`);
    expect(detail.json()).toMatchObject({ id: secret.id, private: true });
    const list = (await asAdmin('GET', '/api/v1/cases?limit=500')).json();
    expect(list.items.find((c: { id: number }) => c.id === secret.id)).toMatchObject({ private: true });
    expect(list.items.find((c: { id: number }) => c.id === open.id)).toMatchObject({ private: false });
  });
});

describe('a cases:write key', () => {
  it('reports cases but cannot touch a private one', async () => {
    const created = await asKey(keys.writer, 'POST', '/api/v1/cases', report('后台转来的案件'));
    expect(created.statusCode, created.body).toBe(201);
    const { body, contentType } = multipart([], { field: 'file', filename: 'b.png', type: 'image/png', bytes: PNG });
    const up = await env.http.inject({ method: 'POST', url: `/api/v1/cases/${secret.id}/attachments`, payload: body, headers: { 'content-type': contentType, authorization: `Bearer ${keys.writer}` } });
    expect(up.statusCode).toBe(404);
    const attachments = await env.app.store.db.selectFrom('case_attachments').select('id').where('case_id', '=', secret.id).execute();
    expect(attachments).toHaveLength(1);
    expect((await asKey(keys.writer, 'GET', `/api/v1/cases/${created.json().id}`)).statusCode).toBe(403);
  });
});

describe('a readings:write key', () => {
  it('posts to batch (sensor) services only', async () => {
    const sensor = await open311Post(keys.readings, [['service_code', 'LGZ01'], ...here, ['attribute[device_code]', 'WH-JG-000123'], ['attribute[reading]', '12.5'], ['attribute[measured_at]', '2026-11-26T09:58:00+08:00']]);
    expect(sensor.statusCode, sensor.body).toBe(200);
    expect(sensor.json()[0].token).toMatch(/-/);
    const garbage = await open311Post(keys.readings, [['service_code', '06010'], ...here, ['description', '垃圾'], ['attribute[volume]', 'pile']]);
    expect(garbage.statusCode).toBe(403);
    const update = await env.http.inject({ method: 'POST', url: '/open311/v2/servicerequestupdates.json', payload: form([['api_key', keys.readings], ['service_request_id', String(open.id)], ['update_id', 'r-1'], ['status', 'OPEN'], ['updated_datetime', '2026-11-26T10:00:00+08:00'], ['description', '又有了']]), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(update.statusCode).toBe(403);
  });
});

describe('POST /api/v1/api-keys', () => {
  const create = (payload: Record<string, unknown>) => asAdmin('POST', '/api/v1/api-keys', payload);
  const count = async () => (await env.app.store.db.selectFrom('api_keys').select('id').execute()).length;

  it('takes scopes (a list or the CLI comma form) and an org unit', async () => {
    const listed = await create({ name: 'listed', scopes: ['cases:read', 'open311'], org: PLACES.heping.community });
    expect(listed.statusCode, listed.body).toBe(201);
    expect(listed.json()).toMatchObject({ scopes: ['open311', 'cases:read'], orgCode: PLACES.heping.community });
    const comma = await create({ name: 'comma', scopes: 'open311,readings:write', orgCode: '150302' });
    expect(comma.json()).toMatchObject({ scopes: ['open311', 'readings:write'], orgCode: '150302' });
    const plain = await create({ name: 'plain' });
    expect(plain.json()).toMatchObject({ scopes: ['open311'], orgCode: '150300' });
    const keysListed = (await asAdmin('GET', '/api/v1/api-keys')).json().items as { name: string; scopes: string[]; orgCode: string }[];
    expect(keysListed.find((k) => k.name === 'listed')).toMatchObject({ scopes: ['open311', 'cases:read'], orgCode: PLACES.heping.community });
    expect(JSON.stringify(keysListed)).not.toContain(listed.json().key);
  });

  it('refuses an unknown or empty scope list and writes nothing', async () => {
    const before = await count();
    for (const scopes of [['open311', 'cases:delete'], 'cases:read,admin', [], '']) {
      const res = await create({ name: 'bad', scopes });
      expect(res.statusCode, JSON.stringify(scopes)).toBe(400);
      expect(res.json().error).toBe('validation_failed');
    }
    expect((await create({ name: 'two orgs', org: '150302', orgCode: '150303' })).statusCode).toBe(400);
    expect(await count()).toBe(before);
  });
});
