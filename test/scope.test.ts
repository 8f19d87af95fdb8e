import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, frozenClock, type TestEnv } from './helpers.js';
import { buildWorld, PLACES, type World } from './world.js';

/**
 * Data scope, endpoint by endpoint: worker B (公园社区) must not read, list, count or change
 * anything of worker A's community (和平社区). Every route in the OpenAPI document must appear in
 * CHECKS, so a new endpoint cannot ship without a decision here.
 */
const clock = frozenClock('2026-11-26T02:00:00Z');
let env: TestEnv;
let world: World;
let caseA: { id: number; number: string; version: number };
let attachmentA: string;

const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a5b1d5a40000000049454e44ae426082', 'hex');

beforeAll(async () => {
  env = await createTestEnv({ clock });
  world = await buildWorld(env);
  const res = await env.http.inject({ method: 'POST', url: '/api/v1/cases', payload: { categoryCode: '06010', lon: PLACES.heping.lon, lat: PLACES.heping.lat, description: 'A 社区的案件', channel: 'patrol', reporter: { name: '李四', phone: '13700000000' } }, headers: { cookie: world.cookies.workerA } });
  caseA = res.json();
  const boundary = 'xx';
  const body = Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n`), png, Buffer.from(`\r\n--${boundary}--\r\n`)]);
  const up = await env.http.inject({ method: 'POST', url: `/api/v1/cases/${caseA.id}/attachments`, payload: body, headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, cookie: world.cookies.workerA } });
  attachmentA = up.json().url;
  // A leader's 督办 on A's case notifies A's community.
  const sup = await env.http.inject({ method: 'POST', url: `/api/v1/cases/${caseA.id}/transitions`, payload: { action: 'supervise', version: 1, note: '尽快处理' }, headers: { cookie: world.cookies.leader } });
  expect(sup.statusCode).toBe(200);
});
afterAll(() => env.close());

const asB = (method: string, url: string, payload?: unknown) =>
  env.http.inject({ method: method as 'GET', url, payload: payload as object, headers: { cookie: world.cookies.workerB } });
type Url = string | (() => string);
const at = (url: Url) => (typeof url === 'string' ? url : url());
/** A URL of A's case, resolved when the check runs (the case is created in beforeAll). */
const caseUrl = (suffix = '') => () => `/api/v1/cases/${caseA.id}${suffix}`;
const denied = (method: string, url: Url, payload: unknown = {}) => async () => {
  const res = await asB(method, at(url), payload);
  expect([403, 404], `${method} ${url}: ${res.body}`).toContain(res.statusCode);
};
const hidden = (method: string, url: Url, payload: unknown = {}) => async () => {
  const res = await asB(method, at(url), payload);
  expect(res.statusCode, `${method} ${url}`).toBe(404);
};

type Check = 'public' | (() => Promise<void>);

/** What each route means for worker B. 'public' = no community data (health, login, reference data, calendar maths). */
const CHECKS: Record<string, Check> = {
  'GET /api/v1/health': 'public',
  'GET /api/v1/screen/cards': hidden('GET', `/api/v1/screen/cards?org=${PLACES.heping.community}`),
  'GET /api/v1/screen/areas': hidden('GET', `/api/v1/screen/areas?org=${PLACES.heping.community}`),
  'GET /api/v1/screen/rankings': hidden('GET', `/api/v1/screen/rankings?org=${PLACES.heping.community}`),
  'GET /api/v1/screen/trends': hidden('GET', `/api/v1/screen/trends?org=${PLACES.heping.community}`),
  'GET /api/v1/screen/pins': hidden('GET', `/api/v1/screen/pins?org=${PLACES.heping.community}`),
  'GET /api/v1/screen/outlines': hidden('GET', `/api/v1/screen/outlines?org=${PLACES.heping.community}`),
  'GET /api/v1/meta': 'public',
  // A stream cannot be read through inject(); its per-community scope is tested over a socket in test/live.test.ts.
  'GET /api/v1/live': async () => expect((await env.http.inject({ url: '/api/v1/live' })).statusCode).toBe(401),
  'POST /api/v1/auth/login': 'public',
  'POST /api/v1/auth/logout': 'public',
  'GET /api/v1/me': async () => expect((await asB('GET', '/api/v1/me')).json().orgUnit.code).toBe(PLACES.gongyuan.community),
  'GET /api/v1/users': denied('GET', '/api/v1/users'),
  'POST /api/v1/users': denied('POST', '/api/v1/users', { username: 'evil', password: 'evil-pass-1', role: 'admin', orgCode: PLACES.heping.community }),
  'GET /api/v1/api-keys': denied('GET', '/api/v1/api-keys'),
  'POST /api/v1/api-keys': denied('POST', '/api/v1/api-keys', { name: 'k', orgCode: PLACES.heping.community }),
  'DELETE /api/v1/api-keys/{id}': denied('DELETE', '/api/v1/api-keys/1'),
  'GET /api/v1/org-units': async () => {
    const body = (await asB('GET', '/api/v1/org-units?limit=500')).json();
    expect(body.items.map((u: { code: string }) => u.code)).not.toContain(PLACES.heping.community);
    expect(body.items.every((u: { code: string }) => u.code.startsWith(PLACES.gongyuan.community))).toBe(true);
    expect((await asB('GET', `/api/v1/org-units?parent=${PLACES.heping.community}`)).statusCode).toBe(404);
  },
  'GET /api/v1/org-units/{code}': hidden('GET', `/api/v1/org-units/${PLACES.heping.community}`),
  'GET /api/v1/categories': 'public',
  'GET /api/v1/categories/{code}': 'public',
  'PATCH /api/v1/categories/{id}': denied('PATCH', '/api/v1/categories/1', { priority: 1 }),
  'GET /api/v1/departments': 'public',
  'POST /api/v1/departments': denied('POST', '/api/v1/departments', { code: 'EVIL', name: 'x', orgCode: PLACES.heping.community }),
  'GET /api/v1/routing-rules': 'public',
  'POST /api/v1/routing-rules': denied('POST', '/api/v1/routing-rules', { name: 'x', departmentCode: 'HW' }),
  'PUT /api/v1/routing-rules/{id}': denied('PUT', '/api/v1/routing-rules/1', { name: 'x', departmentCode: 'HW' }),
  'DELETE /api/v1/routing-rules/{id}': denied('DELETE', '/api/v1/routing-rules/1'),
  'POST /api/v1/routing/explain': hidden('POST', '/api/v1/routing/explain', { categoryCode: '06010', orgCode: PLACES.heping.community, channel: 'patrol' }),
  'GET /api/v1/calendar/days': 'public',
  'PUT /api/v1/calendar/days/{date}': denied('PUT', '/api/v1/calendar/days/2026-12-01', { isWorkday: false }),
  'POST /api/v1/calendar/notices': denied('POST', '/api/v1/calendar/notices', { year: 2027, holidays: [{ name: '元旦', from: '2027-01-01', to: '2027-01-01' }], workdays: [] }),
  'POST /api/v1/calendar/ics': denied('POST', '/api/v1/calendar/ics', { ics: 'BEGIN:VCALENDAR\nEND:VCALENDAR' }),
  'GET /api/v1/calendar/deadline': 'public',
  // Which grid contains a point is public geography; it carries no case or person.
  'GET /api/v1/locate': 'public',
  'GET /api/v1/grids.geojson': async () => {
    const fc = (await asB('GET', '/api/v1/grids.geojson')).json();
    expect(fc.features.length).toBeGreaterThan(0);
    expect(fc.features.every((f: { properties: { code: string } }) => f.properties.code.startsWith(PLACES.gongyuan.community))).toBe(true);
    expect([404, 200]).toContain((await asB('GET', `/api/v1/grids.geojson?parent=${PLACES.heping.community}`)).statusCode);
    const other = await asB('GET', `/api/v1/grids.geojson?parent=${PLACES.heping.community}`);
    if (other.statusCode === 200) expect(other.json().features).toEqual([]);
  },
  'POST /api/v1/grids/import': denied('POST', '/api/v1/grids/import', { type: 'FeatureCollection', features: [] }),
  'POST /api/v1/cases': async () => {
    const res = await asB('POST', '/api/v1/cases', { categoryCode: '06010', lon: PLACES.heping.lon, lat: PLACES.heping.lat, description: 'x', channel: 'patrol' });
    expect(res.statusCode).toBe(403);
  },
  'GET /api/v1/cases': async () => {
    const body = (await asB('GET', '/api/v1/cases?limit=500')).json();
    expect(body.total).toBe(0);
    expect((await asB('GET', `/api/v1/cases?q=${encodeURIComponent(caseA.number)}`)).json().total).toBe(0);
    expect((await asB('GET', `/api/v1/cases?org=${PLACES.heping.community}`)).statusCode).toBe(404);
  },
  'GET /api/v1/cases/queues': async () => {
    const counts = (res: { json(): { items: { key: string; count: number }[] } }) => Object.fromEntries(res.json().items.map((q) => [q.key, q.count]));
    expect(counts(await asB('GET', '/api/v1/cases/queues'))).toEqual({ verify: 0, check: 0, overdue: 0, supervised: 0 });
    const a = counts(await env.http.inject({ url: '/api/v1/cases/queues', headers: { cookie: world.cookies.workerA } }));
    expect(a.verify).toBe(1);
    expect(a.supervised).toBe(1);
    expect((await asB('GET', '/api/v1/cases?queue=verify')).json().total).toBe(0);
  },
  'GET /api/v1/cases.csv': async () => expect((await asB('GET', '/api/v1/cases.csv')).body).not.toContain(caseA.number),
  'GET /api/v1/cases/{id}': hidden('GET', caseUrl()),
  'POST /api/v1/cases/{id}/transitions': hidden('POST', caseUrl('/transitions'), { action: 'verify', version: 1 }),
  'GET /api/v1/cases/{id}/timeline': hidden('GET', caseUrl('/timeline')),
  'GET /api/v1/cases/{id}/duplicates': hidden('GET', caseUrl('/duplicates')),
  'GET /api/v1/notifications': async () => {
    const res = await asB('GET', '/api/v1/notifications');
    expect(res.statusCode).toBe(200);
    expect(res.json().items).toEqual([]);
    const a = (await env.http.inject({ url: '/api/v1/notifications', headers: { cookie: world.cookies.workerA } })).json();
    expect(a.items.map((n: { caseId: number }) => n.caseId)).toContain(caseA.id);
  },
  'POST /api/v1/cases/{id}/attachments': async () => {
    const boundary = 'yy';
    const body = Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="b.png"\r\nContent-Type: image/png\r\n\r\n`), png, Buffer.from(`\r\n--${boundary}--\r\n`)]);
    const res = await env.http.inject({ method: 'POST', url: `/api/v1/cases/${caseA.id}/attachments`, payload: body, headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, cookie: world.cookies.workerB } });
    expect(res.statusCode).toBe(404);
  },
  'GET /api/v1/cases/{id}/attachments/{attachmentId}': async () => expect((await asB('GET', attachmentA)).statusCode).toBe(404),
  'GET /api/v1/kpis': async () => {
    expect((await asB('GET', `/api/v1/kpis?org=${PLACES.heping.community}`)).statusCode).toBe(404);
    const mine = (await asB('GET', '/api/v1/kpis?from=2026-11-01&to=2026-11-30')).json();
    expect(mine.reported).toBe(0);
    const cityView = (await env.http.inject({ url: '/api/v1/kpis?from=2026-11-01&to=2026-11-30', headers: { cookie: world.cookies.admin } })).json();
    expect(cityView.reported).toBeGreaterThan(0);
  },
  'GET /api/v1/categories/{id}/open311': 'public',
  'GET /api/v1/me/cases': async () => {
    const body = (await asB('GET', '/api/v1/me/cases?limit=500')).json();
    expect(body.items.map((c: { id: number }) => c.id)).not.toContain(caseA.id);
  },
  'GET /api/v1/me/tasks': async () => {
    const body = (await asB('GET', '/api/v1/me/tasks?limit=500')).json();
    expect(body.items.map((c: { id: number }) => c.id)).not.toContain(caseA.id);
    const a = (await env.http.inject({ url: '/api/v1/me/tasks?limit=500', headers: { cookie: world.cookies.workerA } })).json();
    expect(a.items.map((c: { id: number }) => c.id)).toContain(caseA.id);
  },
  // The citizen portal: anyone may report (as the anonymous public, never as B's account) …
  'POST /api/v1/public/reports': async () => {
    const res = await asB('POST', '/api/v1/public/reports', { categoryCode: '06010', lon: PLACES.heping.lon, lat: PLACES.heping.lat, description: '门口有垃圾' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().mine).toBe(false);
    expect((await asB('GET', `/api/v1/cases?q=${res.json().number}`)).json().total).toBe(0);
  },
  // … but reaches a case only with its upload token or the reporter's phone digits.
  'POST /api/v1/public/reports/{number}/photos': async () => {
    const boundary = 'zz';
    const body = Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="b.png"\r\nContent-Type: image/png\r\n\r\n`), png, Buffer.from(`\r\n--${boundary}--\r\n`)]);
    const res = await env.http.inject({ method: 'POST', url: `/api/v1/public/reports/${caseA.number}/photos`, payload: body, headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, cookie: world.cookies.workerB, 'x-upload-token': 'guess' } });
    expect(res.statusCode).toBe(403);
  },
  'GET /api/v1/track/{number}': async () => {
    expect((await asB('GET', `/api/v1/track/${caseA.number}`)).statusCode).toBe(404);
    expect((await asB('GET', `/api/v1/track/${caseA.number}?phone4=1234`)).statusCode).toBe(404);
  },
  'POST /api/v1/track/{number}': hidden('POST', () => `/api/v1/track/${caseA.number}`, {}),
  'POST /api/v1/track/{number}/evaluation': hidden('POST', () => `/api/v1/track/${caseA.number}/evaluation`, { solved: true, satisfaction: 'satisfied' }),
  'POST /api/v1/track/{number}/reopen': hidden('POST', () => `/api/v1/track/${caseA.number}/reopen`, { note: '再处理一次' }),
  'PUT /api/v1/categories/{id}/open311': denied('PUT', '/api/v1/categories/1/open311', { type: 'batch' }),
  'PUT /api/v1/categories/{id}/questions': denied('PUT', '/api/v1/categories/1/questions', []),
};

describe('every endpoint is scoped', () => {
  it('has a scope decision for every route in the OpenAPI document', () => {
    const doc = env.http.swagger() as { paths: Record<string, Record<string, unknown>> };
    const routes = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`)).filter((r) => r.includes(' /api/'));
    expect(routes.filter((r) => !(r in CHECKS))).toEqual([]);
  });

  for (const [route, check] of Object.entries(CHECKS)) {
    if (check === 'public') continue;
    it(route, check);
  }

  it("leaves A's case untouched", async () => {
    const a = (await env.http.inject({ url: `/api/v1/cases/${caseA.id}`, headers: { cookie: world.cookies.workerA } })).json();
    expect(a).toMatchObject({ version: 2, status: 'reported', supervised: true });
    const users = await env.app.store.db.selectFrom('users').select('username').where('username', '=', 'evil').execute();
    expect(users).toEqual([]);
  });
});

