import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, frozenClock, type TestEnv } from './helpers.js';
import { buildWorld, PLACES, type World } from './world.js';

// Thursday 2026-11-26 10:00 in Wuhai (UTC+8), a working day.
const clock = frozenClock('2026-11-26T02:00:00Z');
let env: TestEnv;
let world: World;

beforeAll(async () => {
  env = await createTestEnv({ clock });
  world = await buildWorld(env);
});
afterAll(() => env.close());

type Who = keyof World['cookies'];
const post = (who: Who, url: string, payload: unknown, headers: Record<string, string> = {}) =>
  env.http.inject({ method: 'POST', url, payload: payload as object, headers: { cookie: world.cookies[who], ...headers } });
const get = (who: Who, url: string) => env.http.inject({ url, headers: { cookie: world.cookies[who] } });

async function report(who: Who = 'workerA', extra: Record<string, unknown> = {}, place = PLACES.heping) {
  const res = await post(who, '/api/v1/cases', { categoryCode: '06010', lon: place.lon, lat: place.lat, description: '路边暴露垃圾一堆', channel: 'patrol', reporter: { name: '张三丰', phone: '13912345678' }, ...extra });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

async function act(who: Who, id: number, action: string, extra: Record<string, unknown> = {}) {
  const current = (await get(who, `/api/v1/cases/${id}`)).json();
  const res = await post(who, `/api/v1/cases/${id}/transitions`, { action, version: current.version, ...extra });
  expect(res.statusCode, `${action} by ${who}: ${res.body}`).toBe(200);
  return res.json();
}

describe('intake', () => {
  it('locates, numbers, routes and starts the SLA clock', async () => {
    const c = await report();
    expect(c).toMatchObject({ status: 'reported', version: 1, grid: { code: PLACES.heping.grid }, communityCode: PLACES.heping.community, streetCode: '150302001', districtCode: '150302', light: 'green' });
    expect(c.number).toMatch(/^WH20261126\d{6}$/);
    expect(typeof c.id).toBe('number');
    // 暴露垃圾 has a 4 工作时 limit: from Thursday 10:00 that is 15:30 the same day (lunch 12:00–13:30 excluded).
    expect(c.deadline).toBe('2026-11-26T07:30:00.000Z');
    const maths = (await env.http.inject(`/api/v1/calendar/deadline?start=2026-11-26T02:00:00Z&amount=4&unit=work_hours`)).json();
    expect(maths.deadline).toBe(c.deadline);
    const second = await report();
    expect(Number(second.number.slice(-6))).toBe(Number(c.number.slice(-6)) + 1);
  });

  it('returns the original case for a repeated Idempotency-Key, never a second one', async () => {
    const payload = { categoryCode: '06012', lon: PLACES.heping.lon, lat: PLACES.heping.lat, description: '道路不洁', channel: 'patrol' };
    const first = await post('workerA', '/api/v1/cases', payload, { 'idempotency-key': 'abc-123' });
    const again = await post('workerA', '/api/v1/cases', payload, { 'idempotency-key': 'abc-123' });
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(first.json().id);
    expect(again.json().replayed).toBe(true);
    const list = (await get('admin', '/api/v1/cases?category=06012&limit=100')).json();
    expect(list.items.filter((c: { description: string }) => c.description === '道路不洁')).toHaveLength(1);
  });

  it('refuses bad input with stable codes and writes nothing', async () => {
    const before = (await get('admin', '/api/v1/cases?limit=1')).json().total;
    const bad: [unknown, number, string][] = [
      [{ categoryCode: '06010', lon: 200, lat: 39.67, description: 'x', channel: 'patrol' }, 400, 'validation_failed'],
      [{ categoryCode: '06010', lon: '106.8', lat: 39.67, description: 'x', channel: 'patrol' }, 400, 'validation_failed'],
      [{ categoryCode: '99999', lon: 106.8005, lat: 39.6705, description: 'x', channel: 'patrol' }, 404, 'category_not_found'],
      [{ categoryCode: '06010', lon: 100, lat: 30, description: 'x', channel: 'patrol' }, 422, 'outside_jurisdiction'],
      [{ categoryCode: '06010', lon: 106.8005, lat: 39.6705, description: 'x', channel: 'pigeon' }, 400, 'validation_failed'],
      [{ categoryCode: '06010', lon: 106.8005, lat: 39.6705, description: 'x', channel: 'patrol', secret: 1 }, 400, 'unknown_field'],
    ];
    for (const [payload, status, code] of bad) {
      const res = await post('workerA', '/api/v1/cases', payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(status);
      expect(res.json()).toMatchObject({ error: code, message: expect.any(String) });
    }
    const outside = await post('workerA', '/api/v1/cases', { categoryCode: '06010', lon: PLACES.gongyuan.lon, lat: PLACES.gongyuan.lat, description: 'x', channel: 'patrol' });
    expect(outside.statusCode).toBe(403);
    expect((await get('admin', '/api/v1/cases?limit=1')).json().total).toBe(before);
  });
});

describe('the urban closed loop', () => {
  it('walks reported → verified → registered → dispatched → handling → handled → checked → closed with a full timeline', async () => {
    const c = await report();
    expect((await get('workerA', `/api/v1/cases/${c.id}`)).json().allowedActions).toEqual(['verify']);
    await act('dispatcher', c.id, 'verify');
    await act('dispatcher', c.id, 'register');
    await act('dispatcher', c.id, 'dispatch', { departmentId: world.departments.HW });
    clock.advance(30 * 60_000);
    await act('handler', c.id, 'accept');
    await act('handler', c.id, 'complete', { note: '已清理' });
    await act('inspector', c.id, 'check_fail', { note: '仍有残留' });
    await act('handler', c.id, 'complete', { note: '已彻底清理' });
    await act('inspector', c.id, 'check_pass');
    const closed = await act('dispatcher', c.id, 'close');
    expect(closed).toMatchObject({ status: 'closed', reworkCount: 1, light: 'none', departmentId: world.departments.HW });
    const timeline = (await get('admin', `/api/v1/cases/${c.id}/timeline`)).json();
    expect(timeline.map((e: { action: string }) => e.action)).toEqual(['report', 'verify', 'register', 'dispatch', 'accept', 'complete', 'check_fail', 'complete', 'check_pass', 'close']);
    expect(timeline.map((e: { seq: number }) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(timeline[6]).toMatchObject({ from: 'handled', to: 'handling', note: '仍有残留', actor: 'inspector' });
  });

  it('gives 409 transition_not_allowed with the allowed list, and checks roles', async () => {
    const c = await report();
    const wrong = await post('dispatcher', `/api/v1/cases/${c.id}/transitions`, { action: 'close', version: 1 });
    expect(wrong.statusCode).toBe(409);
    expect(wrong.json()).toMatchObject({ error: 'transition_not_allowed', details: { allowed: expect.arrayContaining(['verify', 'reject']) } });
    const role = await post('handler', `/api/v1/cases/${c.id}/transitions`, { action: 'verify', version: 1 });
    expect([404, 409]).toContain(role.statusCode); // handlers only see their department's cases
    const missing = await post('dispatcher', `/api/v1/cases/${c.id}/transitions`, { action: 'reject', version: 1 });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().details.field).toBe('note');
    expect((await get('admin', `/api/v1/cases/${c.id}`)).json().version).toBe(1);
  });

  it('refuses a stale version with 409 version_conflict and changes nothing', async () => {
    const c = await report();
    await act('dispatcher', c.id, 'verify');
    const stale = await post('dispatcher', `/api/v1/cases/${c.id}/transitions`, { action: 'register', version: 1 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ error: 'version_conflict', details: { currentVersion: 2 } });
    const now = (await get('admin', `/api/v1/cases/${c.id}`)).json();
    expect(now).toMatchObject({ status: 'verified', version: 2 });
  });

  // Two simultaneous transitions: see test/loop-race.test.ts (a forced race on separate connections).

  it('suspension stops the clock and moves the deadline by the suspended working time', async () => {
    clock.set('2026-11-26T02:00:00Z');
    const c = await report();
    await act('dispatcher', c.id, 'verify');
    await act('dispatcher', c.id, 'register');
    await act('dispatcher', c.id, 'dispatch', { departmentId: world.departments.HW });
    const before = (await get('admin', `/api/v1/cases/${c.id}`)).json();
    await act('dispatcher', c.id, 'suspend', { note: '等待产权单位' });
    clock.advance(60 * 60_000); // one working hour suspended (10:00 → 11:00)
    const resumed = await act('dispatcher', c.id, 'resume');
    expect(resumed.status).toBe('dispatched');
    expect(Date.parse(resumed.deadline) - Date.parse(before.deadline)).toBe(60 * 60_000);
    expect(Date.parse(resumed.stageDeadline) - Date.parse(before.stageDeadline)).toBe(60 * 60_000);
    clock.set('2026-11-26T02:00:00Z');
  });

  it('approves an extension: new deadline, counted', async () => {
    const c = await report();
    await act('dispatcher', c.id, 'verify');
    await act('dispatcher', c.id, 'register');
    const d = await act('dispatcher', c.id, 'dispatch', { departmentId: world.departments.HW });
    await act('handler', c.id, 'request_extension', { extensionAmount: 2, note: '需要机械' });
    const pending = (await get('dispatcher', `/api/v1/cases/${c.id}`)).json();
    expect(pending.pendingExtension).toMatchObject({ extensionAmount: 2 });
    const approved = await act('leader', c.id, 'approve_extension', { extensionAmount: 2 });
    expect(approved.extensionCount).toBe(1);
    expect(approved.pendingExtension).toBeNull();
    expect(Date.parse(approved.stageDeadline)).toBeGreaterThan(Date.parse(d.stageDeadline));
  });
});

describe('scope and personal data', () => {
  it("a community's worker cannot read, list, count, export or change another community's cases", async () => {
    const mine = await report('workerA');
    const theirs = await report('workerB', {}, PLACES.gongyuan);
    expect((await get('workerB', `/api/v1/cases/${mine.id}`)).statusCode).toBe(404);
    expect((await get('workerB', `/api/v1/cases/${mine.id}/timeline`)).statusCode).toBe(404);
    const listB = (await get('workerB', '/api/v1/cases?limit=500')).json();
    expect(listB.items.every((c: { communityCode: string }) => c.communityCode === PLACES.gongyuan.community)).toBe(true);
    expect(listB.items.map((c: { id: number }) => c.id)).toContain(theirs.id);
    const countA = (await get('workerA', '/api/v1/cases?limit=1')).json().total;
    const countAll = (await get('admin', '/api/v1/cases?limit=1')).json().total;
    expect(countA).toBeLessThan(countAll);
    const csv = (await get('workerB', '/api/v1/cases.csv')).body;
    expect(csv).not.toContain(mine.number);
    expect(csv).toContain(theirs.number);
    const change = await post('workerB', `/api/v1/cases/${mine.id}/transitions`, { action: 'verify', version: 1 });
    expect(change.statusCode).toBe(404);
    expect((await get('admin', `/api/v1/cases/${mine.id}`)).json().version).toBe(1);
    const orgOutside = await get('workerB', `/api/v1/cases?org=${PLACES.heping.community}`);
    expect(orgOutside.statusCode).toBe(404);
  });

  it('masks the reporter in lists and for roles that do not need them', async () => {
    const c = await report();
    const list = (await get('dispatcher', '/api/v1/cases?limit=500')).json();
    const inList = list.items.find((x: { id: number }) => x.id === c.id);
    expect(inList.reporter).toEqual({ name: '张**', phone: '139****5678', idNumber: null });
    expect((await get('dispatcher', `/api/v1/cases/${c.id}`)).json().reporter).toEqual({ name: '张三丰', phone: '13912345678', idNumber: null });
    expect((await get('inspector', `/api/v1/cases/${c.id}`)).json().reporter.phone).toBe('139****5678');
    const csv = (await get('admin', '/api/v1/cases.csv')).body;
    expect(csv).not.toContain('13912345678');
  });
});

describe('list and export', () => {
  it('filters by status, light, text and date; CSV has exactly the rows of the list', async () => {
    const query = 'status=reported&q=暴露&from=2026-11-26&to=2026-11-26';
    const list = (await get('admin', `/api/v1/cases?${encodeURI(query)}&limit=500`)).json();
    expect(list.total).toBeGreaterThan(0);
    expect(list.items.every((c: { status: string }) => c.status === 'reported')).toBe(true);
    const csv = (await get('admin', `/api/v1/cases.csv?${encodeURI(query)}`)).body.trim().split('\r\n');
    expect(csv.length - 1).toBe(list.total);
    const numbers = new Set(list.items.map((c: { number: string }) => c.number));
    for (const line of csv.slice(1)) expect(numbers.has(line.split(',')[0])).toBe(true);
    const none = (await get('admin', '/api/v1/cases?from=2025-01-01&to=2025-01-31')).json();
    expect(none.total).toBe(0);
  });
});

describe('duplicates and merge', () => {
  it('offers nearby same-category cases and closes merged duplicates with their original', async () => {
    const original = await report('workerA', { description: '原始上报' });
    const dup = await report('workerA', { description: '重复上报', lon: PLACES.heping.lon + 0.0001 });
    expect(dup.duplicates.map((d: { id: number }) => d.id)).toContain(original.id);
    const far = await report('workerA', { lon: PLACES.heping2.lon });
    expect(far.duplicates.map((d: { id: number }) => d.id)).not.toContain(original.id);
    await act('dispatcher', dup.id, 'merge', { targetCaseId: original.id });
    expect((await get('admin', `/api/v1/cases/${dup.id}`)).json()).toMatchObject({ status: 'merged', parentCaseId: original.id });
    for (const [who, action, extra] of [['dispatcher', 'verify', {}], ['dispatcher', 'register', {}], ['dispatcher', 'dispatch', { departmentId: world.departments.HW }], ['handler', 'accept', {}], ['handler', 'complete', {}], ['inspector', 'check_pass', {}], ['dispatcher', 'close', {}]] as [Who, string, Record<string, unknown>][]) {
      await act(who, original.id, action, extra);
    }
    const child = (await get('admin', `/api/v1/cases/${dup.id}`)).json();
    expect(child.status).toBe('closed');
    const events = (await get('admin', `/api/v1/cases/${dup.id}/timeline`)).json();
    expect(events.at(-1)).toMatchObject({ action: 'parent_closed', to: 'closed' });
    expect(events.at(-1).note).toContain('告知上报人');
  });
});

describe('attachments', () => {
  const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a5b1d5a40000000049454e44ae426082', 'hex');
  const multipart = (name: string, bytes: Buffer, type: string) => {
    const boundary = '----gridloop';
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: ${type}\r\n\r\n`),
      bytes,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    return { body, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
  };

  it('stores photos by content, refuses disguised files and serves them only within scope', async () => {
    const c = await report();
    const up = multipart('before.png', png, 'image/png');
    const res = await env.http.inject({ method: 'POST', url: `/api/v1/cases/${c.id}/attachments?phase=before`, payload: up.body, headers: { ...up.headers, cookie: world.cookies.workerA } });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ mime: 'image/png', phase: 'before', size: png.length });
    const fake = multipart('photo.jpg', Buffer.from('#!/bin/sh\necho not a photo\n'), 'image/jpeg');
    const refused = await env.http.inject({ method: 'POST', url: `/api/v1/cases/${c.id}/attachments`, payload: fake.body, headers: { ...fake.headers, cookie: world.cookies.workerA } });
    expect(refused.statusCode).toBe(415);
    expect(refused.json().error).toBe('unsupported_media_type');
    const url = res.json().url;
    const mine = await env.http.inject({ url, headers: { cookie: world.cookies.workerA } });
    expect(mine.statusCode).toBe(200);
    expect(mine.headers['content-type']).toBe('image/png');
    expect(Buffer.compare(mine.rawPayload, png)).toBe(0);
    expect((await env.http.inject({ url, headers: { cookie: world.cookies.workerB } })).statusCode).toBe(404);
    expect((await env.http.inject({ url })).statusCode).toBe(401);
    const detail = (await get('workerA', `/api/v1/cases/${c.id}`)).json();
    expect(detail.attachments).toHaveLength(1);
  });
});

describe('按期结案 (closed on time)', () => {
  it('needs every stage within its limit: one late stage makes the case overdue and not on time', async () => {
    // Thursday 10:00 local. 乱堆杂物 (06036): 核实 2 工作时. Verified at 12:00 + 1 h lunch-free time = 14:30
    // (10:00–12:00 is 2 h, 13:30–14:30 one more: 3 working hours), so 核实 ran 1 h late.
    clock.set('2026-11-26T02:00:00Z');
    const place = PLACES.xinqiao;
    const res = await post('dispatcher', '/api/v1/cases', { categoryCode: '06036', lon: place.lon, lat: place.lat, description: '乱堆杂物', channel: 'staff' });
    const c = res.json();
    clock.set('2026-11-26T06:30:00Z');
    await act('dispatcher', c.id, 'verify');
    for (const [who, action, extra] of [['dispatcher', 'register', {}], ['dispatcher', 'dispatch', { departmentId: world.departments.CG }], ['handler2', 'accept', {}], ['handler2', 'complete', {}], ['inspector', 'check_pass', {}], ['dispatcher', 'close', {}]] as [Who, string, Record<string, unknown>][]) {
      await act(who, c.id, action, extra);
    }
    const kpi = (await get('admin', `/api/v1/kpis?org=${place.community}&from=2026-11-26&to=2026-11-26`)).json();
    expect(kpi).toMatchObject({ closed: 1, closedOnTime: 0, overdue: 1, handled: 1, handledOnTime: 1 });
    clock.set('2026-11-26T02:00:00Z');
  });
});
