import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../src/auth/auth.service.js';
import { createTestEnv, frozenClock, type TestEnv } from './helpers.js';
import { buildWorld, PLACES, type World } from './world.js';
import { form } from './open311.helpers.js';

// Personal data in free text: what anonymous Open311 readers see of descriptions, staff notes and
// client updates, and which cases they see at all (12345 hotline cases are private by default).
const clock = frozenClock('2026-11-26T02:00:00Z');
const BASE = '/open311/v2';
let env: TestEnv;
let world: World;
let key: string;
const ids: Record<string, string> = {};

type Who = keyof World['cookies'];
const rest = (who: Who, method: 'GET' | 'POST', url: string, payload?: unknown) =>
  env.http.inject({ method, url, payload: payload as object, headers: { cookie: world.cookies[who] } });

async function act(who: Who, id: string, action: string, extra: Record<string, unknown> = {}) {
  const current = (await rest(who, 'GET', `/api/v1/cases/${id}`)).json();
  const res = await rest(who, 'POST', `/api/v1/cases/${id}/transitions`, { action, version: current.version, ...extra });
  expect(res.statusCode, `${action} by ${who}: ${res.body}`).toBe(200);
}

async function open311(path: string, pairs: [string, string | number][]) {
  const res = await env.http.inject({ method: 'POST', url: `${BASE}${path}`, payload: form([['api_key', key], ...pairs]), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json()[0];
}

const anonymous = async () => [
  (await env.http.inject({ url: `${BASE}/requests.json?extensions=true` })).body,
  (await env.http.inject({ url: `${BASE}/requests.xml?extensions=true` })).body,
  (await env.http.inject({ url: `${BASE}/requests/${ids.phoneInText}.json?extensions=true` })).body,
  (await env.http.inject({ url: `${BASE}/servicerequestupdates.json` })).body,
  (await env.http.inject({ url: `${BASE}/servicerequestupdates.xml` })).body,
].join('\n');

beforeAll(async () => {
  env = await createTestEnv({ clock });
  world = await buildWorld(env);
  key = (await createApiKey(env.sys(), { name: 'FixMyStreet', orgCode: '150300' })).key;
  ids.phoneInText = (await open311('/requests.json', [
    ['service_code', '06012'], ['lat', PLACES.heping.lat], ['long', PLACES.heping.lon],
    ['description', '楼下垃圾堆了三天，我的电话１３９１２３４５６７８，邮箱 li.lei@qq.com，身份证11010519491231002X'],
  ])).service_request_id;
  clock.advance(60_000);
  await act('dispatcher', ids.phoneInText, 'verify', { note: '已电话联系举报人王小明 13700001111，住3单元401' });
  await act('dispatcher', ids.phoneInText, 'register', { note: '立案，请环卫处置。联系人座机 0473-2345678', notePublic: true });
  await act('dispatcher', ids.phoneInText, 'dispatch', { departmentId: world.departments.HW, note: '派环卫，内部备注' });
  await open311('/servicerequestupdates.json', [
    ['service_request_id', ids.phoneInText], ['update_id', 'fms-9'], ['status', 'OPEN'], ['updated_datetime', '2026-11-26T10:05:00+08:00'],
    ['description', '补充：可打 18600002222 找我'],
  ]);
  const hotline = await rest('dispatcher', 'POST', '/api/v1/cases', { categoryCode: 'L1203', channel: 'hotline', description: '邻居噪音投诉', lon: PLACES.gongyuan.lon, lat: PLACES.gongyuan.lat });
  expect(hotline.statusCode, hotline.body).toBe(201);
  ids.hotline = String(hotline.json().id);
  const hotlinePublic = await rest('dispatcher', 'POST', '/api/v1/cases', { categoryCode: 'L1203', channel: 'hotline', description: '路灯不亮', lon: PLACES.gongyuan.lon, lat: PLACES.gongyuan.lat, private: false });
  ids.hotlinePublic = String(hotlinePublic.json().id);
});
afterAll(() => env.close());

describe('free text shown to the public', () => {
  it('never carries a phone, ID number or e-mail address, and masks them in place', async () => {
    const body = await anonymous();
    for (const secret of ['13912345678', '１３９１２３４５６７８', 'li.lei@qq.com', '11010519491231002X', '13700001111', '王小明', '3单元401', '2345678', '18600002222', '派环卫，内部备注']) {
      expect(body, secret).not.toContain(secret);
    }
    const [req] = (await env.http.inject({ url: `${BASE}/requests/${ids.phoneInText}.json?extensions=true` })).json();
    expect(req.description).toBe('楼下垃圾堆了三天，我的电话１３９****５６７８，邮箱 l***@qq.com，身份证110***********002X');
    const notes = req.notes as { summary: string; description: string }[];
    // The verify note was not marked public: only its label is shown.
    expect(notes.map((n) => n.description)).toEqual(['上报', '核实', '立案，请环卫处置。联系人座机 0473-***5678', '派遣', '补充：可打 186****2222 找我']);
  });

  it('shows staff everything, and records on each event whether its note is public', async () => {
    const timeline = (await rest('dispatcher', 'GET', `/api/v1/cases/${ids.phoneInText}/timeline`)).json() as { action: string; note: string | null; notePublic: boolean }[];
    expect(timeline.map((e) => [e.action, e.notePublic])).toEqual([['report', false], ['verify', false], ['register', true], ['dispatch', false], ['comment', true]]);
    expect(timeline[1].note).toBe('已电话联系举报人王小明 13700001111，住3单元401');
    const detail = (await rest('dispatcher', 'GET', `/api/v1/cases/${ids.phoneInText}`)).json();
    expect(detail.description).toContain('１３９１２３４５６７８');
  });

  it('refuses a notePublic that is not a boolean', async () => {
    const current = (await rest('handler', 'GET', `/api/v1/cases/${ids.phoneInText}`)).json();
    const res = await rest('handler', 'POST', `/api/v1/cases/${ids.phoneInText}/transitions`, { action: 'accept', version: current.version, note: 'x', notePublic: 'yes' });
    expect(res.statusCode).toBe(400);
    const after = (await rest('handler', 'GET', `/api/v1/cases/${ids.phoneInText}`)).json();
    expect(after.version).toBe(current.version);
  });
});

describe('12345 hotline cases', () => {
  it('are private unless the intake says otherwise', async () => {
    const rows = await env.app.store.db.selectFrom('cases').select(['id', 'private']).where('id', 'in', [Number(ids.hotline), Number(ids.hotlinePublic), Number(ids.phoneInText)]).orderBy('id').execute();
    expect(rows.map((r) => [String(r.id), r.private])).toEqual([[ids.phoneInText, 0], [ids.hotline, 1], [ids.hotlinePublic, 0]]);
    expect((await env.http.inject({ url: `${BASE}/requests/${ids.hotline}.json` })).statusCode).toBe(404);
    expect((await env.http.inject({ url: `${BASE}/requests/${ids.hotlinePublic}.json` })).statusCode).toBe(200);
  });
});
