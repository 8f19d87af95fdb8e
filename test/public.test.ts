import Fastify from 'fastify';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authPlugin } from '../src/auth/auth.plugin.js';
import { installErrorHandler } from '../src/http/errors.js';
import { validatorCompiler } from '../src/http/validation.js';
import { publicRoutes } from '../src/public/public.routes.js';
import { createTestEnv, frozenClock, type TestEnv } from './helpers.js';
import { buildWorld, PLACES, type World } from './world.js';
import { caseApi } from './support/case-api.js';

// The citizen portal's API: anonymous and signed-in reports through the common intake, photos with
// the report's token, tracking by number + phone digits (throttled), rating and reopening.
const clock = frozenClock('2026-11-26T02:00:00Z');
let env: TestEnv;
let world: World;
let api: ReturnType<typeof caseApi>;
let ipSeq = 10;
/** A fresh caller address, so one test's guesses do not throttle another's. */
const nextIp = () => `10.0.0.${ipSeq++}`;

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

function multipart(bytes: Buffer, filename: string, type: string) {
  const boundary = '----gridloop' + Math.random().toString(16).slice(2);
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`;
  return { payload: Buffer.concat([Buffer.from(head), bytes, Buffer.from(`\r\n--${boundary}--\r\n`)]), contentType: `multipart/form-data; boundary=${boundary}` };
}

async function report(extra: Record<string, unknown> = {}, cookie?: string, place = PLACES.heping) {
  return env.http.inject({
    method: 'POST', url: '/api/v1/public/reports', remoteAddress: nextIp(), headers: cookie ? { cookie } : {},
    payload: { categoryCode: '06010', lon: place.lon, lat: place.lat, description: '小区门口垃圾堆了三天，联系我13912345678', name: '张三', phone: '139 1234 5678', ...extra },
  });
}

async function photo(number: string, token: string | undefined, bytes = PNG, filename = 'a.png', type = 'image/png') {
  const body = multipart(bytes, filename, type);
  return env.http.inject({ method: 'POST', url: `/api/v1/public/reports/${number}/photos`, payload: body.payload, remoteAddress: nextIp(), headers: { 'content-type': body.contentType, ...(token ? { 'x-upload-token': token } : {}) } });
}

const track = (number: string, phone4?: string, ip = nextIp(), cookie?: string) =>
  env.http.inject({ url: `/api/v1/track/${number}${phone4 ? `?phone4=${phone4}` : ''}`, remoteAddress: ip, headers: cookie ? { cookie } : {} });

async function caseCount(): Promise<number> {
  const row = await env.app.store.db.selectFrom('cases').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

async function caseByNumber(number: string) {
  return env.app.store.db.selectFrom('cases').selectAll().where('number', '=', number).executeTakeFirstOrThrow();
}

/** Takes a case through the urban loop to 结案, as staff. */
async function closeLoop(id: number): Promise<void> {
  await api.act('dispatcher', id, 'verify');
  await api.act('dispatcher', id, 'register');
  await api.act('dispatcher', id, 'dispatch', { departmentId: world.departments.HW });
  await api.act('handler', id, 'accept');
  await api.act('handler', id, 'complete', { note: '已清运，联系人电话 13800001111', notePublic: true });
  await api.act('inspector', id, 'check_pass');
  await api.act('dispatcher', id, 'close');
}

beforeAll(async () => {
  env = await createTestEnv({ clock });
  world = await buildWorld(env);
  api = caseApi(env, world);
});
afterAll(async () => env?.close());

describe('POST /public/reports', () => {
  it('takes an anonymous report through the common intake (channel web) and answers its number and a photo token', async () => {
    const res = await report({ channel: 'h5' });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({ status: 'received', statusText: '已受理', mine: false, photoLimit: 6 });
    expect(body.number).toMatch(/^\w+20261126\d{6}$/);
    expect(body.uploadToken.length).toBeGreaterThan(30);
    const row = await caseByNumber(body.number);
    // The phone is stored masked for display and encrypted (docs/SECURITY.md › Personal data).
    expect(row).toMatchObject({ channel: 'h5', status: 'reported', reporter_user_id: null, reporter_phone: '139****5678', reporter_phone_enc: expect.stringMatching(/^enc1:/), grid_code: PLACES.heping.grid });
    expect(row.created_by).toMatch(/^public:0:/);
    const events = await api.timeline(row.id);
    expect(events.map((e) => e.action)).toEqual(['report']);
    // The token is stored only as a hash.
    const tokens = await env.app.store.db.selectFrom('public_upload_tokens').selectAll().where('case_id', '=', row.id).execute();
    expect(tokens).toHaveLength(1);
    expect(tokens[0].token_hash).not.toContain(body.uploadToken);
  });

  it('refuses what Open311 refuses and writes nothing', async () => {
    const before = await caseCount();
    for (const [extra, field] of [
      [{ description: '<script>alert(1)</script>' }, 'description'],
      [{ phone: 'call me' }, 'phone'],
      [{ name: '<b>x</b>' }, 'first_name'],
      [{ description: '   ' }, 'description'],
    ] as const) {
      const res = await report(extra);
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json()).toMatchObject({ error: 'validation_failed', details: { field } });
    }
    expect((await report({ channel: 'hotline' })).statusCode).toBe(400);
    expect((await report({ categoryCode: '99999' })).json().error).toBe('category_not_found');
    expect((await report({ lon: 100, lat: 30 })).json().error).toBe('outside_jurisdiction');
    expect(await caseCount()).toBe(before);
  });

  it('makes a signed-in citizen\'s report theirs: listed in GET /me/cases, trackable without phone digits', async () => {
    const res = await report({ phone: null, name: null }, world.cookies.citizen);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().mine).toBe(true);
    const number = res.json().number;
    const mine = await api.get('citizen', '/api/v1/me/cases');
    expect(mine.statusCode, mine.body).toBe(200);
    expect(mine.json().items.map((c: { number: string }) => c.number)).toContain(number);
    expect(mine.json().items[0]).toMatchObject({ publicStatus: 'received', publicStatusText: '已受理' });
    // Nobody else finds it: it has no phone to prove it with.
    expect((await track(number, '5678')).statusCode).toBe(404);
    const own = await track(number, undefined, nextIp(), world.cookies.citizen);
    expect(own.statusCode, own.body).toBe(200);
    expect(own.json().number).toBe(number);
  });

  it('GET /me/cases lists only what the caller reported', async () => {
    await api.report('workerA');
    const a = (await api.get('workerA', '/api/v1/me/cases')).json();
    expect(a.total).toBeGreaterThanOrEqual(1);
    expect(a.items.every((c: { channel: string }) => c.channel === 'patrol')).toBe(true);
    const d = (await api.get('dispatcher', '/api/v1/me/cases')).json();
    expect(d.total).toBe(0);
    expect((await env.http.inject({ url: '/api/v1/me/cases' })).statusCode).toBe(401);
  });
});

describe('photos with the upload token', () => {
  it('attaches photos for the token holder only, photos only, up to the limit', async () => {
    const { number, uploadToken } = (await report()).json();
    const other = (await report()).json();
    const ok = await photo(number, uploadToken);
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json()).toMatchObject({ mime: 'image/png', remaining: 5 });
    expect((await photo(number, undefined)).statusCode).toBe(403);
    expect((await photo(number, other.uploadToken)).statusCode).toBe(403);
    expect((await photo(number, 'x'.repeat(43))).statusCode).toBe(403);
    const text = await photo(number, uploadToken, Buffer.from('just text, not a photo'), 'a.txt', 'text/plain');
    expect(text.statusCode, text.body).toBe(415);
    const row = await caseByNumber(number);
    const files = await env.app.store.db.selectFrom('case_attachments').selectAll().where('case_id', '=', row.id).execute();
    expect(files.map((f) => f.phase)).toEqual(['before']);
    for (let i = 0; i < 5; i++) expect((await photo(number, uploadToken)).statusCode).toBe(201);
    const spent = await photo(number, uploadToken);
    expect(spent.statusCode).toBe(403);
    expect(spent.json().message).toMatch(/6 photos/);
  });

  it('refuses a token after it has expired', async () => {
    const { number, uploadToken } = (await report()).json();
    clock.advance(61 * 60_000);
    try {
      expect((await photo(number, uploadToken)).statusCode).toBe(403);
    } finally {
      clock.advance(-61 * 60_000);
    }
  });
});

describe('GET /track/{number}', () => {
  it('shows a public-safe view to whoever has the phone\'s last 4 digits', async () => {
    const { number } = (await report()).json();
    const res = await track(number, '5678');
    expect(res.statusCode, res.body).toBe(200);
    const view = res.json();
    expect(view).toMatchObject({ number, status: 'received', statusText: '已受理', open: true, category: { code: '06010' }, canEvaluate: false, canReopen: false });
    expect(view.category.name).not.toBe('06010');
    expect(view.expectedBy).toMatch(/^2026-/);
    expect(view.timeline.map((s: { step: string }) => s.step)).toEqual(['report']);
    expect(view.description).toContain('139****5678');
    expect(res.body).not.toContain('13912345678');
    expect(res.body).not.toContain('张三');
    expect(res.body).not.toContain('1234 5678');
    // POST with the digits in the body answers the same.
    const posted = await env.http.inject({ method: 'POST', url: `/api/v1/track/${number}`, payload: { phone4: '5678' }, remoteAddress: nextIp() });
    expect(posted.json()).toEqual(view);
  });

  it('answers wrong digits and unknown numbers alike, and throttles guesses per number and per address', async () => {
    const { number } = (await report()).json();
    const wrong = await track(number, '0000');
    const unknown = await track('GL20991231999999', '5678');
    expect(wrong.statusCode).toBe(404);
    expect(unknown.statusCode).toBe(404);
    expect(wrong.json()).toEqual(unknown.json());
    expect((await track(number, '12')).statusCode).toBe(400);
    // Five wrong guesses at one number (from different addresses) lock the number, even for the right digits.
    for (let i = 0; i < 4; i++) expect((await track(number, String(1000 + i))).statusCode).toBe(404);
    const locked = await track(number, '5678');
    expect(locked.statusCode).toBe(429);
    expect(locked.json().error).toBe('too_many_requests');
    // Twenty wrong guesses from one address lock that address for every number.
    const fresh = (await report()).json().number;
    const ip = nextIp();
    for (let i = 0; i < 20; i++) expect((await track(`GL20991231${String(i).padStart(6, '0')}`, '5678', ip)).statusCode).toBe(404);
    expect((await track(fresh, '5678', ip)).statusCode).toBe(429);
    expect((await track(fresh, '5678')).statusCode).toBe(200);
  });
});

describe('after closure: rate once, or ask to reopen', () => {
  it('records the rating through the workflow (counts in 满意率), once only, and shows the public timeline in order', async () => {
    const { number, uploadToken } = (await report()).json();
    expect((await photo(number, uploadToken)).statusCode).toBe(201);
    const id = (await caseByNumber(number)).id;
    const early = await env.http.inject({ method: 'POST', url: `/api/v1/track/${number}/evaluation`, remoteAddress: nextIp(), payload: { phone4: '5678', solved: true, satisfaction: 'satisfied' } });
    expect(early.statusCode, early.body).toBe(409);
    expect(early.json().error).toBe('transition_not_allowed');
    const kpiBefore = await api.kpis('org=150300&from=2026-11-26&to=2026-11-26');
    await closeLoop(id);
    const closed = (await track(number, '5678')).json();
    expect(closed).toMatchObject({ status: 'closed', statusText: '已办结', open: false, expectedBy: null, canEvaluate: true, canReopen: true, evaluation: null, department: '环卫局' });
    expect(closed.timeline.map((s: { step: string }) => s.step)).toEqual(['report', 'verify', 'register', 'dispatch', 'accept', 'complete', 'check_pass', 'close']);
    expect(closed.timeline[3].department).toBe('环卫局');
    expect(closed.timeline[5].note).toBe('已清运，联系人电话 138****1111');
    expect(closed.timeline[0].note).toBeNull();

    const rated = await env.http.inject({ method: 'POST', url: `/api/v1/track/${number}/evaluation`, remoteAddress: nextIp(), payload: { phone4: '5678', solved: true, satisfaction: 'satisfied' } });
    expect(rated.statusCode, rated.body).toBe(200);
    expect(rated.json()).toMatchObject({ evaluation: { solved: true, satisfaction: 'satisfied' }, canEvaluate: false, status: 'closed' });
    expect(rated.json().timeline.at(-1).step).toBe('evaluate');
    const row = await caseByNumber(number);
    expect(row).toMatchObject({ callback_contacted: 1, callback_solved: 1, callback_satisfaction: 'satisfied', status: 'closed' });
    const kpiAfter = await api.kpis('org=150300&from=2026-11-26&to=2026-11-26');
    expect(kpiAfter.callbacks - kpiBefore.callbacks).toBe(1);
    expect(kpiAfter.satisfied - kpiBefore.satisfied).toBe(1);
    expect(kpiAfter.solved - kpiBefore.solved).toBe(1);

    const again = await env.http.inject({ method: 'POST', url: `/api/v1/track/${number}/evaluation`, remoteAddress: nextIp(), payload: { phone4: '5678', solved: false, satisfaction: 'dissatisfied' } });
    expect(again.statusCode).toBe(409);
    expect(again.json().error).toBe('already_evaluated');
    // Nor can anyone go around it with the transitions endpoint.
    await api.act('admin', id, 'evaluate', { callback: { contacted: true, solved: false, satisfaction: 'dissatisfied' } }, 409);
    const events = await api.timeline(id);
    expect(events.filter((e) => e.action === 'evaluate')).toHaveLength(1);
    expect(events.find((e) => e.action === 'evaluate')).toMatchObject({ data: { callback: { contacted: true, solved: true, satisfaction: 'satisfied' } } });
    expect((await api.kpis('org=150300&from=2026-11-26&to=2026-11-26')).callbacks).toBe(kpiAfter.callbacks);
  });

  it('reopens a closed report at the citizen\'s request, with their reason', async () => {
    const { number } = (await report()).json();
    const id = (await caseByNumber(number)).id;
    await closeLoop(id);
    const bad = await env.http.inject({ method: 'POST', url: `/api/v1/track/${number}/reopen`, remoteAddress: nextIp(), payload: { phone4: '5678', note: '<img src=x>' } });
    expect(bad.statusCode).toBe(400);
    const res = await env.http.inject({ method: 'POST', url: `/api/v1/track/${number}/reopen`, remoteAddress: nextIp(), payload: { phone4: '5678', note: '垃圾又堆起来了' } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'in_progress', open: true, canReopen: false, canEvaluate: false });
    expect(res.json().timeline.at(-1)).toMatchObject({ step: 'reopen', note: '垃圾又堆起来了' });
    expect((await caseByNumber(number)).status).toBe('reopened');
  });
});

describe('GET /me/tasks', () => {
  it('lists a grid worker\'s 核实 and 核查 in their own community only', async () => {
    const mineA = await api.report('workerA');
    const inB = await api.report('workerB', {}, PLACES.gongyuan);
    const handled = await api.report('dispatcher');
    await api.act('dispatcher', handled.id, 'verify');
    await api.act('dispatcher', handled.id, 'register');
    await api.act('dispatcher', handled.id, 'dispatch', { departmentId: world.departments.HW });
    await api.act('handler', handled.id, 'accept');
    await api.act('handler', handled.id, 'complete');
    const res = await api.get('workerA', '/api/v1/me/tasks?limit=500');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.states).toEqual(['handled', 'reported']);
    const ids = body.items.map((c: { id: number }) => c.id);
    expect(ids).toContain(mineA.id);
    expect(ids).toContain(handled.id);
    expect(ids).not.toContain(inB.id);
    expect(body.items.every((c: { status: string; communityCode: string }) => ['handled', 'reported'].includes(c.status) && c.communityCode === PLACES.heping.community)).toBe(true);
    const onlyChecks = (await api.get('workerA', '/api/v1/me/tasks?status=handled')).json();
    expect(onlyChecks.items.map((c: { id: number }) => c.id)).toEqual([handled.id]);
    const citizen = (await api.get('citizen', '/api/v1/me/tasks')).json();
    expect(citizen).toMatchObject({ items: [], total: 0 });
  });
});

describe('GET /public/outlines', () => {
  it('draws the city and its districts for the portal map without an account', async () => {
    const res = await env.http.inject({ url: '/api/v1/public/outlines', remoteAddress: nextIp() });
    expect(res.statusCode, res.body).toBe(200);
    const fc = res.json();
    expect(fc.org.code).toBe('150300');
    expect(fc.childLevel).toBe('district');
    const codes = fc.features.map((f: { properties: { code: string } }) => f.properties.code);
    expect(codes).toContain('150300');
    expect(codes).toContain('150302');
    expect(fc.features.every((f: { geometry: { type: string } }) => ['Polygon', 'MultiPolygon'].includes(f.geometry.type))).toBe(true);
  });
});

describe('request budget', () => {
  it('limits anonymous callers per address like Open311 (OPEN311_RATE_PER_IP)', async () => {
    const fastify = Fastify().withTypeProvider();
    fastify.setValidatorCompiler(validatorCompiler);
    installErrorHandler(fastify);
    await fastify.register(cookie);
    await fastify.register(rateLimit, { global: false });
    await fastify.register(authPlugin, { app: env.app });
    await fastify.register(publicRoutes, { app: env.app, limits: { perMinute: 3 }, prefix: '/api/v1' });
    try {
      const hit = (ip: string) => fastify.inject({ url: '/api/v1/track/GL20991231000001?phone4=1234', remoteAddress: ip });
      for (let i = 0; i < 3; i++) expect((await hit('10.9.9.9')).statusCode).toBe(404);
      const limited = await hit('10.9.9.9');
      expect(limited.statusCode).toBe(429);
      expect(limited.json().error).toBe('too_many_requests');
      expect((await hit('10.9.9.8')).statusCode).toBe(404);
    } finally {
      await fastify.close();
    }
  });
});
