import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../src/auth/auth.service.js';
import { createTestEnv, dialectUnderTest, frozenClock, type TestEnv } from './helpers.js';
import { buildWorld, PLACES, type World } from './world.js';
import { form } from './open311.helpers.js';

// FixMyStreet as the citizen front end (mySociety's Open311 back-end client): its statuses, its
// customer_reference, its media, and Open311 writes that are one transaction each.
const clock = frozenClock('2026-11-26T02:00:00Z');
const BASE = '/open311/v2';
let env: TestEnv;
let world: World;
let key: string;
let backOffice: string;

type Pairs = [string, string | number][];
type Who = keyof World['cookies'];
const inject = (path: string, pairs: Pairs) => env.http.inject({ method: 'POST', url: `${BASE}${path}`, payload: form(pairs), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
const rest = (who: Who, url: string) => env.http.inject({ url, headers: { cookie: world.cookies[who] } });

async function report(description: string, extra: Pairs = []): Promise<string> {
  const res = await inject('/requests.json', [['api_key', key], ['service_code', '06012'], ['lat', PLACES.heping.lat], ['long', PLACES.heping.lon], ['description', description], ...extra]);
  expect(res.statusCode, res.body).toBe(200);
  return res.json()[0].service_request_id as string;
}

let updateNo = 0;
const update = (id: string, status: string, extra: Pairs = [], apiKey = key) => {
  updateNo += 1;
  return inject('/servicerequestupdates.json', [['api_key', apiKey], ['service_request_id', id], ['update_id', `fms-${updateNo}`], ['status', status], ['updated_datetime', '2026-11-26T10:30:00+08:00'], ['description', `更新 ${status}`], ...extra]);
};
const caseOf = async (id: string) => (await rest('admin', `/api/v1/cases/${id}`)).json();
const eventsOf = async (id: string) => (await rest('admin', `/api/v1/cases/${id}/timeline`)).json() as { action: string; note: string | null }[];
const count = async (table: 'cases' | 'case_events' | 'open311_requests' | 'open311_updates') =>
  Number((await env.app.store.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

/** Makes every insert into `table` fail until the returned function is called (a fault between two writes). */
async function failInsertsInto(table: string): Promise<() => Promise<void>> {
  const db = env.app.store.db;
  const name = sql.raw(`fail_${table}`);
  const t = sql.raw(table);
  if (dialectUnderTest === 'postgres') {
    await sql`create function ${name}() returns trigger language plpgsql as $$ begin raise exception 'injected failure'; end $$`.execute(db);
    await sql`create trigger ${name} before insert on ${t} for each row execute function ${name}()`.execute(db);
    return async () => {
      await sql`drop trigger ${name} on ${t}`.execute(db);
      await sql`drop function ${name}()`.execute(db);
    };
  }
  await sql`create trigger ${name} before insert on ${t} begin select raise(abort, 'injected failure'); end`.execute(db);
  return async () => { await sql`drop trigger ${name}`.execute(db); };
}

beforeAll(async () => {
  env = await createTestEnv({ clock });
  world = await buildWorld(env);
  key = (await createApiKey(env.sys(), { name: 'FixMyStreet', orgCode: '150300' })).key;
  backOffice = (await createApiKey(env.sys(), { name: 'Back office', orgCode: '150300', role: 'dispatcher' })).key;
});
afterAll(() => env.close());

describe('POST servicerequestupdates: mySociety statuses', () => {
  // mySociety's list (open311-adapter Role/mySociety.pm, FixMyStreet Open311.pm), as clients send it.
  const ALL = ['OPEN', 'CLOSED', 'FIXED', 'IN_PROGRESS', 'PLANNED', 'ACTION_SCHEDULED', 'INVESTIGATING', 'DUPLICATE', 'NOT_COUNCILS_RESPONSIBILITY', 'NO_FURTHER_ACTION', 'INTERNAL_REFERRAL', 'CANCELLED', 'REOPEN', 'FOR_TRIAGE', 'UNCHANGED'];

  it('accepts every status of the list from a FixMyStreet key, as public comments that move nothing', async () => {
    const id = await report('井盖松动');
    for (const status of ALL) {
      const res = await update(id, status);
      expect(res.statusCode, `${status}: ${res.body}`).toBe(200);
    }
    expect((await caseOf(id)).status).toBe('reported');
    const comments = (await eventsOf(id)).filter((e) => e.action === 'comment');
    expect(comments.map((e) => e.note)).toEqual(ALL.map((s) => `更新 ${s}`));
  });

  it('accepts the spellings clients use and refuses a status outside the list', async () => {
    const id = await report('路灯不亮');
    expect((await update(id, 'in_progress')).statusCode).toBe(200);
    expect((await update(id, 'In Progress')).statusCode).toBe(200);
    const bad = await update(id, 'MAYBE');
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('CANCELLED');
  });

  it('moves the case when a back-office key may take the action the status means', async () => {
    const cancelled = await report('误报，已撤回');
    expect((await update(cancelled, 'CANCELLED', [], backOffice)).statusCode).toBe(200);
    expect((await caseOf(cancelled)).status).toBe('voided');
    const notOurs = await report('私人小区内部问题');
    expect((await update(notOurs, 'NOT_COUNCILS_RESPONSIBILITY', [], backOffice)).statusCode).toBe(200);
    expect((await caseOf(notOurs)).status).toBe('rejected');
    const checked = await report('待核实');
    expect((await update(checked, 'INVESTIGATING', [], backOffice)).statusCode).toBe(200);
    expect((await update(checked, 'PLANNED', [], backOffice)).statusCode).toBe(200);
    expect((await caseOf(checked)).status).toBe('registered');
    // DUPLICATE names no original: it stays a comment even for staff.
    const dup = await report('重复？');
    expect((await update(dup, 'DUPLICATE', [], backOffice)).statusCode).toBe(200);
    expect((await caseOf(dup)).status).toBe('reported');
  });

  it('takes the case number FixMyStreet keeps as customer_reference in place of the id', async () => {
    const id = await report('按案件编号回传');
    const number = (await caseOf(id)).number as string;
    expect(number).toMatch(/^WH\d{14}$/);
    const res = await update(number, 'OPEN', [['description', '按编号补充说明']]);
    expect(res.statusCode, res.body).toBe(200);
    expect((await eventsOf(id)).map((e) => e.note)).toContain('按编号补充说明');
    const unknown = await update('WH20991231999999', 'OPEN');
    expect(unknown.statusCode).toBe(404);
    expect((await update('not-a-case', 'OPEN')).statusCode).toBe(400);
  });

  it('keeps a media_url posted with an update and returns it in the feed', async () => {
    const id = await report('附照片的更新');
    const res = await update(id, 'OPEN', [['media_url', 'https://fms.example.cn/photo/c/123.0.full.jpeg'], ['description', '见照片']]);
    expect(res.statusCode, res.body).toBe(200);
    const feed = (await env.http.inject(`${BASE}/servicerequestupdates.json?service_request_id=${id}`)).json() as { update_id: string; description: string; media_url: string }[];
    expect(feed.find((u) => u.update_id === res.json()[0].update_id)).toMatchObject({ description: '见照片', media_url: 'https://fms.example.cn/photo/c/123.0.full.jpeg' });
    expect((await update(id, 'OPEN', [['media_url', 'javascript:alert(1)']])).statusCode).toBe(400);
  });
});

describe('GET servicerequestupdates: what FixMyStreet reads', () => {
  // The states FixMyStreet's map_state turns into its own, or keeps by name.
  const UNDERSTOOD = ['open', 'closed', 'fixed', 'in_progress', 'action_scheduled', 'investigating', 'duplicate', 'not_councils_responsibility', 'no_further_action', 'internal_referral'];

  it('sends only statuses FixMyStreet understands, and a reopened case as open', async () => {
    const id = await report('结案后重开');
    const act = async (who: Who, action: string, extra: Record<string, unknown> = {}) => {
      const c = await caseOf(id);
      const res = await env.http.inject({ method: 'POST', url: `/api/v1/cases/${id}/transitions`, payload: { action, version: c.version, ...extra }, headers: { cookie: world.cookies[who] } });
      expect(res.statusCode, `${action}: ${res.body}`).toBe(200);
    };
    await act('dispatcher', 'verify');
    await act('dispatcher', 'register');
    await act('dispatcher', 'dispatch', { departmentId: world.departments.HW });
    await act('handler', 'accept');
    await act('handler', 'complete');
    await act('inspector', 'check_pass');
    await act('dispatcher', 'close');
    await act('dispatcher', 'reopen', { note: '市民反映仍未解决' });
    const feed = (await env.http.inject(`${BASE}/servicerequestupdates.json?service_request_id=${id}`)).json() as { status: string; external_status_code: string }[];
    expect(feed.length).toBeGreaterThan(7);
    for (const u of feed) expect(UNDERSTOOD, u.status).toContain(u.status);
    expect(feed[feed.length - 1]).toMatchObject({ external_status_code: 'reopened', status: 'open' });
    const all = (await env.http.inject(`${BASE}/servicerequestupdates.json`)).json() as { status: string }[];
    for (const u of all) expect(UNDERSTOOD, u.status).toContain(u.status);
  });
});

describe('Open311 writes are one transaction each', () => {
  it('a failure while recording a request\'s metadata leaves no case, and the retry creates it whole', async () => {
    const before = { cases: await count('cases'), events: await count('case_events'), meta: await count('open311_requests') };
    const pairs: Pairs = [['client_request_id', 'fms-tx-1'], ['attribute[fixmystreet_id]', '9001']];
    const heal = await failInsertsInto('open311_requests');
    try {
      const res = await inject('/requests.json', [['api_key', key], ['service_code', '06012'], ['lat', PLACES.heping.lat], ['long', PLACES.heping.lon], ['description', '事务测试'], ...pairs]);
      expect(res.statusCode).toBe(500);
    } finally {
      await heal();
    }
    expect({ cases: await count('cases'), events: await count('case_events'), meta: await count('open311_requests') }).toEqual(before);
    const id = await report('事务测试', pairs);
    const [read] = (await env.http.inject(`${BASE}/servicerequestupdates.json?service_request_id=${id}`)).json() as unknown[];
    expect(read).toBeUndefined(); // nothing has happened to it yet but its report
    await update(id, 'OPEN');
    const feed = (await env.http.inject(`${BASE}/servicerequestupdates.json?service_request_id=${id}`)).json() as { fixmystreet_id?: string }[];
    expect(feed[0]?.fixmystreet_id).toBe('9001');
    expect(await count('cases')).toBe(before.cases + 1);
  });

  it('a failure while recording an update leaves the case as it was, and the retry moves it once', async () => {
    const id = await report('更新事务测试');
    const before = { version: (await caseOf(id)).version, events: (await eventsOf(id)).length, updates: await count('open311_updates') };
    const send = () => inject('/servicerequestupdates.json', [['api_key', backOffice], ['service_request_id', id], ['update_id', 'bo-tx-1'], ['status', 'INVESTIGATING'], ['updated_datetime', '2026-11-26T10:30:00+08:00'], ['description', '核实中']]);
    const heal = await failInsertsInto('open311_updates');
    try {
      expect((await send()).statusCode).toBe(500);
    } finally {
      await heal();
    }
    const after = await caseOf(id);
    expect({ status: after.status, version: after.version, events: (await eventsOf(id)).length, updates: await count('open311_updates') }).toEqual({ status: 'reported', ...before });
    const first = await send();
    expect(first.statusCode, first.body).toBe(200);
    const again = await send();
    expect(again.json()[0].update_id).toBe(first.json()[0].update_id);
    expect((await caseOf(id)).status).toBe('verified');
    expect((await eventsOf(id)).filter((e) => e.action === 'verify')).toHaveLength(1);
  });
});
