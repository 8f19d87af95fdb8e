import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, createApiKey } from '../src/auth/auth.service.js';
import type { ApiScope } from '../src/auth/scopes.js';
import { createTestEnv, frozenClock, loginCookie, type TestEnv } from './helpers.js';
import { form, multipart, PNG } from './open311.helpers.js';
import { buildWorld, PASSWORD, PLACES } from './world.js';
import { registerDevice } from '../src/sensors/device.service.js';
import { createAlarmRule } from '../src/sensors/alarm.service.js';
import { ingestHttpBatch } from '../src/sensors/reading.service.js';
import { makeCtx } from '../src/context.js';
import { systemActor } from '../src/auth/actor.js';

/*
 * THE AUTHORIZATION MATRIX: every endpoint × every actor × an in-scope and an out-of-scope
 * resource → the expected status, plus, for reads, that in-scope data is there and out-of-scope
 * data is not. The route table (every route Fastify serves, /api/v1 and /open311/v2 alike) must
 * match MATRIX exactly: a new endpoint without an entry fails "covers every route".
 *
 * The world (built once): every actor belongs to 乌达区 (150302), the grid worker to 和平社区
 * inside it, the handler to department HW. Three cases, each with a photo:
 *   in       和平社区, public, department HW, reported by the citizen   → in everybody's scope
 *   private  the same, marked private                                   → in scope for users, never for keys
 *   out      新桥社区 (海南区, 150303), public, department HW             → out of everybody's scope
 * Org units, users and API keys likewise have one in 乌达区 (`in`) and one in 海南区 (`out`).
 *
 * HOW TO ADD AN ENTRY FOR A NEW ENDPOINT
 * 1. Key: `METHOD /path` as Fastify registers it, parameters as `{name}` (the failing test prints
 *    the missing keys). Routes that only repeat another's handler (Open311's `.xml` and bare
 *    variants) are listed in ALIASES instead.
 * 2. `allow`: who may call it: 'public' (anybody, no login), or a list of actors (use the groups
 *    below: STAFF, USERS, READ_KEYS …). Everybody else gets `forbidden` (403) and an anonymous
 *    caller `anonymous` (401), unless the entry says otherwise. Write it from what the endpoint
 *    should allow, not from what the code happens to do.
 * 3. `on`: the resources to try: ['in', 'out'] for something with an org (an id, an org code, a
 *    location), ['in', 'private', 'out'] for a case, ['none'] for routes without one.
 * 4. `call(res, who)`: the request for that resource (see the helpers: caseUrl, orgOf …). Writes
 *    should use a probe that is authorised but changes nothing (a stale version → 409, a bad file
 *    → 415) or that is harmless to repeat.
 * 5. `ok`: the status an allowed caller gets for an in-scope resource (default 200); out-of-scope
 *    answers `outStatus` (default 404). A private case counts as in scope for users and as out of
 *    scope for API keys.
 * 6. `check(res, ctx)`: for reads, assert that in-scope data is in the answer and out-of-scope data
 *    is not (see `expectCases`). Lists must have one.
 * Keep it fast: one request per (actor, resource), no sleeping, the world is built once per file.
 */

const clock = frozenClock('2026-11-26T02:00:00Z');
let env: TestEnv;

const USER_ROLES = ['admin', 'leader', 'dispatcher', 'handler', 'grid_worker', 'inspector', 'mediator', 'citizen'] as const;
const KEY_SCOPES = ['open311', 'cases:read', 'cases:write', 'readings:write', 'org:read'] as const satisfies readonly ApiScope[];
type UserWho = (typeof USER_ROLES)[number];
type KeyWho = `key:${(typeof KEY_SCOPES)[number]}`;
type Who = UserWho | KeyWho | 'anonymous';
const KEYS = KEY_SCOPES.map((s) => `key:${s}` as KeyWho);
const EVERYONE: readonly Who[] = [...USER_ROLES, ...KEYS, 'anonymous'];

// Groups of actors, for `allow`.
const STAFF: readonly Who[] = ['admin', 'leader', 'dispatcher', 'handler', 'grid_worker', 'inspector', 'mediator'];
const USERS: readonly Who[] = [...STAFF, 'citizen'];
const LOGGED_IN: readonly Who[] = [...USERS, ...KEYS];
/** Staff who may see reporters' personal data (and so, in Open311, their own area with private cases). */
const PERSONAL: readonly Who[] = ['admin', 'dispatcher', 'handler', 'mediator'];
const isKey = (who: Who): who is KeyWho => who.startsWith('key:');

type Res = 'in' | 'private' | 'out' | 'none';
interface Req { method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'; url: string; payload?: unknown; headers?: Record<string, string> }
interface Entry {
  allow: 'public' | readonly Who[];
  on: readonly Res[];
  call: (res: Res, who: Who) => Req;
  ok?: number;
  outStatus?: number;
  /** Status for an actor not in `allow`: default 403 (401 when anonymous). */
  denied?: (who: Who) => number;
  /** Instead of in/out: whether `who` may see resource `on` (200) or not (404), for views that are not the actor's scope (Open311's public view). */
  visible?: (who: Who, on: Res) => boolean;
  /** The answer is public data of the whole city: skip the "nothing of another area" check. */
  publicData?: boolean;
  /** A stream that never ends (server-sent events): read its head only. */
  stream?: boolean;
  check?: (res: LightMyRequestResponse, c: { who: Who; on: Res }) => void;
}

// ---- the world ----
interface CaseRef { id: number; number: string; photo: string; attachmentId: number }
const cases = {} as Record<'in' | 'private' | 'out', CaseRef>;
const auth = {} as Record<Exclude<Who, 'anonymous'>, Record<string, string>>;
const ids = { ruleId: 0, spareRuleId: 0, keyIn: 0, keyOut: 0, token: '', categoryId: 0 };
const tracked = { number: '', uploadToken: '', others: [] as string[] };
const patrolIds = { plans: { in: 0, out: 0 }, patrols: { in: 0, out: 0 }, enterprises: { in: 0, out: 0 }, hazards: { in: 0, out: 0 }, photos: { in: 0, out: 0 } };
const sensorIds = { ruleIn: 0, ruleOut: 0, spareRules: [] as number[], spareDevice: 0, spareRule: 0 };
/** A dispute and a petition (a repeat, so a 积案) in each of in, private and out; a party's phone shows whether personal data leaks. */
const social = { disputes: {} as Record<'in' | 'private' | 'out', CaseRef>, petitions: {} as Record<'in' | 'private' | 'out', CaseRef> };
const PARTY_PHONE = '13977778888';
let serial = 0;
const next = () => ++serial;
// Each probe comes from its own address, so that per-address limits (login, portal, Open311) never mix actors.
const nextAddress = () => { const n = next(); return `10.77.${Math.floor(n / 250) % 250}.${(n % 250) + 1}`; };

const ORG = { in: PLACES.heping.community, out: PLACES.xinqiao.community } as const;
const PLACE = { in: PLACES.heping, out: PLACES.xinqiao } as const;
const side = (res: Res): 'in' | 'out' => (res === 'out' ? 'out' : 'in');
const caseOf = (res: Res) => cases[res === 'none' ? 'in' : res];
/** The portal report, or (out) another one, whose reporter's phone does not end in 2222. */
let otherIndex = 0;
const trackedNumber = (res: Res) => (res === 'out' ? tracked.others[otherIndex++ % tracked.others.length] : tracked.number);
const caseUrl = (res: Res, suffix = '') => `/api/v1/cases/${caseOf(res).id}${suffix}`;

beforeAll(async () => {
  env = await createTestEnv({ clock });
  const world = await buildWorld(env);
  const sys = env.sys();
  const staffOrg = '150302';
  const logins: [UserWho, string, string, number | null][] = [
    ['admin', 'admin', staffOrg, null], ['leader', 'leader', staffOrg, null], ['dispatcher', 'dispatcher', staffOrg, null],
    ['handler', 'handler', staffOrg, world.departments.HW], ['grid_worker', 'grid_worker', PLACES.heping.community, null],
    ['inspector', 'inspector', staffOrg, null], ['mediator', 'mediator', staffOrg, null], ['citizen', 'citizen', staffOrg, null],
  ];
  for (const [who, role, org, dept] of logins) {
    await addUser(sys, { username: `m_${who}`, password: PASSWORD, role, orgCode: org, departmentId: dept, phone: '13900001111' });
    auth[who] = { cookie: await loginCookie(env.http, `m_${who}`, PASSWORD) };
  }
  await addUser(sys, { username: 'm_outsider', password: PASSWORD, role: 'dispatcher', orgCode: '150303', phone: '13900002222' });
  for (const scope of KEY_SCOPES) auth[`key:${scope}`] = { authorization: `Bearer ${(await createApiKey(sys, { name: `m ${scope}`, orgCode: staffOrg, scopes: [scope] })).key}` };
  ids.keyIn = (await createApiKey(sys, { name: 'm key in', orgCode: staffOrg })).id;
  ids.keyOut = (await createApiKey(sys, { name: 'm key out', orgCode: '150303' })).id;

  // Rules first, so that the cases are routed to HW (and counted for it).
  const rule = async (name: string, departmentCode: string, categoryCode: string) => {
    const res = await env.http.inject({ method: 'POST', url: '/api/v1/routing-rules', headers: { cookie: world.cookies.admin }, payload: { name, departmentCode, categoryCode } });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id as number;
  };
  ids.ruleId = await rule('m rule', 'HW', '06010');
  ids.spareRuleId = await rule('m spare rule', 'CG', '06011');

  // Three cases, filed by the city's admin, then given their reporter.
  const citizenId = (await env.app.store.db.selectFrom('users').select('id').where('username', '=', 'm_citizen').executeTakeFirstOrThrow()).id;
  for (const [name, place, extra] of [['in', PLACES.heping, {}], ['private', PLACES.heping, { private: true }], ['out', PLACES.xinqiao, {}]] as const) {
    const res = await env.http.inject({ method: 'POST', url: '/api/v1/cases', headers: { cookie: world.cookies.admin }, payload: { categoryCode: '06010', lon: place.lon, lat: place.lat, description: `矩阵 ${name}`, channel: 'patrol', ...extra } });
    expect(res.statusCode, res.body).toBe(201);
    const { body, contentType } = multipart([], { field: 'file', filename: `${name}.png`, type: 'image/png', bytes: PNG });
    const up = await env.http.inject({ method: 'POST', url: `/api/v1/cases/${res.json().id}/attachments?phase=before`, payload: body, headers: { 'content-type': contentType, cookie: world.cookies.admin } });
    expect(up.statusCode, up.body).toBe(201);
    cases[name] = { id: res.json().id, number: res.json().number, photo: up.json().url, attachmentId: up.json().id };
    expect(res.json().departmentId).toBe(world.departments.HW);
    await env.app.store.db.updateTable('cases').set({ reporter_user_id: name === 'out' ? null : citizenId }).where('id', '=', res.json().id).execute();
    // A leader's 督办 notifies the case's area.
    const sup = await env.http.inject({ method: 'POST', url: `/api/v1/cases/${res.json().id}/transitions`, payload: { action: 'supervise', version: 1, note: `督办 ${name}` }, headers: { cookie: world.cookies.leader } });
    expect(sup.statusCode, sup.body).toBe(200);
  }
  ids.categoryId = (await env.http.inject({ url: '/api/v1/categories/06010' })).json().id;
  const batch = await env.http.inject({ method: 'POST', url: '/open311/v2/requests.json', headers: { 'content-type': 'application/x-www-form-urlencoded', ...auth['key:readings:write'] }, payload: form([['service_code', 'LGZ01'], ['lat', PLACES.heping.lat], ['long', PLACES.heping.lon], ['attribute[device_code]', 'WH-JG-1'], ['attribute[reading]', '3']]) });
  expect(batch.statusCode, batch.body).toBe(200);
  ids.token = batch.json()[0].token;
  // A report from the citizen portal, tracked with the last 4 digits of its reporter's phone.
  const portal = await env.http.inject({ method: 'POST', url: '/api/v1/public/reports', payload: { categoryCode: '06010', lon: PLACES.heping.lon, lat: PLACES.heping.lat, description: '矩阵 门户', phone: '13811112222' } });
  expect(portal.statusCode, portal.body).toBe(201);
  tracked.number = portal.json().number;
  // Sensors: a device in 和平社区 and one in 海南区, a rule on each (written in its district), a
  // dead letter of each, and throwaway devices and rules for the DELETE probes.
  const inDistrict = { ...makeCtx(env.app, { ...systemActor(), orgPath: '/150300/150302/' }) };
  const outDistrict = { ...makeCtx(env.app, { ...systemActor(), orgPath: '/150300/150303/' }) };
  await registerDevice(sys, { id: 'M-IN', kind: 'air_station', lon: PLACES.heping.lon, lat: PLACES.heping.lat });
  await registerDevice(sys, { id: 'M-OUT', kind: 'air_station', lon: PLACES.xinqiao.lon, lat: PLACES.xinqiao.lat });
  sensorIds.ruleIn = (await createAlarmRule(inDistrict, { deviceId: 'M-IN', metric: 'pm25', op: '>', threshold: 900 })).id;
  sensorIds.ruleOut = (await createAlarmRule(outDistrict, { deviceId: 'M-OUT', metric: 'pm25', op: '>', threshold: 900 })).id;
  for (let i = 0; i < EVERYONE.length; i++) {
    await registerDevice(sys, { id: `M-DEL-${i}`, kind: 'smoke', lon: PLACES.heping.lon, lat: PLACES.heping.lat });
    sensorIds.spareRules.push((await createAlarmRule(inDistrict, { deviceId: 'M-IN', metric: 'pm10', op: '>', threshold: 900 })).id);
  }
  await ingestHttpBatch(sys, [{ deviceId: 'M-IN', ts: '2026-11-26T01:00:00Z', values: { pm25: 'in-dead' } }, { deviceId: 'M-OUT', ts: '2026-11-26T01:00:00Z', values: { pm25: 'out-dead' } }]);
  tracked.uploadToken = portal.json().uploadToken;
  // Other reports to try the same digits on: a case number takes only 5 wrong guesses per 15 minutes.
  for (let i = 0; i < 15; i++) {
    const other = await env.http.inject({ method: 'POST', url: '/api/v1/public/reports', payload: { categoryCode: '06010', lon: PLACES.xinqiao.lon, lat: PLACES.xinqiao.lat, description: `矩阵 out 门户 ${i}`, phone: '13899990000' }, remoteAddress: `10.78.0.${i + 1}` });
    expect(other.statusCode, other.body).toBe(201);
    tracked.others.push(other.json().number);
  }
  // Patrols: a target, a plan and a patrol in each area (the out ones named 矩阵 out, so a leak shows).
  for (const [side, org] of [['in', ORG.in], ['out', ORG.out]] as const) {
    const t = await env.http.inject({ method: 'POST', url: '/api/v1/patrol-targets', headers: { cookie: world.cookies.admin }, payload: { code: `M-${side}`, kind: 'grid', name: `矩阵 ${side} 巡查`, orgCode: org } });
    expect(t.statusCode, t.body).toBe(201);
    const plan = await env.http.inject({ method: 'POST', url: '/api/v1/patrol-plans', headers: { cookie: world.cookies.admin }, payload: { target: `M-${side}`, assigneeRole: 'grid_worker', frequency: 'week:1', startsOn: '2026-11-01' } });
    expect(plan.statusCode, plan.body).toBe(201);
    patrolIds.plans[side] = plan.json().id;
    const cookie = side === 'in' ? auth.grid_worker.cookie : await loginCookie(env.http, 'm_outsider', PASSWORD);
    const patrol = await env.http.inject({ method: 'POST', url: '/api/v1/patrols', headers: { cookie }, payload: { target: `M-${side}`, startedAt: '2026-11-26T01:00:00Z', endedAt: '2026-11-26T01:30:00Z' } });
    expect(patrol.statusCode, patrol.body).toBe(201);
    patrolIds.patrols[side] = patrol.json().id;
    const photo = multipart([], { field: 'file', filename: `${side}.png`, type: 'image/png', bytes: PNG });
    const added = await env.http.inject({ method: 'POST', url: `/api/v1/patrols/${patrol.json().id}/photos`, payload: photo.body, headers: { 'content-type': photo.contentType, cookie: world.cookies.admin } });
    expect(added.statusCode, added.body).toBe(201);
    patrolIds.photos[side] = added.json().id;
    const enterprise = await env.http.inject({ method: 'POST', url: '/api/v1/enterprises', headers: { cookie: world.cookies.admin }, payload: { creditCode: side === 'in' ? '914403001922038216' : '91440300708461136T', name: `矩阵 ${side} 企业`, industry: '化工', lon: PLACE[side].lon, lat: PLACE[side].lat } });
    expect(enterprise.statusCode, enterprise.body).toBe(201);
    patrolIds.enterprises[side] = enterprise.json().id;
    // A 一般隐患 at the enterprise, given to HW (so the matrix handler's department sees the in one).
    const hazard = await env.http.inject({ method: 'POST', url: '/api/v1/cases', headers: { cookie: world.cookies.admin }, payload: { categoryCode: 'LYH10', lon: PLACE[side].lon, lat: PLACE[side].lat, description: `矩阵 ${side} 隐患`, channel: 'patrol', attributes: { hazardLevel: 'general', enterprise: side === 'in' ? '914403001922038216' : '91440300708461136T' } } });
    expect(hazard.statusCode, hazard.body).toBe(201);
    patrolIds.hazards[side] = hazard.json().id;
    await env.app.store.db.updateTable('cases').set({ department_id: world.departments.HW }).where('id', '=', hazard.json().id).execute();
  }
  // Disputes and petitions, filed by the city's admin; the in and private ones reported by the citizen.
  for (const [name, place, extra] of [['in', PLACES.heping, {}], ['private', PLACES.heping, { private: true }], ['out', PLACES.xinqiao, {}]] as const) {
    const file = async (payload: Record<string, unknown>) => {
      const res = await env.http.inject({ method: 'POST', url: '/api/v1/cases', headers: { cookie: world.cookies.admin }, payload: { lon: place.lon, lat: place.lat, ...extra, ...payload } });
      expect(res.statusCode, res.body).toBe(201);
      await env.app.store.db.updateTable('cases').set({ reporter_user_id: name === 'out' ? null : citizenId }).where('id', '=', res.json().id).execute();
      return { id: res.json().id, number: res.json().number, photo: '', attachmentId: 0 } as CaseRef;
    };
    social.disputes[name] = await file({ categoryCode: 'LMD01', channel: 'visit', description: `矩阵 ${name} 纠纷`, dispute: { parties: [{ role: 'applicant', name: '矩阵甲', phone: PARTY_PHONE }] } });
    const petition = { categoryCode: 'LXF01', channel: 'letter', description: `矩阵 ${name} 信访`, reporter: { name: '信访人', phone: `1396666000${name.length}` } };
    await file(petition);
    social.petitions[name] = await file(petition);
  }
}, 120_000);
afterAll(() => env.close());

// ---- helpers for entries ----
const get = (url: string): Req => ({ method: 'GET', url });
const json = (r: LightMyRequestResponse) => r.json() as Record<string, unknown>;
/** Which cases an actor sees through /api/v1: in-scope ones, private ones only as a user. */
const seesCase = (who: Who, c: 'in' | 'private' | 'out') => c === 'in' || (c === 'private' && !isKey(who));
/** What an Open311 reader sees: the public view (whole city, no private case), or for personal-data staff their own area. */
const sees311 = (who: Who, c: Res) => (PERSONAL.includes(who) ? c !== 'out' : c !== 'private');
/** Asserts which of the three cases' markers (`key` of each) the text contains. */
function expectCases(text: string, who: Who, key: (c: CaseRef) => string, rule: (who: Who, c: 'in' | 'private' | 'out') => boolean = seesCase) {
  for (const c of ['in', 'private', 'out'] as const) {
    const present = text.includes(key(cases[c]));
    expect(present, `${who} ${rule(who, c) ? 'should' : 'must not'} see the ${c} case`).toBe(rule(who, c));
  }
}
const mentionsNumber = (c: CaseRef) => `"${c.number}"`;
const open311Form = (who: Who, pairs: [string, string | number][]): Req => ({
  method: 'POST', url: '', payload: form(pairs), headers: { 'content-type': 'application/x-www-form-urlencoded', ...(who === 'anonymous' ? {} : auth[who]) },
});
const badFile = () => multipart([], { field: 'file', filename: 'x.bin', type: 'application/octet-stream', bytes: Buffer.from('not a picture at all') });
// Open311 answers 403 for a missing or wrong key, whoever calls.
const open311Denied = () => 403;

const SOCIAL_WRITERS: readonly Who[] = ['admin', 'leader', 'dispatcher', 'mediator'];
/** Disputes and petitions are routed to no department: a department's handler sees none of them. */
const seesSocial = (who: Who, on: Res) => who !== 'handler' && on !== 'none' && seesCase(who, on);
const disputeUrl = (res: Res, suffix = '') => `/api/v1/disputes/${social.disputes[res === 'none' ? 'in' : res].id}${suffix}`;
const petitionUrl = (res: Res, suffix = '') => `/api/v1/petitions/${social.petitions[res === 'none' ? 'in' : res].id}${suffix}`;

const MATRIX: Record<string, Entry> = {
  // ---- disputes and petitions (social/) ----
  'GET /api/v1/disputes/{id}': {
    allow: [...USERS, 'key:cases:read'], on: ['in', 'private', 'out'], visible: seesSocial, call: (res) => get(disputeUrl(res)),
    // Parties' personal data only for the roles that read it.
    check: (r, { who }) => expect(r.body.includes(PARTY_PHONE)).toBe(PERSONAL.includes(who)),
  },
  'PATCH /api/v1/disputes/{id}': {
    allow: SOCIAL_WRITERS, on: ['in', 'private', 'out'], call: (res) => ({ method: 'PATCH', url: disputeUrl(res), payload: { mediationOrg: '矩阵调委会' } }),
  },
  'POST /api/v1/disputes/{id}/parties': {
    // An ID number with a wrong check digit: allowed and in scope → 400, nothing written.
    allow: SOCIAL_WRITERS, on: ['in', 'private', 'out'], ok: 400, call: (res) => ({ method: 'POST', url: disputeUrl(res, '/parties'), payload: { role: 'respondent', name: '矩阵乙', idNumber: '110105194912310021' } }),
  },
  'POST /api/v1/disputes/{id}/sessions': {
    // Not yet in mediation: allowed and in scope → 409, nothing written.
    allow: SOCIAL_WRITERS, on: ['in', 'private', 'out'], ok: 409, call: (res) => ({ method: 'POST', url: disputeUrl(res, '/sessions'), payload: { heldAt: '2026-11-26T01:00:00Z', place: '调解室', attendees: '甲乙', summary: '矩阵' } }),
  },
  'POST /api/v1/cases/{id}/to-mediation': {
    // A stale version: allowed and in scope → 409, and no dispute is opened.
    allow: SOCIAL_WRITERS, on: ['in', 'private', 'out'], ok: 409, call: (res) => ({ method: 'POST', url: caseUrl(res, '/to-mediation'), payload: { version: 999, categoryCode: 'LMD01', note: '矩阵' } }),
  },
  'GET /api/v1/petitions/backlog': {
    allow: [...USERS, 'key:cases:read'], on: ['none'], call: () => get('/api/v1/petitions/backlog'),
    check: (r, { who }) => {
      for (const c of ['in', 'private', 'out'] as const) expect(r.body.includes(`"${social.petitions[c].number}"`), `${who} / ${c}`).toBe(seesSocial(who, c));
    },
  },
  'GET /api/v1/petitions/{id}': {
    allow: [...USERS, 'key:cases:read'], on: ['in', 'private', 'out'], visible: seesSocial, call: (res) => get(petitionUrl(res)),
    check: (r, { on }) => expect(json(r)).toMatchObject({ number: social.petitions[on === 'none' ? 'in' : on].number, backlog: { since: expect.any(String) } }),
  },
  'PATCH /api/v1/petitions/{id}': {
    // A 包案领导 who is no leader: allowed and in scope → 400, nothing written.
    allow: SOCIAL_WRITERS, on: ['in', 'private', 'out'], ok: 400, call: (res) => ({ method: 'PATCH', url: petitionUrl(res), payload: { leadUserId: 999999 } }),
  },
  'POST /api/v1/petitions/{id}/followups': {
    allow: SOCIAL_WRITERS, on: ['in', 'private', 'out'], ok: 201, call: (res) => ({ method: 'POST', url: petitionUrl(res, '/followups'), payload: { note: '矩阵 月度跟进' } }),
  },
  'GET /api/v1/social/kpis': {
    allow: STAFF, on: ['in', 'out'], call: (res) => get(`/api/v1/social/kpis?org=${ORG[side(res)]}&from=2026-11-01&to=2026-11-30`),
    // 和平社区 holds the in and private ones (a leader's KPIs count private cases), 新桥社区 the out ones.
    // A department's handler counts its department's only: none of these.
    check: (r, { who, on }) => {
      const n = who === 'handler' ? 0 : on === 'out' ? 1 : 2;
      expect(json(r)).toMatchObject({ mediation: { received: n }, petition: { registered: 2 * n, repeatRate: n ? 0.5 : null } });
    },
  },

  // ---- system, session ----
  'GET /api/v1/health': { allow: 'public', on: ['none'], call: () => get('/api/v1/health') },
  // A wrong password (a new user name each time, so the login throttle never steps in).
  'POST /api/v1/auth/login': { allow: 'public', on: ['none'], ok: 401, call: () => ({ method: 'POST', url: '/api/v1/auth/login', payload: { username: `m_nobody${next()}`, password: 'wrong-pass-1' } }) },
  // With a session of its own, so that the probe does not log the actors out.
  'POST /api/v1/auth/logout': { allow: 'public', on: ['none'], call: () => ({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie: 'gridloop_session=not-a-session' } }) },
  'GET /api/v1/me': {
    allow: LOGGED_IN, on: ['none'], call: () => get('/api/v1/me'),
    check: (r, { who }) => expect(json(r).orgUnit).toMatchObject({ code: who === 'grid_worker' ? PLACES.heping.community : '150302' }),
  },
  // ---- users and keys ----
  'GET /api/v1/users': {
    allow: ['admin', 'leader', 'dispatcher'], on: ['none'], call: () => get('/api/v1/users?limit=500'),
    check: (r) => {
      const names = (json(r).items as { username: string }[]).map((u) => u.username);
      expect(names).toContain('m_grid_worker');
      expect(names).not.toContain('m_outsider');
      expect(r.body).not.toContain('13900001111');
    },
  },
  'POST /api/v1/users': {
    allow: ['admin'], on: ['in', 'out'], ok: 201,
    call: (res) => ({ method: 'POST', url: '/api/v1/users', payload: { username: `m_new${next()}`, password: 'new-pass-123', role: 'grid_worker', orgCode: ORG[side(res)] } }),
  },
  'GET /api/v1/api-keys': {
    allow: ['admin'], on: ['none'], call: () => get('/api/v1/api-keys'),
    check: (r) => {
      const names = (json(r).items as { name: string }[]).map((k) => k.name);
      expect(names).toContain('m key in');
      expect(names).not.toContain('m key out');
    },
  },
  'POST /api/v1/api-keys': {
    allow: ['admin'], on: ['in', 'out'], ok: 201,
    call: (res) => ({ method: 'POST', url: '/api/v1/api-keys', payload: { name: `m ${next()}`, scopes: ['cases:read'], orgCode: ORG[side(res)] } }),
  },
  'DELETE /api/v1/api-keys/{id}': {
    allow: ['admin'], on: ['in', 'out'], call: (res) => ({ method: 'DELETE', url: `/api/v1/api-keys/${res === 'out' ? ids.keyOut : ids.keyIn}` }),
  },
  // ---- org units and grids ----
  'GET /api/v1/org-units': {
    allow: [...STAFF, 'key:org:read'], on: ['none'], call: () => get('/api/v1/org-units?limit=500'),
    check: (r) => {
      const codes = (json(r).items as { code: string }[]).map((u) => u.code);
      expect(codes).toContain(PLACES.heping.community);
      expect(codes).not.toContain(PLACES.xinqiao.community);
    },
  },
  'GET /api/v1/org-units/{code}': {
    allow: [...STAFF, 'key:org:read'], on: ['in', 'out'], call: (res) => get(`/api/v1/org-units/${ORG[side(res)]}`),
    check: (r, { on }) => on === 'in' && expect(json(r).code).toBe(ORG.in),
  },
  'GET /api/v1/locate': { allow: 'public', on: ['none'], call: () => get(`/api/v1/locate?lon=${PLACES.heping.lon}&lat=${PLACES.heping.lat}`), check: (r) => expect(r.body).toContain(PLACES.heping.grid) },
  'GET /api/v1/grids.geojson': {
    allow: [...STAFF, 'key:org:read'], on: ['none'], call: () => get('/api/v1/grids.geojson'),
    check: (r) => {
      const codes = (json(r).features as { properties: { code: string } }[]).map((f) => f.properties.code);
      expect(codes).toContain(PLACES.heping.grid);
      expect(codes).not.toContain(PLACES.xinqiao.grid);
    },
  },
  'POST /api/v1/org-units/import': {
    // A unit without a parent that is not a city: allowed → 422, nothing imported.
    allow: ['admin'], on: ['none'], ok: 422,
    call: () => ({ method: 'POST', url: '/api/v1/org-units/import', payload: { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { code: '150302', name: 'x', level: 'district' }, geometry: null }] } }),
  },
  'POST /api/v1/grids/import': {
    // A geometry that fails validation: allowed → 422, nothing imported.
    allow: ['admin'], on: ['none'], ok: 422,
    call: () => ({ method: 'POST', url: '/api/v1/grids/import', payload: { type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: null }] } }),
  },
  // ---- catalogue, routing ----
  'GET /api/v1/categories': { allow: 'public', on: ['none'], call: () => get('/api/v1/categories?limit=5'), check: (r) => expect((json(r).items as unknown[]).length).toBeGreaterThan(0) },
  'GET /api/v1/categories/{code}': { allow: 'public', on: ['none'], call: () => get('/api/v1/categories/06010'), check: (r) => expect(json(r).code).toBe('06010') },
  'PATCH /api/v1/categories/{id}': { allow: ['admin'], on: ['none'], call: () => ({ method: 'PATCH', url: `/api/v1/categories/${ids.categoryId}`, payload: { priority: 2 } }) },
  'POST /api/v1/categories': { allow: ['admin'], on: ['none'], ok: 201, call: () => ({ method: 'POST', url: '/api/v1/categories', payload: { code: `MX${next()}`, name: '矩阵类别', classCode: '06', kind: 'matter', workflow: 'urban' } }) },
  'GET /api/v1/category-legacy-codes': { allow: [...USERS, ...KEYS], on: ['none'], call: () => get('/api/v1/category-legacy-codes'), check: (r) => expect(r.body).toContain('"legacyCode":"0101"') },
  'POST /api/v1/category-legacy-codes/import': { allow: ['admin'], on: ['none'], call: () => ({ method: 'POST', url: '/api/v1/category-legacy-codes/import', payload: { csv: 'scheme,legacy_code,category_code\nmatrix,M-01,06010\n' } }) },
  'GET /api/v1/categories/{id}/open311': { allow: [...USERS, ...KEYS], on: ['none'], call: () => get(`/api/v1/categories/${ids.categoryId}/open311`) },
  'PUT /api/v1/categories/{id}/open311': { allow: ['admin'], on: ['none'], call: () => ({ method: 'PUT', url: `/api/v1/categories/${ids.categoryId}/open311`, payload: { type: 'realtime' } }) },
  'PUT /api/v1/categories/{id}/questions': { allow: ['admin'], on: ['none'], call: () => ({ method: 'PUT', url: `/api/v1/categories/${ids.categoryId}/questions`, payload: [] }) },
  'GET /api/v1/departments': { allow: [...USERS, ...KEYS], on: ['none'], call: () => get('/api/v1/departments'), check: (r) => expect(r.body).toContain('环卫局') },
  'POST /api/v1/departments': {
    allow: ['admin'], on: ['in', 'out'], ok: 201,
    call: (res) => ({ method: 'POST', url: '/api/v1/departments', payload: { code: `M${next()}`, name: '矩阵局', orgCode: ORG[side(res)] } }),
  },
  'GET /api/v1/routing-rules': { allow: [...USERS, ...KEYS], on: ['none'], call: () => get('/api/v1/routing-rules'), check: (r) => expect(r.body).toContain('m rule') },
  'POST /api/v1/routing-rules': { allow: ['admin'], on: ['none'], ok: 201, call: () => ({ method: 'POST', url: '/api/v1/routing-rules', payload: { name: `m rule ${next()}`, departmentCode: 'CG', categoryCode: '06012' } }) },
  'PUT /api/v1/routing-rules/{id}': { allow: ['admin'], on: ['none'], call: () => ({ method: 'PUT', url: `/api/v1/routing-rules/${ids.ruleId}`, payload: { name: 'm rule', departmentCode: 'HW', categoryCode: '06010' } }) },
  'DELETE /api/v1/routing-rules/{id}': {
    allow: ['admin'], on: ['none'],
    call: () => ({ method: 'DELETE', url: `/api/v1/routing-rules/${ids.spareRuleId}` }),
  },
  'POST /api/v1/routing/explain': {
    allow: [...USERS, ...KEYS], on: ['in', 'out'],
    call: (res) => ({ method: 'POST', url: '/api/v1/routing/explain', payload: { categoryCode: '06010', orgCode: ORG[side(res)], channel: 'patrol' } }),
  },
  // ---- calendar ----
  'GET /api/v1/calendar/days': { allow: LOGGED_IN, on: ['none'], call: () => get('/api/v1/calendar/days?from=2026-12-01&to=2026-12-07'), check: (r) => expect((json(r).items as unknown[]).length).toBe(7) },
  'PUT /api/v1/calendar/days/{date}': { allow: ['admin'], on: ['none'], call: () => ({ method: 'PUT', url: '/api/v1/calendar/days/2027-03-01', payload: { isWorkday: true } }) },
  'POST /api/v1/calendar/notices': {
    allow: ['admin'], on: ['none'],
    call: () => ({ method: 'POST', url: '/api/v1/calendar/notices', payload: { year: 2027, holidays: [{ name: '元旦', from: '2027-01-01', to: '2027-01-01' }], workdays: [] } }),
  },
  // A calendar without events: allowed → 422, nothing imported.
  'POST /api/v1/calendar/ics': { allow: ['admin'], on: ['none'], ok: 422, call: () => ({ method: 'POST', url: '/api/v1/calendar/ics', payload: { ics: 'BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n' } }) },
  'GET /api/v1/calendar/deadline': { allow: 'public', on: ['none'], call: () => get('/api/v1/calendar/deadline?start=2026-11-26T02:00:00Z&amount=2&unit=work_days'), check: (r) => expect(json(r).deadline).toMatch(/^2026-11-/) },
  // ---- cases ----
  'POST /api/v1/cases': {
    // Who reports is also the workflow's decision: the roles it does not let report get 409 anywhere.
    allow: ['admin', 'dispatcher', 'grid_worker', 'citizen', 'key:cases:write'], on: ['in', 'out'], ok: 201, outStatus: 403,
    denied: (who) => (['leader', 'handler', 'inspector', 'mediator'].includes(who) ? 409 : who === 'anonymous' ? 401 : 403),
    call: (res) => ({ method: 'POST', url: '/api/v1/cases', payload: { categoryCode: '06010', lon: PLACE[side(res)].lon, lat: PLACE[side(res)].lat, description: '矩阵上报', channel: 'web' } }),
  },
  'GET /api/v1/cases': {
    allow: [...USERS, 'key:cases:read'], on: ['none'], call: () => get('/api/v1/cases?limit=500&q=%E7%9F%A9%E9%98%B5'),
    check: (r, { who }) => expectCases(r.body, who, mentionsNumber),
  },
  'GET /api/v1/cases.csv': {
    allow: [...USERS, 'key:cases:read'], on: ['none'], call: () => get('/api/v1/cases.csv'),
    check: (r, { who }) => {
      expect(r.headers['content-type']).toMatch(/^text\/csv/);
      expectCases(r.body, who, (c) => c.number);
    },
  },
  'GET /api/v1/cases/{id}': {
    allow: [...USERS, 'key:cases:read'], on: ['in', 'private', 'out'], call: (res) => get(caseUrl(res)),
    check: (r, { on }) => expect(json(r)).toMatchObject({ number: caseOf(on).number, private: on === 'private' }),
  },
  'POST /api/v1/cases/{id}/transitions': {
    // A stale version: allowed and in scope → 409, and nothing changes.
    allow: [...USERS, 'key:cases:write'], on: ['in', 'private', 'out'], ok: 409,
    call: (res) => ({ method: 'POST', url: caseUrl(res, '/transitions'), payload: { action: 'verify', version: 999 } }),
  },
  'GET /api/v1/cases/{id}/timeline': {
    allow: [...USERS, 'key:cases:read'], on: ['in', 'private', 'out'], call: (res) => get(caseUrl(res, '/timeline')),
    check: (r) => expect((r.json() as { action: string }[]).map((e) => e.action)).toContain('supervise'),
  },
  'GET /api/v1/cases/{id}/duplicates': {
    allow: [...USERS, 'key:cases:read'], on: ['in', 'private', 'out'], call: (res) => get(caseUrl(res, '/duplicates')),
    check: (r, { who }) => {
      expect(r.body).not.toContain(cases.out.number);
      if (isKey(who)) expect(r.body).not.toContain(cases.private.number);
    },
  },
  'POST /api/v1/cases/{id}/attachments': {
    // A file that is not an allowed type: allowed and in scope → 415, and nothing is stored.
    allow: [...USERS, 'key:cases:write'], on: ['in', 'private', 'out'], ok: 415,
    call: (res) => {
      const { body, contentType } = badFile();
      return { method: 'POST', url: caseUrl(res, '/attachments'), payload: body, headers: { 'content-type': contentType } };
    },
  },
  'GET /api/v1/cases/{id}/attachments/{attachmentId}': {
    allow: [...USERS, 'key:cases:read'], on: ['in', 'private', 'out'], call: (res) => get(caseOf(res).photo),
    check: (r) => expect(r.rawPayload.subarray(0, 8)).toEqual(PNG.subarray(0, 8)),
  },
  'GET /api/v1/cases/queues': {
    allow: [...USERS, 'key:cases:read'], on: ['none'], call: () => get('/api/v1/cases/queues'),
    check: (r) => expect((json(r).items as { count: number }[]).every((q) => Number.isInteger(q.count) && q.count >= 0)).toBe(true),
  },
  'GET /api/v1/live': {
    // Server-sent events: an allowed caller gets the stream's head, then the test hangs up.
    allow: [...USERS, 'key:cases:read'], on: ['none'], stream: true, call: () => get('/api/v1/live'),
    check: (r) => expect(r.headers['content-type']).toMatch(/^text\/event-stream/),
  },
  'GET /api/v1/me/cases': {
    allow: [...USERS, 'key:cases:read'], on: ['none'], call: () => get('/api/v1/me/cases?limit=500'),
    check: (r, { who }) => expectCases(r.body, who, mentionsNumber, (w, c) => w === 'citizen' && c !== 'out'),
  },
  'GET /api/v1/me/tasks': {
    allow: [...USERS, 'key:cases:read'], on: ['none'], call: () => get('/api/v1/me/tasks?limit=500'),
    check: (r) => expect(r.body).not.toContain(cases.out.number),
  },
  'GET /api/v1/notifications': {
    allow: STAFF, on: ['none'], call: () => get('/api/v1/notifications?limit=500'),
    check: (r) => {
      const caseIds = (json(r).items as { caseId: number }[]).map((n) => n.caseId);
      expect(caseIds).toContain(cases.in.id);
      expect(caseIds).not.toContain(cases.out.id);
    },
  },
  'GET /api/v1/kpis': {
    allow: STAFF, on: ['in', 'out'], call: (res) => get(`/api/v1/kpis?org=${ORG[side(res)]}&from=2026-11-01&to=2026-11-30`),
    check: (r) => expect(json(r).reported).toBeGreaterThanOrEqual(2),
  },
  // ---- sensors (城市运行监测): devices, readings, alarm rules ----
  'GET /api/v1/device-kinds': { allow: STAFF, on: ['none'], call: () => get('/api/v1/device-kinds'), check: (r) => expect(r.body).toContain('"air_station"') },
  // An existing kind → 409: authorised, nothing written.
  'POST /api/v1/device-kinds': { allow: ['admin'], on: ['none'], ok: 409, call: () => ({ method: 'POST', url: '/api/v1/device-kinds', payload: { code: 'smoke', name: '烟感', metrics: ['smoke'], alarmCategory: 'LGZ03' } }) },
  'GET /api/v1/devices': {
    allow: STAFF, on: ['none'], call: () => get('/api/v1/devices?limit=100'),
    check: (r) => {
      expect(r.body).toContain('"M-IN"');
      expect(r.body).not.toContain('"M-OUT"');
    },
  },
  // An id already registered (→ 409) in the area; in 海南区 the place is refused first (403).
  'POST /api/v1/devices': {
    allow: ['admin'], on: ['in', 'out'], ok: 409, outStatus: 403,
    call: (res) => ({ method: 'POST', url: '/api/v1/devices', payload: { id: res === 'out' ? 'M-OUT' : 'M-IN', kind: 'air_station', lon: PLACE[side(res)].lon, lat: PLACE[side(res)].lat } }),
  },
  'GET /api/v1/devices/{id}': { allow: STAFF, on: ['in', 'out'], call: (res) => get(`/api/v1/devices/${res === 'out' ? 'M-OUT' : 'M-IN'}`) },
  'PATCH /api/v1/devices/{id}': { allow: ['admin'], on: ['in', 'out'], call: (res) => ({ method: 'PATCH', url: `/api/v1/devices/${res === 'out' ? 'M-OUT' : 'M-IN'}`, payload: { status: 'active' } }) },
  'DELETE /api/v1/devices/{id}': { allow: ['admin'], on: ['in', 'out'], ok: 204, call: (res) => ({ method: 'DELETE', url: `/api/v1/devices/${res === 'out' ? 'M-OUT' : `M-DEL-${sensorIds.spareDevice++}`}` }) },
  // The same reading each time: stored once, then a duplicate (200 either way); a device of 海南区 is unknown to the key.
  'POST /api/v1/readings': {
    allow: ['key:readings:write'], on: ['in', 'out'], outStatus: 200,
    call: (res) => ({ method: 'POST', url: '/api/v1/readings', payload: [{ deviceId: res === 'out' ? 'M-OUT' : 'M-IN', ts: '2026-11-26T01:30:00Z', values: { pm25: 10 } }] }),
    check: (r, { on }) => expect(json(r).refused).toEqual(on === 'out' ? [{ index: 0, reason: 'device: unknown' }] : []),
  },
  'GET /api/v1/readings/series': {
    allow: STAFF, on: ['in', 'out'], call: (res) => get(`/api/v1/readings/series?metric=pm25&period=day&from=2026-11-01&to=2026-12-01&deviceId=${res === 'out' ? 'M-OUT' : 'M-IN'}`),
  },
  'GET /api/v1/readings/dead-letters': {
    allow: ['admin'], on: ['none'], call: () => get('/api/v1/readings/dead-letters?limit=500'),
    check: (r) => {
      expect(r.body).toContain('in-dead');
      expect(r.body).not.toContain('out-dead');
    },
  },
  'GET /api/v1/alarm-rules': {
    allow: STAFF, on: ['none'], call: () => get('/api/v1/alarm-rules'),
    check: (r) => {
      const ruleIds = (json(r).items as { id: number }[]).map((x) => x.id);
      expect(ruleIds).toContain(sensorIds.ruleIn);
      expect(ruleIds).not.toContain(sensorIds.ruleOut);
    },
  },
  'POST /api/v1/alarm-rules': {
    allow: ['admin'], on: ['in', 'out'], ok: 201,
    call: (res) => ({ method: 'POST', url: '/api/v1/alarm-rules', payload: { deviceId: res === 'out' ? 'M-OUT' : 'M-IN', metric: 'so2', op: '>', threshold: 2000 } }),
  },
  'GET /api/v1/alarm-rules/{id}': { allow: STAFF, on: ['in', 'out'], call: (res) => get(`/api/v1/alarm-rules/${res === 'out' ? sensorIds.ruleOut : sensorIds.ruleIn}`) },
  'PATCH /api/v1/alarm-rules/{id}': { allow: ['admin'], on: ['in', 'out'], call: (res) => ({ method: 'PATCH', url: `/api/v1/alarm-rules/${res === 'out' ? sensorIds.ruleOut : sensorIds.ruleIn}`, payload: { enabled: true } }) },
  'DELETE /api/v1/alarm-rules/{id}': { allow: ['admin'], on: ['in', 'out'], ok: 204, call: (res) => ({ method: 'DELETE', url: `/api/v1/alarm-rules/${res === 'out' ? sensorIds.ruleOut : sensorIds.spareRules[sensorIds.spareRule++]}` }) },
  'GET /api/v1/air/aqi': { allow: 'public', on: ['none'], call: () => get('/api/v1/air/aqi?period=day&pm25=80&pm10=200'), check: (r) => expect(json(r)).toMatchObject({ aqi: 125, primaryPollutant: 'pm10' }) },
  'GET /api/v1/water/class': { allow: 'public', on: ['none'], call: () => get('/api/v1/water/class?waterBody=lake&tp=0.04&tn=1.2'), check: (r) => expect(json(r)).toMatchObject({ waterClass: 'IV', deciding: ['tn'] }) },
  // ---- 城市体征: the indicators are the city's (every staff member reads them; an admin edits them) ----
  'GET /api/v1/indicators': { allow: STAFF, on: ['none'], call: () => get('/api/v1/indicators'), check: (r) => expect(json(r).items).toContainEqual(expect.objectContaining({ code: 'green_coverage_built_up', target: 43 })) },
  'POST /api/v1/indicators': { allow: ['admin'], on: ['none'], ok: 409, call: () => ({ method: 'POST', url: '/api/v1/indicators', payload: { code: 'green_coverage_built_up', name: '建成区绿化覆盖率', unit: '%', direction: 'higher', target: 43, targetYear: 2025 } }) },
  'PATCH /api/v1/indicators/{code}': { allow: ['admin'], on: ['none'], call: () => ({ method: 'PATCH', url: '/api/v1/indicators/park_green_per_capita', payload: { target: 19.5 } }) },
  'GET /api/v1/indicators/{code}/values': { allow: STAFF, on: ['none'], call: () => get('/api/v1/indicators/green_coverage_built_up/values'), check: (r) => expect(json(r)).toMatchObject({ code: 'green_coverage_built_up' }) },
  'POST /api/v1/indicators/{code}/values': { allow: ['admin'], on: ['none'], ok: 201, call: () => ({ method: 'POST', url: '/api/v1/indicators/green_coverage_built_up/values', payload: { asOf: '2026-01-01', value: 40, evidence: '矩阵' } }) },
  // ---- 重污染天气 warnings (city-wide; probes that change nothing: a place outside the city, an empty forecast, no such warning) ----
  'GET /api/v1/pollution-warnings': { allow: STAFF, on: ['none'], call: () => get('/api/v1/pollution-warnings'), check: (r) => expect(json(r)).toEqual({ items: [] }) },
  'POST /api/v1/pollution-warnings': { allow: ['admin'], on: ['none'], ok: 422, call: () => ({ method: 'POST', url: '/api/v1/pollution-warnings', payload: { level: 'yellow', reason: '矩阵', lon: 0, lat: 0 } }) },
  'POST /api/v1/pollution-warnings/assess': { allow: ['admin'], on: ['none'], call: () => ({ method: 'POST', url: '/api/v1/pollution-warnings/assess', payload: { forecast: [] } }), check: (r) => expect(json(r)).toMatchObject({ level: null, action: 'none' }) },
  'GET /api/v1/pollution-warnings/{id}': { allow: STAFF, on: ['none'], ok: 404, call: () => get('/api/v1/pollution-warnings/999999') },
  'POST /api/v1/pollution-warnings/{id}/lift': { allow: ['admin'], on: ['none'], ok: 404, call: () => ({ method: 'POST', url: '/api/v1/pollution-warnings/999999/lift', payload: {} }) },
  'GET /api/v1/pollution-response-plan': { allow: STAFF, on: ['none'], call: () => get('/api/v1/pollution-response-plan'), check: (r) => expect((json(r) as { items: unknown[] }).items.length).toBeGreaterThan(0) },
  'PUT /api/v1/pollution-response-plan': { allow: ['admin'], on: ['none'], ok: 404, call: () => ({ method: 'PUT', url: '/api/v1/pollution-response-plan', payload: [{ level: 'yellow', departmentCode: 'NOPE', task: '矩阵', deadlineHours: 1 }] }) },
  // ---- the big screen (KPIs of an area) ----
  'GET /api/v1/screen/cards': { allow: STAFF, on: ['in', 'out'], call: (res) => get(`/api/v1/screen/cards?org=${ORG[side(res)]}`) },
  'GET /api/v1/screen/areas': { allow: STAFF, on: ['in', 'out'], call: (res) => get(`/api/v1/screen/areas?org=${ORG[side(res)]}`) },
  'GET /api/v1/screen/rankings': { allow: STAFF, on: ['in', 'out'], call: (res) => get(`/api/v1/screen/rankings?org=${ORG[side(res)]}`) },
  'GET /api/v1/screen/trends': { allow: STAFF, on: ['in', 'out'], call: (res) => get(`/api/v1/screen/trends?org=${ORG[side(res)]}`) },
  'GET /api/v1/screen/pins': { allow: STAFF, on: ['in', 'out'], call: (res) => get(`/api/v1/screen/pins?org=${ORG[side(res)]}`),
    check: (r) => expect((json(r).pins as { number: string }[]).map((p) => p.number)).toContain(cases.in.number) },
  'GET /api/v1/screen/vitals': { allow: STAFF, on: ['in', 'out'], call: (res) => get(`/api/v1/screen/vitals?org=${ORG[side(res)]}`) },
  'GET /api/v1/screen/outlines': { allow: STAFF, on: ['in', 'out'], call: (res) => get(`/api/v1/screen/outlines?org=${ORG[side(res)]}`) },
  // ---- patrols (register, plans, records, compliance) ----
  'GET /api/v1/patrol-targets': {
    allow: STAFF, on: ['in', 'out'], call: (res) => get(`/api/v1/patrol-targets?org=${ORG[side(res)]}`),
    check: (r) => expect((json(r).items as { code: string }[]).map((t) => t.code)).toEqual(['M-in']),
  },
  // An existing code in the area: 409, nothing added; another area's unit: 404.
  'POST /api/v1/patrol-targets': {
    allow: ['admin', 'leader', 'dispatcher'], on: ['in', 'out'], ok: 409,
    call: (res) => ({ method: 'POST', url: '/api/v1/patrol-targets', payload: { code: 'M-in', kind: 'grid', name: '矩阵 重复', orgCode: ORG[side(res)] } }),
  },
  'GET /api/v1/patrol-plans': {
    allow: STAFF, on: ['in', 'out'], call: (res) => get(`/api/v1/patrol-plans?org=${ORG[side(res)]}`),
    check: (r) => expect((json(r).items as { id: number }[]).map((p) => p.id)).toEqual([patrolIds.plans.in]),
  },
  // A frequency that is no rule: 400 once the target is found in the area, nothing planned.
  'POST /api/v1/patrol-plans': {
    allow: ['admin', 'leader', 'dispatcher'], on: ['in', 'out'], ok: 400,
    call: (res) => ({ method: 'POST', url: '/api/v1/patrol-plans', payload: { target: `M-${side(res)}`, assigneeRole: 'grid_worker', frequency: 'sometimes' } }),
  },
  // A frequency that is no rule: 400 once the plan is found in the area, nothing changed.
  'PATCH /api/v1/patrol-plans/{id}': {
    allow: ['admin', 'leader', 'dispatcher'], on: ['in', 'out'], ok: 400,
    call: (res) => ({ method: 'PATCH', url: `/api/v1/patrol-plans/${patrolIds.plans[side(res)]}`, payload: { frequency: 'sometimes' } }),
  },
  // An end before the start: 400 once the target is found in the area, nothing recorded.
  'POST /api/v1/patrols': {
    allow: STAFF, on: ['in', 'out'], ok: 400,
    call: (res) => ({ method: 'POST', url: '/api/v1/patrols', payload: { target: `M-${side(res)}`, startedAt: '2026-11-26T01:00:00Z', endedAt: '2026-11-26T00:00:00Z' } }),
  },
  'GET /api/v1/patrols': {
    allow: STAFF, on: ['in', 'out'], call: (res) => get(`/api/v1/patrols?org=${ORG[side(res)]}&from=2026-11-01&to=2026-11-30`),
    check: (r) => expect((json(r).items as { id: number }[]).map((p) => p.id)).toEqual([patrolIds.patrols.in]),
  },
  'GET /api/v1/patrols/{id}': {
    allow: STAFF, on: ['in', 'out'], call: (res) => get(`/api/v1/patrols/${patrolIds.patrols[side(res)]}`),
    check: (r) => expect(json(r).target).toMatchObject({ code: 'M-in' }),
  },
  // A file that is no photo: 415 once the patrol is found in the area, nothing added.
  'POST /api/v1/patrols/{id}/photos': {
    allow: STAFF, on: ['in', 'out'], ok: 415,
    call: (res) => {
      const { body, contentType } = badFile();
      return { method: 'POST', url: `/api/v1/patrols/${patrolIds.patrols[side(res)]}/photos`, payload: body, headers: { 'content-type': contentType } };
    },
  },
  'GET /api/v1/patrols/{id}/photos/{photoId}': {
    allow: STAFF, on: ['in', 'out'], call: (res) => get(`/api/v1/patrols/${patrolIds.patrols[side(res)]}/photos/${patrolIds.photos[side(res)]}`),
    check: (r) => expect(r.rawPayload.equals(PNG)).toBe(true),
  },
  'GET /api/v1/patrols/compliance': {
    allow: STAFF, on: ['in', 'out'], call: (res) => get(`/api/v1/patrols/compliance?org=${ORG[side(res)]}&from=2026-11-01&to=2026-11-30`),
    check: (r) => expect((json(r).rows as { target: string }[]).map((p) => p.target)).toEqual(['M-in']),
  },
  'GET /api/v1/patrols/compliance.csv': {
    allow: STAFF, on: ['in', 'out'], call: (res) => get(`/api/v1/patrols/compliance.csv?org=${ORG[side(res)]}&from=2026-11-01&to=2026-11-30`),
    check: (r) => expect(r.body).toContain(',M-in,'),
  },
  // The matrix world has no water bodies: an empty list in the area, 404 for another area's unit.
  'GET /api/v1/rivers': { allow: STAFF, on: ['in', 'out'], call: (res) => get(`/api/v1/rivers?org=${ORG[side(res)]}`), check: (r) => expect(json(r).items).toEqual([]) },
  // ---- 双重预防: enterprises, risk points, the four-colour map ----
  'GET /api/v1/enterprises': {
    allow: STAFF, on: ['in', 'out'], call: (res) => get(`/api/v1/enterprises?org=${ORG[side(res)]}`),
    check: (r) => expect((json(r).items as { name: string }[]).map((e) => e.name)).toEqual(['矩阵 in 企业']),
  },
  // A credit code with a wrong check character: 400 in the area, nothing registered; another area's location: 403.
  'POST /api/v1/enterprises': {
    allow: ['admin', 'leader', 'dispatcher'], on: ['in', 'out'], ok: 400, outStatus: 403,
    call: (res) => ({ method: 'POST', url: '/api/v1/enterprises', payload: { creditCode: '914403001922038217', name: '矩阵 坏代码', industry: '化工', lon: PLACE[side(res)].lon, lat: PLACE[side(res)].lat } }),
  },
  'GET /api/v1/enterprises/{id}': {
    allow: STAFF, on: ['in', 'out'], call: (res) => get(`/api/v1/enterprises/${patrolIds.enterprises[side(res)]}`),
    check: (r) => expect(json(r).name).toBe('矩阵 in 企业'),
  },
  // A matrix factor out of range: 400 once the enterprise is found in the area, nothing added.
  'POST /api/v1/enterprises/{id}/risk-points': {
    allow: ['admin', 'leader', 'dispatcher'], on: ['in', 'out'], ok: 400,
    call: (res) => ({ method: 'POST', url: `/api/v1/enterprises/${patrolIds.enterprises[side(res)]}/risk-points`, payload: { name: '矩阵 点', assessment: { method: 'matrix', l: 9, s: 1 }, controlLevel: 'post', measures: '—' } }),
  },
  'GET /api/v1/risk-map': {
    allow: STAFF, on: ['in', 'out'], call: (res) => get(`/api/v1/risk-map?org=${ORG[side(res)]}`),
    check: (r) => expect((json(r).features as { properties: { name: string } }[]).map((f) => f.properties.name)).toEqual(['矩阵 in 企业']),
  },
  // ---- 隐患排查治理: one hazard with its plan, and the hazard KPIs ----
  'GET /api/v1/hazards/{id}': {
    allow: STAFF, on: ['in', 'out'], call: (res) => get(`/api/v1/hazards/${patrolIds.hazards[side(res)]}`),
    check: (r) => expect(json(r)).toMatchObject({ description: '矩阵 in 隐患', enterprise: { name: '矩阵 in 企业' } }),
  },
  'GET /api/v1/hazards/kpis': {
    allow: STAFF, on: ['in', 'out'], call: (res) => get(`/api/v1/hazards/kpis?org=${ORG[side(res)]}&from=2026-11-01&to=2026-11-30&groupBy=enterprise`),
    check: (r) => expect((json(r).groups as { name: string | null; found: number }[]).map((g) => [g.name, g.found])).toEqual([['矩阵 in 企业', 1]]),
  },
  'GET /api/v1/hazards/kpis.csv': {
    allow: STAFF, on: ['in', 'out'], call: (res) => get(`/api/v1/hazards/kpis.csv?org=${ORG[side(res)]}&from=2026-11-01&to=2026-11-30&groupBy=enterprise`),
    check: (r) => {
      expect(r.body).toContain('矩阵 in 企业,1,');
      expect(r.body).not.toContain('矩阵 out');
    },
  },
  'GET /api/v1/meta': { allow: 'public', on: ['none'], call: () => get('/api/v1/meta') },
  // ---- the citizen portal: anybody reports; a report is reached with its phone digits or upload token ----
  'POST /api/v1/public/reports': {
    allow: 'public', on: ['none'], ok: 201,
    call: () => ({ method: 'POST', url: '/api/v1/public/reports', payload: { categoryCode: '06010', lon: PLACES.heping.lon, lat: PLACES.heping.lat, description: '矩阵 门户上报' } }),
  },
  'POST /api/v1/public/reports/{number}/photos': {
    // The right token with a file that is no photo → 415 (nothing stored); the token on another case → 403.
    allow: 'public', on: ['in', 'out'], ok: 415, outStatus: 403,
    call: (res) => {
      const { body, contentType } = badFile();
      return { method: 'POST', url: `/api/v1/public/reports/${res === 'in' ? tracked.number : cases.out.number}/photos`, payload: body, headers: { 'content-type': contentType, 'x-upload-token': tracked.uploadToken } };
    },
  },
  // The city's and its districts' outlines: public geography for the portal's map.
  'GET /api/v1/public/outlines': { allow: 'public', on: ['none'], publicData: true, call: () => get('/api/v1/public/outlines'), check: (r) => expect(r.body).toContain('FeatureCollection') },
  // 河长公示牌: public boards; the matrix world has no water bodies (an empty list, 404 for a reach).
  'GET /api/v1/public/river-boards': { allow: 'public', on: ['none'], publicData: true, call: () => get('/api/v1/public/river-boards'), check: (r) => expect(json(r).items).toEqual([]) },
  'GET /api/v1/public/river-boards/{code}': { allow: 'public', on: ['none'], ok: 404, publicData: true, call: () => get('/api/v1/public/river-boards/HH-WH-01') },
  'GET /api/v1/track/{number}': {
    allow: 'public', on: ['in', 'out'], call: (res) => get(`/api/v1/track/${trackedNumber(res)}?phone4=2222`),
    check: (r) => expect(r.body).toContain(tracked.number),
  },
  'POST /api/v1/track/{number}': {
    allow: 'public', on: ['in', 'out'], call: (res) => ({ method: 'POST', url: `/api/v1/track/${trackedNumber(res)}`, payload: { phone4: '2222' } }),
    check: (r) => expect(r.body).toContain(tracked.number),
  },
  'POST /api/v1/track/{number}/evaluation': {
    // The report is not closed yet: reached → 409, and nothing changes.
    allow: 'public', on: ['in', 'out'], ok: 409,
    call: (res) => ({ method: 'POST', url: `/api/v1/track/${trackedNumber(res)}/evaluation`, payload: { phone4: '2222', solved: true, satisfaction: 'satisfied' } }),
  },
  'POST /api/v1/track/{number}/reopen': {
    allow: 'public', on: ['in', 'out'], ok: 409,
    call: (res) => ({ method: 'POST', url: `/api/v1/track/${trackedNumber(res)}/reopen`, payload: { phone4: '2222', note: '矩阵 再处理' } }),
  },
  // ---- Open311 GeoReport v2 ----
  // Reads are public: anybody sees the whole city's public cases (so `out` too) and no private
  // one; staff who may see personal data see their own area instead, private cases included
  // (sees311). Writes need a key with a scope for them; Open311 answers 403 to everybody else.
  'GET /open311/v2/discovery.json': { allow: 'public', on: ['none'], call: () => get('/open311/v2/discovery.json'), check: (r) => expect(r.body).toContain('GeoReport_v2') },
  'GET /open311/v2/services.json': { allow: 'public', on: ['none'], call: () => get('/open311/v2/services.json'), check: (r) => expect(r.body).toContain('"06010"') },
  'GET /open311/v2/services/{file}': { allow: 'public', on: ['none'], call: () => get('/open311/v2/services/06010.json'), check: (r) => expect(r.body).toContain('"06010"') },
  'GET /open311/v2/requests.json': {
    allow: 'public', publicData: true, on: ['none'], call: () => get('/open311/v2/requests.json?start_date=2026-11-01T00:00:00Z'),
    check: (r, { who }) => expectCases(r.body, who, (c) => `"service_request_id":"${c.id}"`, sees311),
  },
  'GET /open311/v2/requests/{file}': {
    allow: 'public', publicData: true, visible: sees311, on: ['in', 'private', 'out'], call: (res) => get(`/open311/v2/requests/${caseOf(res).id}.json`),
    check: (r, { on }) => expect(r.body).toContain(`"service_request_id":"${caseOf(on).id}"`),
  },
  'GET /open311/v2/tokens/{file}': { allow: 'public', on: ['none'], call: () => get(`/open311/v2/tokens/${ids.token}.json`), check: (r) => expect(r.body).toContain(ids.token) },
  'GET /open311/v2/servicerequestupdates.json': {
    allow: 'public', publicData: true, on: ['none'], call: () => get('/open311/v2/servicerequestupdates.json?start_date=2026-11-25T00:00:00Z&end_date=2026-11-27T00:00:00Z'),
    check: (r, { who }) => expectCases(r.body, who, (c) => `"service_request_id":"${c.id}"`, sees311),
  },
  'GET /open311/v2/media/{caseId}/{attachmentId}': {
    allow: 'public', publicData: true, visible: sees311, on: ['in', 'private', 'out'], call: (res) => get(`/open311/v2/media/${caseOf(res).id}/${caseOf(res).attachmentId}.png`),
    check: (r) => expect(r.rawPayload.subarray(0, 8)).toEqual(PNG.subarray(0, 8)),
  },
  'POST /open311/v2/requests.json': {
    allow: ['key:open311'], on: ['in', 'out'], outStatus: 403, denied: open311Denied,
    call: (res, who) => ({ ...open311Form(who, [['service_code', '06010'], ['lat', PLACE[side(res)].lat], ['long', PLACE[side(res)].lon], ['description', '矩阵 Open311'], ['attribute[volume]', 'pile']]), url: '/open311/v2/requests.json' }),
  },
  'POST /open311/v2/servicerequestupdates.json': {
    allow: ['key:open311'], on: ['in', 'private', 'out'], denied: open311Denied,
    call: (res, who) => ({ ...open311Form(who, [['service_request_id', caseOf(res).id], ['update_id', `m-${next()}`], ['status', 'OPEN'], ['updated_datetime', '2026-11-26T10:00:00+08:00'], ['description', '矩阵评论']]), url: '/open311/v2/servicerequestupdates.json' }),
  },
};

/**
 * Routes that repeat another route's handler (same rule, same code path) and so need no entry
 * of their own: Open311's `.xml` and format-by-Accept variants, and the API documentation.
 */
const ALIASES: Record<string, string> = {
  'GET /open311/v2/discovery.xml': 'GET /open311/v2/discovery.json',
  'GET /open311/v2/discovery': 'GET /open311/v2/discovery.json',
  'GET /open311/v2/services.xml': 'GET /open311/v2/services.json',
  'GET /open311/v2/services': 'GET /open311/v2/services.json',
  'GET /open311/v2/requests.xml': 'GET /open311/v2/requests.json',
  'GET /open311/v2/requests': 'GET /open311/v2/requests.json',
  'POST /open311/v2/requests.xml': 'POST /open311/v2/requests.json',
  'POST /open311/v2/requests': 'POST /open311/v2/requests.json',
  'GET /open311/v2/servicerequestupdates.xml': 'GET /open311/v2/servicerequestupdates.json',
  'GET /open311/v2/servicerequestupdates': 'GET /open311/v2/servicerequestupdates.json',
  'POST /open311/v2/servicerequestupdates.xml': 'POST /open311/v2/servicerequestupdates.json',
  'POST /open311/v2/servicerequestupdates': 'POST /open311/v2/servicerequestupdates.json',
};
/** Served without data of anybody's: the OpenAPI document and its UI, the web app's static files. */
const DOCUMENTATION = /^GET \/(api\/(openapi\.json|docs)|\*?$)/;
/** Open311's catch-all that answers unknown paths with its own 404 error list (test/open311.test.ts). */
const OPEN311_NOT_FOUND = /^[A-Z]+ \/open311\/v2\/\*$/;
/** Files of the built web app (web/dist), served by @fastify/static when a build exists: public by nature. */
const WEB_FILES = /^GET \/(assets\/[^/]+|[^/]+\.[a-z0-9]+)$/;

/** A route key with its parameter names dropped: Fastify's tree merges `:code` and `:id` at one node. */
const normal = (route: string) => route.replace(/\{[^}]+\}/g, '{}');

/**
 * Every route Fastify serves, as `METHOD /path` with `{}` for parameters (HEAD mirrors GET and is
 * left out), read from its route tree: each line is a path segment below the line it is indented under.
 */
function routeTable(): string[] {
  const routes = new Set<string>();
  const stack: string[] = [];
  for (const line of env.http.printRoutes({ commonPrefix: false }).split('\n')) {
    const m = /^([│ ]*)[├└]── (\S+)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!m) continue;
    stack.length = m[1].length / 4;
    stack.push(m[2]);
    const path = stack.join('').replace(/:[^/.]+/g, '{}');
    for (const method of (m[3] ?? '').split(', ').filter(Boolean)) if (method !== 'HEAD') routes.add(`${method} ${path}`);
  }
  return [...routes].sort();
}

/** The status `who` must get on `entry` for resource `on`. */
function expected(entry: Entry, who: Who, on: Res): number {
  const allowed = entry.allow === 'public' || entry.allow.includes(who);
  if (!allowed) return entry.denied?.(who) ?? (who === 'anonymous' ? 401 : 403);
  if (entry.visible) return entry.visible(who, on) ? entry.ok ?? 200 : 404;
  const outside = on === 'out' || (on === 'private' && isKey(who));
  return outside ? entry.outStatus ?? 404 : entry.ok ?? 200;
}

describe('authorization matrix', () => {
  it('covers every route: each has an entry (or is an alias of one), and every entry is a route', () => {
    const served = routeTable().filter((r) => !DOCUMENTATION.test(r) && !OPEN311_NOT_FOUND.test(r) && !WEB_FILES.test(r));
    expect(served.length).toBeGreaterThan(40);
    const known = new Set([...Object.keys(MATRIX), ...Object.keys(ALIASES)].map(normal));
    const missing = served.filter((r) => !known.has(r));
    expect(missing, 'routes without an entry in MATRIX (see "HOW TO ADD AN ENTRY" at the top)').toEqual([]);
    expect(Object.keys(MATRIX).filter((r) => !served.includes(normal(r))), 'entries for routes that do not exist').toEqual([]);
    expect(Object.values(ALIASES).filter((r) => !(r in MATRIX))).toEqual([]);
  });

  for (const [route, entry] of Object.entries(MATRIX)) {
    it(route, async () => {
      const problems: string[] = [];
      for (const who of EVERYONE) {
        for (const on of entry.on) {
          const req = entry.call(on, who);
          const headers = { ...(who === 'anonymous' ? {} : auth[who]), ...req.headers };
          const res = await env.http.inject({ method: req.method, url: req.url, payload: req.payload as string, headers, payloadAsStream: entry.stream, remoteAddress: nextAddress() });
          if (entry.stream) res.stream().destroy();
          const want = expected(entry, who, on);
          if (res.statusCode !== want) {
            problems.push(`${who} on ${on}: ${res.statusCode} (expected ${want}) ${res.body.slice(0, 160)}`);
            continue;
          }
          // Nothing of another area may appear in any answer, allowed or not.
          if (on !== 'out' && !entry.publicData && !entry.stream) expect(res.body, `${who} on ${on}`).not.toContain('矩阵 out');
          if (want < 300 && entry.check) entry.check(res, { who, on });
        }
      }
      expect(problems).toEqual([]);
    });
  }

  it('left the cases as they were: no probe changed a version or added a file', async () => {
    const rows = await env.app.store.db.selectFrom('cases').select(['id', 'version']).where('id', 'in', [cases.in.id, cases.private.id, cases.out.id]).execute();
    expect(rows.map((r) => r.version)).toEqual([2, 2, 2]);
    const files = await env.app.store.db.selectFrom('case_attachments').select('id').where('case_id', 'in', [cases.in.id, cases.private.id, cases.out.id]).execute();
    expect(files).toHaveLength(3);
  });
});
