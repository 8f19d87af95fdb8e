import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, frozenClock, type TestEnv } from './helpers.js';
import { buildWorld, PLACES, type World } from './world.js';
import { caseApi } from './support/case-api.js';

// 信访 over HTTP with a frozen clock. Registration Thursday 2026-11-26 10:00 in Wuhai (02:00Z).
// Calendar days (the default): 15 to decide, 60 from acceptance, one extension of ≤ 30, 复查 and
// 复核 requested within 30 days of the reply / opinion (day 30 in time, day 31 not), each due in 30.
//
//   Nov 26 登记 ── Dec 11 受理告知 due (15 d)
//   Nov 29 受理 ── Jan 28 办结 due (60 d) ── Feb 27 after +30 approved

const clock = frozenClock('2026-11-26T02:00:00Z');
let env: TestEnv;
let world: World;
let api: ReturnType<typeof caseApi>;
const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();
const T0 = Date.parse('2026-11-26T02:00:00Z');

beforeAll(async () => {
  env = await createTestEnv({ clock, config: { sessionTtlHours: 24 * 3650 } }); // sessions outlive the clock's jumps
  world = await buildWorld(env);
  api = caseApi(env, world);
});
afterAll(() => env.close());

let petitioner = 0;
/** Registers a petition by 来访 from a new petitioner (or the given phone). */
async function register(phone = `1390000${String(++petitioner).padStart(4, '0')}`, extra: Record<string, unknown> = {}) {
  return api.report('dispatcher', { categoryCode: 'LXF03', channel: 'visit', description: '小区违建多次反映未解决', reporter: { name: '王某', phone }, ...extra }, PLACES.heping);
}
const at = (ms: number) => clock.set(iso(ms));

describe('信访 categories and intake', () => {
  it('lists petition and mediation categories by workflow', async () => {
    for (const workflow of ['petition', 'mediation']) {
      const res = await api.get('dispatcher', `/api/v1/categories?workflow=${workflow}`);
      expect(res.statusCode).toBe(200);
      const items = res.json().items as { workflow: string }[];
      expect(items.length).toBeGreaterThan(0);
      expect(items.every((c) => c.workflow === workflow)).toBe(true);
    }
  });

  it('a registered petition must be decided on within 15 days, by letter, visit or online', async () => {
    at(T0);
    for (const channel of ['letter', 'visit', 'online']) {
      const c = await register(undefined, { channel });
      expect(c).toMatchObject({ workflow: 'petition', status: 'lodged', stage: 'acceptance', channel });
      expect(c.stageDeadline).toBe('2026-12-11T02:00:00.000Z');
    }
  });
});

describe('受理, 延期 and 答复', () => {
  it('60 days from acceptance; one extension of at most 30 days, approved by a leader', async () => {
    at(T0);
    const c = await register();
    at(T0 + 3 * DAY);
    const accepted = await api.act('dispatcher', c.id, 'accept');
    expect(accepted).toMatchObject({ status: 'processing', stage: 'conclude', stageDeadline: '2027-01-28T02:00:00.000Z' });

    const tooLong = await api.act('dispatcher', c.id, 'request_extension', { extensionAmount: 31, note: '情况复杂' }, 400);
    expect(tooLong.details.field).toBe('extensionAmount');
    const unchanged = await api.case(c.id);
    expect(unchanged).toMatchObject({ version: accepted.version, stageDeadline: accepted.stageDeadline, pendingExtension: null, extensionCount: 0 });

    await api.act('dispatcher', c.id, 'request_extension', { extensionAmount: 30, note: '情况复杂，需多部门会商' });
    await api.act('dispatcher', c.id, 'approve_extension', {}, 409); // a leader approves
    const approvedTooLong = await api.act('leader', c.id, 'approve_extension', { extensionAmount: 31 }, 400);
    expect(approvedTooLong.details.field).toBe('extensionAmount');
    const extended = await api.act('leader', c.id, 'approve_extension');
    expect(extended).toMatchObject({ stageDeadline: '2027-02-27T02:00:00.000Z', extensionCount: 1, pendingExtension: null });

    const again = await api.act('dispatcher', c.id, 'request_extension', { extensionAmount: 5, note: '再延' }, 409);
    expect(again.error).toBe('transition_not_allowed');
    expect((await api.case(c.id)).stageDeadline).toBe('2027-02-27T02:00:00.000Z');
  });

  it('不予受理 needs a reason and closes the petition', async () => {
    at(T0);
    const c = await register();
    expect((await api.act('dispatcher', c.id, 'reject', {}, 400)).details.field).toBe('note');
    const rejected = await api.act('dispatcher', c.id, 'reject', { note: '属于诉讼程序，请向人民法院起诉' });
    expect(rejected).toMatchObject({ status: 'not_accepted', openStatus: 'closed', stage: null, stageDeadline: null });
  });
});

/** A petition accepted and answered at T0 + 1 day. */
async function replied() {
  at(T0);
  const c = await register();
  await api.act('dispatcher', c.id, 'accept');
  at(T0 + DAY);
  return api.act('dispatcher', c.id, 'reply', { note: '答复意见书：已责成拆除' });
}

describe('复查 and 复核 windows', () => {
  it('a 复查 asked on day 30 after the reply is accepted and due in 30 days', async () => {
    const c = await replied();
    at(T0 + 31 * DAY + 13 * 3_600_000); // Dec 27 23:00 local: day 30 after the reply (Nov 27)
    const review = await api.act('dispatcher', c.id, 'request_review', { note: '对答复不服，请求复查' });
    expect(review).toMatchObject({ status: 'reviewing', stage: 'review', stageDeadline: iso(T0 + 61 * DAY + 13 * 3_600_000) });
    expect(review.escalationLevel).toBe(1);
  });

  it('a 复查 asked on day 31 is refused and changes nothing', async () => {
    const c = await replied();
    at(T0 + 32 * DAY - 3 * 3_600_000); // Dec 28 07:00 local: day 31
    const res = await api.act('dispatcher', c.id, 'request_review', { note: '请求复查' }, 422);
    expect(res).toMatchObject({ error: 'window_closed' });
    expect(res.details.windowEnd).toBe('2026-12-27');
    expect(await api.case(c.id)).toMatchObject({ status: 'answered', version: c.version, escalationLevel: 0 });
  });

  it('复核 within 30 days of the 复查 opinion; a hearing stops its clock; day 31 is too late', async () => {
    const c = await replied();
    at(T0 + 5 * DAY);
    await api.act('dispatcher', c.id, 'request_review', { note: '请求复查' });
    at(T0 + 20 * DAY);
    await api.act('leader', c.id, 'review_opinion', { note: '复查意见：维持原答复' });
    const late = await replied();
    await api.act('dispatcher', late.id, 'request_review', { note: '请求复查' });
    at(T0 + 21 * DAY);
    await api.act('leader', late.id, 'review_opinion', { note: '复查意见：维持' });
    at(T0 + 52 * DAY);
    expect((await api.act('dispatcher', late.id, 'request_recheck', { note: '请求复核' }, 422)).error).toBe('window_closed');

    at(T0 + 50 * DAY); // day 30 after Dec 16
    const recheck = await api.act('dispatcher', c.id, 'request_recheck', { note: '请求复核' });
    expect(recheck).toMatchObject({ status: 'rechecking', stage: 'recheck', stageDeadline: iso(T0 + 80 * DAY) });
    at(T0 + 55 * DAY);
    const hearing = await api.act('leader', c.id, 'start_hearing', { note: '组织听证' });
    expect(hearing.status).toBe('hearing');
    at(T0 + 67 * DAY);
    const resumed = await api.act('leader', c.id, 'resume');
    expect(resumed).toMatchObject({ status: 'rechecking', stageDeadline: iso(T0 + 92 * DAY) });
    const done = await api.act('leader', c.id, 'recheck_opinion', { note: '复核意见：维持复查意见' });
    expect(done).toMatchObject({ status: 'rechecked', openStatus: 'closed' });
  });
});

describe('重复信访 and no re-acceptance after 复核', () => {
  it('the same petitioner and matter within a year is a repeat and a 积案; after 复核 it is not accepted again', async () => {
    at(T0);
    const phone = '13912340001';
    const first = await register(phone);
    const again = await register(phone);
    expect(again.attributes.petition).toEqual({ repeatOf: { id: first.id, number: first.number } });

    await api.act('dispatcher', first.id, 'accept');
    await api.act('dispatcher', first.id, 'reply', { note: '答复' });
    await api.act('dispatcher', first.id, 'request_review', { note: '复查' });
    await api.act('leader', first.id, 'review_opinion', { note: '复查意见' });
    await api.act('dispatcher', first.id, 'request_recheck', { note: '复核' });
    await api.act('leader', first.id, 'recheck_opinion', { note: '复核意见' });

    at(T0 + 400 * DAY);
    const third = await register(phone);
    expect(third.attributes.petition).toEqual({ notReacceptable: { id: first.id, number: first.number, reason: expect.stringContaining('不再受理') } });
    const refused = await api.act('dispatcher', third.id, 'accept', {}, 409);
    expect(refused).toMatchObject({ error: 'not_reacceptable', details: { caseId: first.id } });
    expect((await api.case(third.id)).status).toBe('lodged');
    // A different matter from the same petitioner is a new petition.
    const other = await register(phone, { categoryCode: 'LXF04' });
    expect(other.attributes.petition).toBeUndefined();
  });
});

describe('the petition record: clocks as dates, 包案领导, 积案', () => {
  it('shows each statutory clock with its date and days left', async () => {
    at(T0);
    const c = await register();
    at(T0 + 3 * DAY);
    await api.act('dispatcher', c.id, 'accept');
    at(T0 + 13 * DAY); // Dec 9
    const res = await api.get('dispatcher', `/api/v1/petitions/${c.id}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().clocks).toEqual([
      { key: 'acceptance', due: '2026-12-11T02:00:00.000Z', dueDate: '2026-12-11', daysLeft: 2, done: iso(T0 + 3 * DAY) },
      { key: 'conclude', due: '2027-01-28T02:00:00.000Z', dueDate: '2027-01-28', daysLeft: 50, done: null },
    ]);
    expect(res.json()).toMatchObject({ petitioners: 1, collective: false, repeatOf: null, notReacceptable: null, chain: { acceptedAt: iso(T0 + 3 * DAY), repliedAt: null } });
  });

  it('a petition past its limit becomes a 积案 with a 包案领导 and follow-ups, resolved by its reply', async () => {
    const { sweepSocial } = await import('../src/social/social.jobs.js');
    at(T0);
    const c = await register(undefined, { petition: { petitioners: 6, skippedLevel: true } });
    expect((await sweepSocial(env.app, new Date(T0 + 15 * DAY))).backlogged).toBe(0);
    expect((await sweepSocial(env.app, new Date(T0 + 15 * DAY + 1))).backlogged).toBeGreaterThanOrEqual(1);
    const backlog = (await api.get('dispatcher', '/api/v1/petitions/backlog?limit=200')).json().items as { id: number }[];
    expect(backlog.map((b) => b.id)).toContain(c.id);
    // The big screen counts 积案 by area (the street's communities), as a map measure.
    const backlogIn = async (community: string) => {
      const res = await env.http.inject({ method: 'GET', url: '/api/v1/screen/areas?org=150302001&measure=petitionBacklog', headers: { cookie: world.cookies.admin } });
      expect(res.statusCode, res.body).toBe(200);
      const area = (res.json().areas as { code: string; value: number; petitionBacklog: number }[]).find((a) => a.code === community)!;
      expect(area.value).toBe(area.petitionBacklog);
      return area.petitionBacklog;
    };
    const flagged = await backlogIn(PLACES.heping.community);
    expect(flagged).toBe(backlog.filter((b) => (b as { communityCode?: string }).communityCode === PLACES.heping.community).length);
    expect(flagged).toBeGreaterThanOrEqual(1);
    expect(await backlogIn(PLACES.gongyuan.community)).toBe(0);

    at(T0 + 16 * DAY);
    const leaderId = (await env.app.store.db.selectFrom('users').select('id').where('username', '=', 'leader').executeTakeFirstOrThrow()).id;
    const notLeader = await env.http.inject({ method: 'PATCH', url: `/api/v1/petitions/${c.id}`, headers: { cookie: world.cookies.dispatcher }, payload: { leadUserId: (await env.app.store.db.selectFrom('users').select('id').where('username', '=', 'inspector').executeTakeFirstOrThrow()).id } });
    expect(notLeader.statusCode).toBe(400);
    const lead = await env.http.inject({ method: 'PATCH', url: `/api/v1/petitions/${c.id}`, headers: { cookie: world.cookies.dispatcher }, payload: { leadUserId: leaderId } });
    expect(lead.statusCode, lead.body).toBe(200);
    expect(lead.json()).toMatchObject({ collective: true, skippedLevel: true, backlog: { since: iso(T0 + 15 * DAY + 1), leadUserId: leaderId } });
    const f = await api.post('leader', `/api/v1/petitions/${c.id}/followups`, { note: '11月跟进：已约谈' });
    expect(f.statusCode, f.body).toBe(201);
    expect(f.json().followups).toEqual([{ at: iso(T0 + 16 * DAY), actor: expect.any(String), note: '11月跟进：已约谈' }]);

    await api.act('leader', c.id, 'accept');
    await api.act('dispatcher', c.id, 'reply', { note: '答复' });
    expect((await api.get('dispatcher', `/api/v1/petitions/${c.id}`)).json().backlog.resolvedAt).toBe(iso(T0 + 16 * DAY));
    const after = (await api.get('dispatcher', '/api/v1/petitions/backlog?limit=200')).json().items as { id: number }[];
    expect(after.map((b) => b.id)).not.toContain(c.id);
    expect(await backlogIn(PLACES.heping.community)).toBe(flagged - 1);
  });

  it('KPIs over HTTP count this file\'s petitions', async () => {
    at(T0 + 500 * DAY);
    const res = await api.get('leader', '/api/v1/social/kpis?org=150302001002&from=2026-11-01&to=2026-12-31');
    expect(res.statusCode, res.body).toBe(200);
    const k = res.json().petition;
    expect(k.registered).toBeGreaterThan(5);
    expect(k.skippedLevel).toBe(1);
    expect(k.timelyAcceptanceRate).toBeLessThan(1); // the 积案 above was decided on day 16 (Dec 12)
  });
});
