import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, frozenClock, loginCookie, type TestEnv } from './helpers.js';
import { buildWorld, PASSWORD, PLACES, type World } from './world.js';
import { caseApi } from './support/case-api.js';
import { addUser } from '../src/auth/auth.service.js';
import { sweepSocial } from '../src/social/social.jobs.js';

// 矛盾纠纷调解 over HTTP with a frozen clock, from Thursday 2026-11-26 10:00 in Wuhai (02:00Z).
// Court-referred (诉前调解): 30 days to 2026-12-26, one extension of up to 30 days; 司法确认 may be
// applied for until the end of the 30th local day after the agreement; the mediator is reminded
// 5 days before.

const clock = frozenClock('2026-11-26T02:00:00Z');
let env: TestEnv;
let world: World;
let api: ReturnType<typeof caseApi>;
let mediator: string;
const DAY = 86_400_000;
const T0 = Date.parse('2026-11-26T02:00:00Z');
const at = (ms: number) => clock.set(new Date(ms).toISOString());
// Valid GB 11643 numbers (check characters worked out by hand: 11010519491231002X is the standard's example).
const ID_A = '11010519491231002X';
const ID_B = '440524188001010014';

beforeAll(async () => {
  env = await createTestEnv({ clock, config: { sessionTtlHours: 24 * 3650 } });
  world = await buildWorld(env);
  api = caseApi(env, world);
  await addUser(env.sys(), { username: 'mediator', password: PASSWORD, role: 'mediator', orgCode: '150302001' });
  mediator = await loginCookie(env.http, 'mediator', PASSWORD);
});
afterAll(() => env.close());

const PARTIES = [
  { role: 'applicant', name: '张三', phone: '13900001111', idNumber: ID_A },
  { role: 'respondent', name: '李四', phone: '13900002222', idNumber: ID_B },
];
async function courtDispute(extra: Record<string, unknown> = {}) {
  at(T0);
  return api.report(mediator, { categoryCode: 'LMD01', channel: 'court', description: '法院委派：相邻通行纠纷', dispute: { amount: 8000, parties: PARTIES, mediationOrg: '凤凰岭街道人民调解委员会' }, ...extra }, PLACES.heping);
}
const dispute = async (id: number, who = 'admin') => {
  const res = await api.get(who, `/api/v1/disputes/${id}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};

describe('intake', () => {
  it('a court-referred dispute has 30 days, its parties sealed and masked by role', async () => {
    const c = await courtDispute();
    expect(c).toMatchObject({ workflow: 'mediation', status: 'received', stage: 'mediate', stageDeadline: '2026-12-26T02:00:00.000Z' });
    const full = await dispute(c.id, mediator);
    expect(full).toMatchObject({ source: 'court_delegated', courtReferred: true, amount: 8000, peopleCount: 2, riskLevel: 'general', riskWarning: false });
    expect(full.parties).toEqual([
      expect.objectContaining({ role: 'applicant', name: '张三', phone: '13900001111', idNumber: ID_A }),
      expect.objectContaining({ role: 'respondent', name: '李四', phone: '13900002222', idNumber: ID_B }),
    ]);
    const masked = await dispute(c.id, 'leader');
    expect(masked.parties[0]).toMatchObject({ name: '张*', phone: '139****1111' });
    expect(masked.parties[0].idNumber).not.toContain('19491231');
    const stored = await env.app.store.db.selectFrom('dispute_parties').selectAll().where('case_id', '=', c.id).execute();
    expect(JSON.stringify(stored)).not.toContain('13900001111');
    expect(JSON.stringify(stored)).not.toContain(ID_A);
  });

  it('other disputes get the configured default; a bad ID number is refused and nothing is written', async () => {
    at(T0);
    const walkIn = await api.report(mediator, { categoryCode: 'LMD03', channel: 'visit', description: '物业费纠纷' }, PLACES.heping);
    expect(walkIn.stageDeadline).toBe('2026-12-26T02:00:00.000Z');
    const before = await env.app.store.db.selectFrom('cases').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const bad = await api.post(mediator, '/api/v1/cases', { categoryCode: 'LMD01', lon: PLACES.heping.lon, lat: PLACES.heping.lat, channel: 'visit', description: 'x', dispute: { parties: [{ role: 'applicant', name: '王五', idNumber: '110105194912310021' }] } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().details.field).toBe('dispute.parties[0].idNumber');
    const after = await env.app.store.db.selectFrom('cases').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('a 重大 or many-people dispute is flagged for 风险预警 and raised to the street', async () => {
    at(T0);
    const c = await api.report(mediator, { categoryCode: 'LMD04', channel: 'visit', description: '欠薪群体纠纷', dispute: { peopleCount: 23 } }, PLACES.heping);
    expect((await dispute(c.id)).riskWarning).toBe(true);
    const notes = await env.app.store.db.selectFrom('notifications').selectAll().where('case_id', '=', c.id).execute();
    expect(notes).toEqual([expect.objectContaining({ org_code: '150302001', role: 'leader', kind: 'risk_warning' })]);
  });

  it('the case list narrows to disputes of a risk level; a bad level is refused', async () => {
    at(T0);
    const major = await api.report(mediator, { categoryCode: 'LMD06', channel: 'visit', description: '征地补偿重大纠纷', dispute: { riskLevel: 'major' } }, PLACES.heping);
    const significant = await api.report(mediator, { categoryCode: 'LMD06', channel: 'visit', description: '征地补偿较大纠纷', dispute: { riskLevel: 'significant' } }, PLACES.heping);
    const general = await api.report(mediator, { categoryCode: 'LMD06', channel: 'visit', description: '征地补偿一般纠纷' }, PLACES.heping);
    const ids = async (query: string) => {
      const res = await api.get('admin', `/api/v1/cases?category=LMD06&limit=100&${query}`);
      expect(res.statusCode, res.body).toBe(200);
      return (res.json().items as { id: number }[]).map((c) => c.id).sort((a, b) => a - b);
    };
    expect(await ids('riskLevel=major')).toEqual([major.id]);
    expect(await ids('riskLevel=major,significant')).toEqual([major.id, significant.id]);
    expect(await ids('riskLevel=general')).toEqual([general.id]);
    expect((await api.get('admin', '/api/v1/cases?riskLevel=huge')).statusCode).toBe(400);
  });
});

describe('from intake to agreement, 回访 and 结案', () => {
  it('runs the court-referred flow with sessions, an extension, an oral agreement and the 司法确认 window', async () => {
    const c = await courtDispute();
    await api.act(mediator, c.id, 'assign', { note: '指派调解员 赵调解' });
    await api.act(mediator, c.id, 'start_mediation');
    at(T0 + 3 * DAY);
    const s = await api.post(mediator, `/api/v1/disputes/${c.id}/sessions`, { heldAt: new Date(T0 + 2 * DAY).toISOString(), place: '调委会调解室', attendees: '张三、李四、赵调解', summary: '双方陈述事实' });
    expect(s.statusCode, s.body).toBe(201);
    expect(s.json().sessions).toHaveLength(1);
    // Only once, and at most 30 days.
    expect((await api.act(mediator, c.id, 'request_extension', { extensionAmount: 31, note: '双方同意延长' }, 400)).details.field).toBe('extensionAmount');
    await api.act(mediator, c.id, 'request_extension', { extensionAmount: 30, note: '双方同意延长' });
    const extended = await api.act('leader', c.id, 'approve_extension');
    expect(extended.stageDeadline).toBe('2027-01-25T02:00:00.000Z');
    await api.act(mediator, c.id, 'request_extension', { extensionAmount: 5, note: '再延' }, 409);

    // 调解成功 needs the agreement first.
    expect((await api.act(mediator, c.id, 'succeed', {}, 400)).details.field).toBe('agreement');
    at(T0 + 10 * DAY); // Dec 6, 10:00 local
    const agreed = await api.get(mediator, `/api/v1/disputes/${c.id}`);
    expect(agreed.json().agreement).toBeNull();
    const p = await env.http.inject({ method: 'PATCH', url: `/api/v1/disputes/${c.id}`, headers: { cookie: mediator }, payload: { agreement: { kind: 'oral', summary: '李四让出通道，张三撤回起诉' } } });
    expect(p.statusCode, p.body).toBe(200);
    expect(p.json().agreement.confirmation).toMatchObject({ deadline: '2027-01-05T15:59:59.999Z', daysLeft: 30, applied: null });
    const done = await api.act(mediator, c.id, 'succeed');
    expect(done).toMatchObject({ status: 'agreed', stage: 'callback' });
    expect((await dispute(c.id)).resolvedLevel).toBe('street');

    // Reminded once, 5 days before the window closes.
    expect((await sweepSocial(env.app, new Date(T0 + 34 * DAY))).reminded).toBe(0);
    expect((await sweepSocial(env.app, new Date(T0 + 36 * DAY))).reminded).toBe(1);
    expect((await sweepSocial(env.app, new Date(T0 + 37 * DAY))).reminded).toBe(0);
    const reminder = await env.app.store.db.selectFrom('notifications').selectAll().where('case_id', '=', c.id).where('kind', '=', 'judicial_confirmation_due').execute();
    expect(reminder).toEqual([expect.objectContaining({ role: 'mediator', org_code: PLACES.heping.community })]);

    at(T0 + 41 * DAY); // Jan 6: the window closed at the end of Jan 5
    const late = await env.http.inject({ method: 'PATCH', url: `/api/v1/disputes/${c.id}`, headers: { cookie: mediator }, payload: { confirmation: { applied: true } } });
    expect(late.statusCode).toBe(400);
    const inTime = await env.http.inject({ method: 'PATCH', url: `/api/v1/disputes/${c.id}`, headers: { cookie: mediator }, payload: { confirmation: { applied: true, appliedAt: '2027-01-05T08:00:00Z' } } });
    expect(inTime.json().agreement.confirmation).toMatchObject({ applied: true, appliedAt: '2027-01-05T08:00:00.000Z' });

    await api.act(mediator, c.id, 'callback', { callback: { contacted: true, solved: true, satisfaction: 'satisfied' } });
    expect((await dispute(c.id)).agreementKept).toBe(true);
    expect((await api.act(mediator, c.id, 'close')).status).toBe('closed');
  });

  it('调解不成 needs a referral; a non-court mediation cannot be extended', async () => {
    at(T0);
    const c = await api.report(mediator, { categoryCode: 'LMD02', channel: 'visit', description: '离婚财产纠纷' }, PLACES.heping);
    await api.act(mediator, c.id, 'assign', { note: '指派' });
    await api.act(mediator, c.id, 'start_mediation');
    expect((await api.act(mediator, c.id, 'request_extension', { extensionAmount: 10, note: '延长' }, 409)).error).toBe('transition_not_allowed');
    // The case page offers no extension for it, but does for a court's referral.
    expect((await api.get(mediator, `/api/v1/cases/${c.id}`)).json().allowedActions).not.toContain('request_extension');
    const court = await courtDispute();
    expect((await api.get(mediator, `/api/v1/cases/${court.id}`)).json().allowedActions).toContain('request_extension');
    expect((await api.get('leader', `/api/v1/cases/${court.id}`)).json().allowedActions).toContain('approve_extension');
    expect((await api.get('leader', `/api/v1/cases/${c.id}`)).json().allowedActions).not.toContain('approve_extension');
    expect((await api.act(mediator, c.id, 'fail', { note: '双方分歧大' }, 400)).details.field).toBe('referral');
    await env.http.inject({ method: 'PATCH', url: `/api/v1/disputes/${c.id}`, headers: { cookie: mediator }, payload: { referral: { to: 'litigation', note: '引导向法院起诉' } } });
    expect((await api.act(mediator, c.id, 'fail', { note: '双方分歧大' })).status).toBe('failed');
    expect((await api.act(mediator, c.id, 'close')).status).toBe('closed');
  });
});

describe('转调解', () => {
  it('turns a 12345 complaint into a dispute; both link, the first closes as transferred', async () => {
    at(T0);
    const hotline = await api.report('dispatcher', { categoryCode: 'L1203', channel: 'hotline', description: '楼上噪音扰民，多次协商未果', reporter: { name: '陈某', phone: '13955556666' } }, PLACES.heping);
    const res = await api.post('dispatcher', `/api/v1/cases/${hotline.id}/to-mediation`, { version: hotline.version, categoryCode: 'LMD01', note: '邻里噪音纠纷，转人民调解' });
    expect(res.statusCode, res.body).toBe(201);
    const { from, to } = res.json();
    expect(from).toMatchObject({ id: hotline.id, status: 'transferred', openStatus: 'closed' });
    expect(to).toMatchObject({ workflow: 'mediation', status: 'received', categoryCode: 'LMD01', description: hotline.description });
    expect((await api.case(hotline.id)).attributes.transferredTo).toEqual({ id: to.id, number: to.number });
    expect(await dispute(to.id)).toMatchObject({ transferredFromCaseId: hotline.id, source: 'hotline' });
    expect((await api.case(to.id, 'dispatcher')).reporter).toMatchObject({ name: '陈某', phone: '13955556666' });
    const timeline = await api.timeline(hotline.id);
    expect(timeline.at(-1)).toMatchObject({ action: 'transfer', to: 'transferred', data: expect.objectContaining({ targetCaseId: to.id }) });
    // Stale version: nothing happens.
    const stale = await api.post('dispatcher', `/api/v1/cases/${to.id}/to-mediation`, { version: 1, categoryCode: 'LMD01', note: 'x' });
    expect(stale.statusCode).toBe(409);
  });
});
