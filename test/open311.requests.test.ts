import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../src/auth/auth.service.js';
import { createTestEnv, frozenClock, type TestEnv } from './helpers.js';
import { buildWorld, PLACES, type World } from './world.js';
import { expectSchema, form, sameInBoth, twin } from './open311.helpers.js';

// Open311 conformance, part 2: reading requests back (GET /requests filters and extensions,
// status mapping, privacy) and the mySociety update channel.
// Thursday 2026-11-26 10:00 in Wuhai (UTC+8).
const clock = frozenClock('2026-11-26T02:00:00Z');
const BASE = '/open311/v2';
let env: TestEnv;
let world: World;
let key: string;
let dispatcherKey: string;
const ids: Record<string, string> = {};

type Who = keyof World['cookies'];
type Pairs = [string, string | number][];
const rest = (who: Who, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown) =>
  env.http.inject({ method, url, payload: payload as object, headers: { cookie: world.cookies[who] } });
const get = (path: string, query = '', headers: Record<string, string> = {}) => env.http.inject({ url: `${BASE}${path}${query ? `?${query}` : ''}`, headers });
const list = async (query: string): Promise<{ service_request_id: string; [k: string]: unknown }[]> => {
  const res = await get('/requests.json', query);
  expect(res.statusCode, res.body).toBe(200);
  expectSchema('requests', res.json());
  return res.json();
};
const idsOf = (items: { service_request_id: string }[]) => items.map((i) => i.service_request_id).sort();

async function open311Post(pairs: Pairs, path = '/requests.json') {
  const res = await env.http.inject({ method: 'POST', url: `${BASE}${path}`, payload: form(pairs), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json()[0];
}

async function report(place = PLACES.heping, code = '06012', description = '道路不洁', extra: Pairs = []): Promise<string> {
  const r = await open311Post([['api_key', key], ['service_code', code], ['lat', place.lat], ['long', place.lon], ['description', description], ...extra]);
  return r.service_request_id as string;
}

async function act(who: Who, id: string, action: string, extra: Record<string, unknown> = {}) {
  const current = (await rest(who, 'GET', `/api/v1/cases/${id}`)).json();
  const res = await rest(who, 'POST', `/api/v1/cases/${id}/transitions`, { action, version: current.version, ...extra });
  expect(res.statusCode, `${action} by ${who}: ${res.body}`).toBe(200);
}

async function closeLoop(id: string) {
  await act('dispatcher', id, 'verify');
  await act('dispatcher', id, 'register');
  await act('dispatcher', id, 'dispatch', { departmentId: world.departments.HW });
  await act('handler', id, 'accept');
  await act('handler', id, 'complete', { note: '已清扫干净', notePublic: true });
  await act('inspector', id, 'check_pass');
  clock.advance(60_000);
  await act('dispatcher', id, 'close');
}

beforeAll(async () => {
  env = await createTestEnv({ clock });
  world = await buildWorld(env);
  key = (await createApiKey(env.sys(), { name: 'FixMyStreet', orgCode: '150300' })).key;
  dispatcherKey = (await createApiKey(env.sys(), { name: 'Back office', orgCode: '150300', role: 'dispatcher' })).key;

  // An old case, 120 days back: outside the default 90-day window.
  clock.set('2026-07-29T02:00:00Z');
  ids.old = await report(PLACES.heping, '06012', '很久以前的道路不洁');
  clock.set('2026-11-26T02:00:00Z');
  ids.open = await report(PLACES.heping, '06012', '人行道上有油污');
  clock.advance(60_000);
  ids.closed = await report(PLACES.gongyuan, '06012', '公园门口纸屑');
  await closeLoop(ids.closed);
  clock.advance(60_000);
  ids.rejected = await report(PLACES.xinqiao, '06014', '道路遗撒 新桥');
  await act('dispatcher', ids.rejected, 'reject', { note: '经核实不属于城管受理范围', notePublic: true });
  clock.advance(60_000);
  ids.original = await report(PLACES.heping2, '06012', '重复报告的原件');
  ids.duplicate = await report(PLACES.heping2, '06012', '重复报告');
  await act('dispatcher', ids.duplicate, 'merge', { targetCaseId: Number(ids.original) });
  clock.advance(60_000);
  // A private case and one with a reporter, both entered by staff through the REST API.
  const secret = await rest('dispatcher', 'POST', '/api/v1/cases', { categoryCode: '06012', lon: PLACES.heping.lon, lat: PLACES.heping.lat, description: '涉密线索', channel: 'hotline', private: true, reporter: { name: '李四光', phone: '13700001111' } });
  expect(secret.statusCode, secret.body).toBe(201);
  ids.private = String(secret.json().id);
  ids.personal = await report(PLACES.gongyuan, '06012', '有人反映', [['first_name', '王'], ['last_name', '小明'], ['email', 'wang.xm@example.cn'], ['phone', '13912348888'], ['attribute[fixmystreet_id]', '4711']]);
  await act('dispatcher', ids.personal, 'verify');
});
afterAll(() => env.close());

describe('GET /requests', () => {
  it('shows every spec field, from the case: status, notes, agency, notice, SLA deadline, offsets', async () => {
    const [closed] = (await sameInBoth(env.http, { path: `${BASE}/requests/${ids.closed}`, schema: 'requests', root: 'service_requests' })).json as Record<string, unknown>[];
    const row = (await rest('admin', 'GET', `/api/v1/cases/${ids.closed}`)).json();
    expect(closed).toMatchObject({
      service_request_id: ids.closed, status: 'closed', service_code: '06012', service_name: '道路不洁', description: '公园门口纸屑',
      agency_responsible: '环卫局', requested_datetime: '2026-11-26T10:01:00+08:00', updated_datetime: '2026-11-26T10:02:00+08:00',
      lat: PLACES.gongyuan.lat, long: PLACES.gongyuan.lon, address: null, address_id: null, zipcode: null, media_url: null, status_notes: null,
    });
    expect(row.closedAt).toBe('2026-11-26T02:02:00.000Z');
    expect(row.deadline).toMatch(/Z$/);
    expect(closed.expected_datetime).toBe(zonedShanghai(row.deadline));
    expect(closed.service_notice).toBe('数字城管：结案');
    const [open] = await list(`service_request_id=${ids.open}`);
    expect(open).toMatchObject({ status: 'open', agency_responsible: null, service_notice: expect.stringMatching(/^数字城管：上报，预计 2026-11-26 \d\d:\d\d 前办结$/) });
    const [rejected] = await list(`service_request_id=${ids.rejected}`);
    expect(rejected).toMatchObject({ status: 'closed', status_notes: '经核实不属于城管受理范围' });
  });

  it('lets service_request_id override every other filter', async () => {
    const items = await list(`service_request_id=${ids.open},${ids.closed},${ids.old}&status=closed&service_code=99999&start_date=2020-01-01T00:00:00Z&end_date=2020-01-02T00:00:00Z`);
    expect(idsOf(items)).toEqual([ids.open, ids.closed, ids.old].sort());
    expect(await list('service_request_id=999999,abc')).toEqual([]);
  });

  it('filters by service_code and status lists', async () => {
    expect(idsOf(await list('service_code=06014'))).toEqual([ids.rejected]);
    const both = await list('service_code=06014,06012');
    expect(both.length).toBe(6);
    const closed = await list('status=closed');
    expect(idsOf(closed)).toEqual([ids.closed, ids.rejected, ids.duplicate].sort());
    expect((await list('status=open')).every((r) => r.status === 'open')).toBe(true);
    expect((await list('status=open,closed')).length).toBe(6);
    const bad = await get('/requests.json', 'status=pending');
    expect(bad.statusCode).toBe(400);
    expectSchema('errors', bad.json());
  });

  it('applies the 90-day window: the most recent 90 days by default, a range otherwise, never longer', async () => {
    expect(idsOf(await list(''))).not.toContain(ids.old);
    expect(idsOf(await list('start_date=2026-07-01T00:00:00+08:00&end_date=2026-08-01T00:00:00+08:00'))).toEqual([ids.old]);
    expect(idsOf(await list('start_date=2026-07-29'))).toEqual([ids.old]);
    expect(idsOf(await list('end_date=2026-08-30T00:00:00Z'))).toEqual([ids.old]);
    // A '+' that the query string turned into a space is still an offset.
    expect(idsOf(await list('start_date=2026-11-26T10:01:00+08:00&end_date=2026-11-26T10:01:30+08:00'))).toEqual([ids.closed]);
    for (const q of ['start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z', 'start_date=2026-11-27T00:00:00Z&end_date=2026-11-26T00:00:00Z', 'start_date=yesterday']) {
      const res = await get('/requests.json', q);
      expect(res.statusCode, q).toBe(400);
      expectSchema('errors', res.json());
    }
  });

  it('pages with page and page_size (max 500) and reports the total', async () => {
    const all = await list('');
    const res = await get('/requests.json', 'page_size=2&page=1');
    expect(res.headers['x-total-count']).toBe(String(all.length));
    const pages = [];
    for (let page = 1; page <= Math.ceil(all.length / 2); page++) pages.push(...idsOf(await list(`page_size=2&page=${page}`)));
    expect(pages.sort()).toEqual(idsOf(all));
    expect(await list('page_size=2&page=0')).toEqual(await list('page_size=2&page=1'));
    expect(await list(`page_size=2&page=${all.length}`)).toEqual([]);
    expect((await get('/requests.json', 'page_size=501')).statusCode).toBe(400);
    expect((await get('/requests.json', 'page=-1')).statusCode).toBe(400);
  });

  it('supports updated_after / updated_before, bbox and q', async () => {
    // Only the closed case changed at 10:02 (its close); every other case last changed earlier.
    expect(idsOf(await list('updated_after=2026-11-26T10:01:30+08:00'))).toEqual(expect.arrayContaining([ids.closed]));
    expect(idsOf(await list('updated_after=2026-11-26T10:01:30+08:00'))).not.toContain(ids.open);
    expect(idsOf(await list('updated_before=2026-11-26T10:00:30+08:00'))).toEqual([ids.old, ids.open].sort());
    const box = `${PLACES.xinqiao.lon - 0.001},${PLACES.xinqiao.lat - 0.001},${PLACES.xinqiao.lon + 0.001},${PLACES.xinqiao.lat + 0.001}`;
    expect(idsOf(await list(`bbox=${box}`))).toEqual([ids.rejected]);
    expect((await get('/requests.json', 'bbox=1,2,3')).statusCode).toBe(400);
    expect(idsOf(await list(`q=${encodeURIComponent('油污')}`))).toEqual([ids.open]);
  });

  it('adds the status history, channel, grid, duplicate and parent with extensions=true, in both formats', async () => {
    const t = await sameInBoth(env.http, { path: `${BASE}/requests`, query: `extensions=true&service_request_id=${ids.closed},${ids.duplicate}`, schema: 'requests', root: 'service_requests' });
    const byId = new Map((t.json as { service_request_id: string }[]).map((r) => [r.service_request_id, r as unknown]));
    const closed = byId.get(ids.closed) as { notes: { type: string; summary: string; description: string }[]; extended_attributes: Record<string, unknown> };
    expect(closed.notes.map((n) => n.type)).toEqual(['submitted', 'activity', 'activity', 'activity', 'activity', 'activity', 'activity', 'closed']);
    expect(closed.notes.map((n) => n.summary)).toEqual(['上报', '核实', '立案', '派遣', '签收', '处置完成', '核查通过', '结案']);
    expect(closed.notes[5].description).toBe('已清扫干净');
    expect(closed.extended_attributes).toMatchObject({ channel: 'open311', detailed_status: 'closed', detailed_status_label: '结案', grid_code: PLACES.gongyuan.grid, community_code: PLACES.gongyuan.community, duplicate: false, parent_service_request_id: null });
    const dup = byId.get(ids.duplicate) as { status: string; extended_attributes: Record<string, unknown> };
    expect(dup.status).toBe('closed');
    expect(dup.extended_attributes).toMatchObject({ duplicate: true, parent_service_request_id: ids.original, detailed_status: 'merged' });
    const plain = (await list(`service_request_id=${ids.closed}`))[0];
    expect(plain).not.toHaveProperty('notes');
    expect(plain).not.toHaveProperty('extended_attributes');
  });

  it('answers 404 for an unknown request id, in both formats', async () => {
    const t = await twin(env.http, { path: `${BASE}/requests/999999`, schema: 'errors', root: 'errors' });
    expect(t.status).toBe(404);
  });
});

describe('privacy', () => {
  it('never shows cases marked private to anonymous readers, but does to staff', async () => {
    expect(idsOf(await list('status=open,closed'))).not.toContain(ids.private);
    expect((await get(`/requests/${ids.private}.json`)).statusCode).toBe(404);
    expect(idsOf(await list(`service_request_id=${ids.private}`))).toEqual([]);
    const updates = (await get('/servicerequestupdates.json')).json() as { service_request_id: string }[];
    expect(updates.map((u) => u.service_request_id)).not.toContain(ids.private);
    const staff = await get(`/requests/${ids.private}.json`, '', { cookie: world.cookies.admin });
    expect(staff.statusCode).toBe(200);
    // An integration key (role api) reads the public view only.
    expect((await get(`/requests/${ids.private}.json`, '', { authorization: `Bearer ${key}` })).statusCode).toBe(404);
  });

  it('never exposes names, phones or e-mail addresses in anonymous reads', async () => {
    const bodies = [
      (await get('/requests.json', 'extensions=true')).body,
      (await get('/requests.xml', 'extensions=true')).body,
      (await get(`/requests/${ids.personal}.json`, 'extensions=true')).body,
      (await get('/servicerequestupdates.json')).body,
      (await get('/servicerequestupdates.xml')).body,
    ];
    for (const body of bodies) {
      for (const secret of ['王 小明', '小明', 'wang.xm@example.cn', '13912348888', '李四光', '13700001111', '13812345678']) expect(body).not.toContain(secret);
    }
    const row = await env.app.store.db.selectFrom('cases').select(['reporter_name', 'reporter_phone']).where('id', '=', Number(ids.personal)).executeTakeFirstOrThrow();
    expect(row).toEqual({ reporter_name: '王 小明', reporter_phone: '139****8888' });
  });
});

describe('mySociety service request updates', () => {
  it('lists public timeline events as updates with extended statuses, in both formats', async () => {
    const t = await sameInBoth(env.http, { path: `${BASE}/servicerequestupdates`, query: `start_date=2026-11-26T00:00:00+08:00&end_date=2026-11-27T00:00:00+08:00`, schema: 'request-updates', root: 'service_request_updates' });
    const updates = t.json as { update_id: string; service_request_id: string; status: string; description: string; external_status_code: string }[];
    const ofClosed = updates.filter((u) => u.service_request_id === ids.closed);
    // The report itself is not echoed: the client that sent it has it already.
    expect(ofClosed.map((u) => u.status)).toEqual(['investigating', 'action_scheduled', 'action_scheduled', 'in_progress', 'in_progress', 'fixed', 'fixed']);
    expect(ofClosed.map((u) => u.external_status_code)).toEqual(['verified', 'registered', 'dispatched', 'handling', 'handled', 'checked', 'closed']);
    expect(updates.some((u) => u.description === '上报')).toBe(false);
    expect(updates.find((u) => u.service_request_id === ids.rejected && u.status === 'not_councils_responsibility')?.description).toBe('经核实不属于城管受理范围');
    expect(updates.find((u) => u.service_request_id === ids.duplicate && u.status === 'duplicate')).toBeTruthy();
    expect(updates.some((u) => u.service_request_id === ids.old)).toBe(false);
    const ts = updates.map((u) => Number(u.update_id));
    expect(new Set(ts).size).toBe(ts.length);
    // A request FixMyStreet sent with attribute[fixmystreet_id] carries it on its updates.
    expect(updates.find((u) => u.service_request_id === ids.personal)).toMatchObject({ fixmystreet_id: '4711', status: 'investigating' });
    const bad = await get('/servicerequestupdates.json', 'start_date=soon');
    expect(bad.statusCode).toBe(400);
  });

  const update = (pairs: Pairs, k = key) => env.http.inject({ method: 'POST', url: `${BASE}/servicerequestupdates.json`, payload: form([['api_key', k], ['updated_datetime', '2026-11-26T10:30:00+08:00'], ...pairs]), headers: { 'content-type': 'application/x-www-form-urlencoded' } });

  it('records an update from an integration key as a public comment, once per update_id', async () => {
    const res = await update([['service_request_id', ids.open], ['update_id', 'fms-1001'], ['status', 'OPEN'], ['description', '现场仍有油污'], ['email', 'x@y.cn'], ['first_name', '赵']]);
    expect(res.statusCode, res.body).toBe(200);
    expectSchema('post-update-response', res.json());
    const again = await update([['service_request_id', ids.open], ['update_id', 'fms-1001'], ['status', 'OPEN'], ['description', '现场仍有油污']]);
    expect(again.json()[0].update_id).toBe(res.json()[0].update_id);
    const timeline = (await rest('admin', 'GET', `/api/v1/cases/${ids.open}/timeline`)).json();
    expect(timeline.filter((e: { action: string }) => e.action === 'comment')).toHaveLength(1);
    expect((await rest('admin', 'GET', `/api/v1/cases/${ids.open}`)).json().status).toBe('reported');
    const listed = (await get('/servicerequestupdates.json', `service_request_id=${ids.open}`)).json();
    expect(listed[listed.length - 1]).toMatchObject({ update_id: res.json()[0].update_id, status: 'open', description: '现场仍有油污' });
    const xml = await env.http.inject({ method: 'POST', url: `${BASE}/servicerequestupdates.xml`, payload: form([['api_key', key], ['service_request_id', ids.open], ['update_id', 'fms-1002'], ['status', 'IN_PROGRESS'], ['updated_datetime', '2026-11-26T10:31:00+08:00'], ['description', '补充照片']]), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(xml.statusCode).toBe(200);
    expect(xml.body).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?>\n<service_request_updates><request_update><update_id>\d+<\/update_id><account_id\/><\/request_update><\/service_request_updates>/);
  });

  it('turns a citizen REOPEN of a closed case into a comment and a notification for the dispatchers', async () => {
    const res = await update([['service_request_id', ids.closed], ['update_id', 'fms-2001'], ['status', 'REOPEN'], ['description', '又脏了']]);
    expect(res.statusCode, res.body).toBe(200);
    expect((await rest('admin', 'GET', `/api/v1/cases/${ids.closed}`)).json().status).toBe('closed');
    const notes = await env.app.store.db.selectFrom('notifications').selectAll().where('case_id', '=', Number(ids.closed)).where('kind', '=', 'reopen_request').execute();
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ role: 'dispatcher', message: expect.stringContaining('又脏了') });
  });

  it('maps statuses onto transitions a dispatcher-role key may take', async () => {
    const id = await report(PLACES.heping, '06012', '后台系统处理的案件');
    const send = (status: string, updateId: string) => update([['service_request_id', id], ['update_id', updateId], ['status', status], ['description', `back office: ${status}`]], dispatcherKey);
    expect((await send('INVESTIGATING', 'bo-1')).statusCode).toBe(200);
    expect((await rest('admin', 'GET', `/api/v1/cases/${id}`)).json().status).toBe('verified');
    expect((await send('ACTION_SCHEDULED', 'bo-2')).statusCode).toBe(200);
    expect((await rest('admin', 'GET', `/api/v1/cases/${id}`)).json().status).toBe('registered');
    // DUPLICATE names no target case: it stays a comment; NO_FURTHER_ACTION voids the case.
    expect((await send('DUPLICATE', 'bo-3')).statusCode).toBe(200);
    expect((await rest('admin', 'GET', `/api/v1/cases/${id}`)).json().status).toBe('registered');
    expect((await send('NO_FURTHER_ACTION', 'bo-4')).statusCode).toBe(200);
    const after = (await list(`service_request_id=${id}`))[0];
    expect(after).toMatchObject({ status: 'closed', status_notes: 'back office: NO_FURTHER_ACTION' });
    const timeline = (await rest('admin', 'GET', `/api/v1/cases/${id}/timeline`)).json().map((e: { action: string }) => e.action);
    expect(timeline).toEqual(['report', 'verify', 'register', 'comment', 'void']);
  });

  it('refuses bad updates: 400 for missing or invalid fields, 404 for an unknown request, 403 for a bad key', async () => {
    const base: Pairs = [['service_request_id', ids.open], ['update_id', 'bad-1'], ['status', 'OPEN'], ['description', 'x']];
    const without = (name: string) => base.filter(([k]) => k !== name);
    for (const pairs of [without('update_id'), without('status'), [...without('status'), ['status', 'MAYBE']] as Pairs, [...without('description'), ['description', '<a href=x>y</a>']] as Pairs]) {
      const res = await update(pairs);
      expect(res.statusCode, JSON.stringify(pairs)).toBe(400);
      expectSchema('errors', res.json());
    }
    expect((await update([...without('service_request_id'), ['service_request_id', '999999']])).statusCode).toBe(404);
    expect((await update(base, 'glk_bad')).statusCode).toBe(403);
    const anonymous = await env.http.inject({ method: 'POST', url: `${BASE}/servicerequestupdates.json`, payload: form([...base, ['updated_datetime', '2026-11-26T10:30:00+08:00']]), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(anonymous.statusCode).toBe(403);
  });
});

function zonedShanghai(iso: string): string {
  const d = new Date(new Date(iso).getTime() + 8 * 3600_000).toISOString();
  return `${d.slice(0, 19)}+08:00`;
}
