import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runRetention, sealLegacyReporters } from '../src/privacy/retention.js';
import { createTestEnv, frozenClock, type TestEnv } from './helpers.js';
import { buildWorld, PLACES, type World } from './world.js';

// Personal data at rest: reporters' phone and ID numbers are stored encrypted (masked for display,
// hashed for search), rows from before encryption are sealed at boot, and the retention job
// anonymises reporters of cases closed long ago.
const clock = frozenClock('2026-11-26T02:00:00Z');
let env: TestEnv;
let world: World;
type Who = keyof World['cookies'];
const call = (who: Who, method: 'GET' | 'POST', url: string, payload?: unknown) =>
  env.http.inject({ method, url, payload: payload as object, headers: { cookie: world.cookies[who] } });
const row = (id: number) => env.app.store.db.selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

async function report(phone: string | null, extra: Record<string, unknown> = {}): Promise<number> {
  const res = await call('dispatcher', 'POST', '/api/v1/cases', {
    categoryCode: '06012', channel: 'phone', description: '路面破损', lon: PLACES.heping.lon, lat: PLACES.heping.lat,
    ...(phone ? { reporter: { name: '王小明', phone, ...extra } } : {}),
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id as number;
}

async function voidCase(id: number) {
  const c = (await call('dispatcher', 'GET', `/api/v1/cases/${id}`)).json();
  const res = await call('dispatcher', 'POST', `/api/v1/cases/${id}/transitions`, { action: 'void', version: c.version, note: '重复来电' });
  expect(res.statusCode, res.body).toBe(200);
}

beforeAll(async () => {
  env = await createTestEnv({ clock });
  world = await buildWorld(env);
});
afterAll(() => env.close());

describe('reporter phone and ID number at rest', () => {
  it('stores them encrypted and masked, never in clear, and shows them in clear only to those allowed', async () => {
    const id = await report('139-1234-5678', { idNumber: '11010519491231002X' });
    const stored = await row(id);
    expect(JSON.stringify(stored)).not.toContain('13912345678');
    expect(JSON.stringify(stored)).not.toContain('1234-5678');
    expect(JSON.stringify(stored)).not.toContain('11010519491231002X');
    expect(stored).toMatchObject({ reporter_phone: '139****5678', reporter_id_number: '110105********002X', reporter_phone_enc: expect.stringMatching(/^enc1:k1:/), reporter_id_enc: expect.stringMatching(/^enc1:k1:/) });
    const staff = (await call('dispatcher', 'GET', `/api/v1/cases/${id}`)).json();
    expect(staff.reporter).toEqual({ name: '王小明', phone: '139-1234-5678', idNumber: '11010519491231002X' });
    const inspector = (await call('inspector', 'GET', `/api/v1/cases/${id}`)).json();
    expect(inspector.reporter).toEqual({ name: '王**', phone: '139****5678', idNumber: '110105********002X' });
  });

  it('finds cases by reporter phone in any spelling, for those allowed to see personal data only', async () => {
    const a = await report('13800001111');
    const b = await report('+86 138 0000 1111');
    await report('13800002222');
    const found = (await call('dispatcher', 'GET', `/api/v1/cases?reporterPhone=${encodeURIComponent('138-0000-1111')}`)).json();
    expect(found.items.map((c: { id: number }) => c.id).sort()).toEqual([a, b].sort());
    expect((await call('inspector', 'GET', '/api/v1/cases?reporterPhone=13800001111')).statusCode).toBe(403);
    expect((await call('dispatcher', 'GET', '/api/v1/cases?reporterPhone=abc')).statusCode).toBe(400);
  });

  it('seals rows stored before encryption at rest, keeping them readable', async () => {
    const id = await report(null);
    await env.app.store.db.updateTable('cases').set({ reporter_name: '李四', reporter_phone: '13600003333' }).where('id', '=', id).execute();
    expect(await sealLegacyReporters(env.app)).toBe(1);
    expect(await sealLegacyReporters(env.app)).toBe(0);
    const stored = await row(id);
    expect(stored.reporter_phone).toBe('136****3333');
    expect(stored.reporter_phone_enc).toMatch(/^enc1:/);
    expect((await call('dispatcher', 'GET', `/api/v1/cases/${id}`)).json().reporter.phone).toBe('13600003333');
    const found = (await call('dispatcher', 'GET', '/api/v1/cases?reporterPhone=13600003333')).json();
    expect(found.items.map((c: { id: number }) => c.id)).toEqual([id]);
  });
});

describe('retention', () => {
  it('anonymises reporters of cases closed more than N days ago, says so on the timeline, and is idempotent', async () => {
    clock.set('2026-10-01T02:00:00Z');
    const old = await report('13500004444', { idNumber: '440524188001010014' });
    await voidCase(old);
    const oldOpen = await report('13500005555');
    clock.set('2026-11-20T02:00:00Z');
    const recent = await report('13500006666');
    await voidCase(recent);
    clock.set('2026-11-26T02:00:00Z');

    expect(await runRetention(env.app, 0)).toEqual({ days: 0, cutoff: null, anonymised: 0 });
    const first = await runRetention(env.app, 30);
    expect(first).toEqual({ days: 30, cutoff: '2026-10-27T02:00:00.000Z', anonymised: 1 });
    expect(await row(old)).toMatchObject({
      reporter_name: null, reporter_phone: null, reporter_phone_enc: null, reporter_phone_hash: null,
      reporter_id_number: null, reporter_id_enc: null, reporter_id_hash: null, reporter_anonymised_at: '2026-11-26T02:00:00.000Z',
    });
    expect((await row(oldOpen)).reporter_phone).toBe('135****5555');
    expect((await row(recent)).reporter_phone).toBe('135****6666');
    const timeline = (await call('dispatcher', 'GET', `/api/v1/cases/${old}/timeline`)).json() as { action: string; note: string }[];
    expect(timeline[timeline.length - 1]).toMatchObject({ action: 'anonymise', note: expect.stringContaining('30 天') });
    expect((await runRetention(env.app, 30)).anonymised).toBe(0);
    expect((await call('dispatcher', 'GET', '/api/v1/cases?reporterPhone=13500004444')).json().items).toEqual([]);
  });
});
