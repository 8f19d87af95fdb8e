import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../src/auth/auth.service.js';
import { MAX_OFFSET } from '../src/http/schemas.js';
import { createTestEnv, dialectUnderTest, type TestEnv } from './helpers.js';
import { buildWorld, PLACES, type World } from './world.js';

// Input every route must refuse with 400 before it reaches a store (issue 12: defects 6 and 8):
// NUL characters, invalid UTF-8, offsets beyond any store's range, impossible dates; and `%`/`_`
// in a search that must match only themselves. Runs on both stores.

let env: TestEnv;
let world: World;
let key: string;

beforeAll(async () => {
  env = await createTestEnv();
  world = await buildWorld(env);
  key = (await createApiKey(env.sys(), { name: 'guards', orgCode: '150300' })).key;
});
afterAll(async () => env?.close());

type Req = { method?: 'GET' | 'POST'; url: string; payload?: string | Buffer | object; headers?: Record<string, string> };
const call = (r: Req, who: keyof World['cookies'] | null = 'admin') =>
  env.http.inject({ method: r.method ?? 'GET', url: r.url, payload: r.payload as never, headers: { ...(who ? { cookie: world.cookies[who] } : {}), ...r.headers } });

async function countCases(): Promise<number> {
  const row = await env.app.store.db.selectFrom('cases').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Expects a 400 (REST `validation_failed` or an Open311 error array) and no new case. */
async function expectRefused(r: Req, who: keyof World['cookies'] | null = 'admin', pattern?: RegExp): Promise<void> {
  const before = await countCases();
  const res = await call(r, who);
  expect(res.statusCode, `${r.method ?? 'GET'} ${r.url}: ${res.body}`).toBe(400);
  const body = res.json();
  if (Array.isArray(body)) expect(body[0].code).toBe(400);
  else expect(body.error).toBe('validation_failed');
  if (pattern) expect(res.body).toMatch(pattern);
  expect(await countCases()).toBe(before);
}

const report = (extra: Record<string, unknown> = {}) => ({ categoryCode: '06010', lon: PLACES.heping.lon, lat: PLACES.heping.lat, description: '路边暴露垃圾一堆', channel: 'patrol', ...extra });
const form = (pairs: [string, string][]) => new URLSearchParams(pairs).toString();
const open311Post = (pairs: [string, string][]): Req => ({
  method: 'POST', url: '/open311/v2/requests.json', payload: form(pairs), headers: { 'content-type': 'application/x-www-form-urlencoded' },
});
const open311Fields = (extra: [string, string][] = []): [string, string][] => [
  ['api_key', key], ['service_code', '06010'], ['lat', String(PLACES.heping.lat)], ['long', String(PLACES.heping.lon)], ['description', '路边暴露垃圾一堆'], ...extra,
];

describe(`NUL characters are refused at validation (${dialectUnderTest})`, () => {
  it('in a JSON body field, nested or as a key, with the field named', async () => {
    await expectRefused({ method: 'POST', url: '/api/v1/cases', payload: report({ description: 'a\u0000b' }) }, 'admin', /description/);
    await expectRefused({ method: 'POST', url: '/api/v1/cases', payload: report({ reporter: { name: '王\u0000', phone: null } }) }, 'admin', /reporter\.name/);
    await expectRefused({ method: 'POST', url: '/api/v1/cases', payload: { ...report(), 'x\u0000': 1 } });
  });

  it('in a query filter, a path parameter and an Open311 query', async () => {
    await expectRefused({ url: '/api/v1/cases?q=a%00b' }, 'admin', /"q"/);
    await expectRefused({ url: '/api/v1/cases?category=06%0010' });
    await expectRefused({ url: '/api/v1/org-units/1503%00' });
    await expectRefused({ url: '/open311/v2/requests.json?q=a%00b' }, null);
    await expectRefused({ url: '/open311/v2/requests.json?service_request_id=1%00' }, null);
    await expectRefused({ url: '/open311/v2/services/06010%00.json' }, null);
  });

  it('in Open311 forms (urlencoded with a key, anonymous, and JSON)', async () => {
    await expectRefused(open311Post(open311Fields([['address_string', '3号楼\u0000']])), null, /address_string/);
    await expectRefused(open311Post([['service_code', '06010'], ['description', 'x\u0000']]), null);
    await expectRefused({ method: 'POST', url: '/open311/v2/requests.json', payload: Object.fromEntries(open311Fields([['first_name', '\u0000']])) }, null);
    await expectRefused({ method: 'POST', url: '/open311/v2/servicerequestupdates.json', payload: form([['update_id', '1'], ['service_request_id', '1'], ['description', '\u0000'], ['status', 'OPEN']]), headers: { 'content-type': 'application/x-www-form-urlencoded' } }, null);
  });

  it('in a transition note', async () => {
    const created = await call({ method: 'POST', url: '/api/v1/cases', payload: report() });
    expect(created.statusCode, created.body).toBe(201);
    const { id, version } = created.json();
    await expectRefused({ method: 'POST', url: `/api/v1/cases/${id}/transitions`, payload: { action: 'verify', version, note: '已核实\u0000' } });
    expect((await call({ url: `/api/v1/cases/${id}` })).json().version).toBe(version);
  });
});

describe('invalid UTF-8 is refused, not turned into U+FFFD', () => {
  const badJson = Buffer.concat([Buffer.from('{"categoryCode":"06010","lon":106.8005,"lat":39.6705,"channel":"patrol","description":"'), Buffer.from([0xe5, 0x9e]), Buffer.from('"}')]);

  it('in a JSON body, a GeoJSON import and an iCalendar import', async () => {
    await expectRefused({ method: 'POST', url: '/api/v1/cases', payload: badJson, headers: { 'content-type': 'application/json' } }, 'admin', /UTF-8/);
    await expectRefused({ method: 'POST', url: '/api/v1/grids/import', payload: Buffer.from([0x7b, 0xff, 0x7d]), headers: { 'content-type': 'application/geo+json' } }, 'admin', /UTF-8/);
    await expectRefused({ method: 'POST', url: '/api/v1/calendar/ics', payload: Buffer.concat([Buffer.from('BEGIN:VCALENDAR\r\nSUMMARY:'), Buffer.from([0xc3, 0x28])]), headers: { 'content-type': 'text/calendar' } }, 'admin', /UTF-8/);
  });

  it('in percent-escapes of a query string and of an Open311 form body', async () => {
    await expectRefused({ url: '/api/v1/cases?q=%FF%FE' }, 'admin', /UTF-8/);
    await expectRefused({ url: '/open311/v2/requests.json?q=%E5%9E' }, null);
    await expectRefused({ method: 'POST', url: '/open311/v2/requests.json', payload: `${form(open311Fields())}&address_string=%E5%9E`, headers: { 'content-type': 'application/x-www-form-urlencoded' } }, null, /UTF-8/);
  });

  it('while valid escapes of Chinese text still work', async () => {
    const res = await call({ url: `/api/v1/cases?q=${encodeURIComponent('暴露垃圾')}` });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().total).toBeGreaterThan(0);
  });
});

describe('paging stays inside what every store can answer', () => {
  it('every list endpoint in the OpenAPI document caps offset, and refuses beyond the cap with 400', async () => {
    const doc = (await call({ url: '/api/openapi.json' }, null)).json() as { paths: Record<string, Record<string, { parameters?: { name: string; in: string; schema?: { maximum?: number } }[] }>> };
    const paged = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops).filter(([, op]) => op.parameters?.some((p) => p.in === 'query' && p.name === 'offset')).map(([method, op]) => ({ path, method, op })));
    expect(paged.map((p) => p.path)).toEqual(expect.arrayContaining(['/api/v1/cases', '/api/v1/users', '/api/v1/org-units', '/api/v1/categories']));
    for (const { path, method, op } of paged) {
      expect(method, path).toBe('get');
      expect(op.parameters?.find((p) => p.name === 'offset')?.schema?.maximum, path).toBe(MAX_OFFSET);
      expect(path.includes('{'), `${path}: a list with path parameters needs values here`).toBe(false);
      for (const offset of ['100000000000000000000', String(MAX_OFFSET + 1)]) await expectRefused({ url: `${path}?offset=${offset}` });
      const deepest = await call({ url: `${path}?offset=${MAX_OFFSET}` });
      expect(deepest.statusCode, `${path}: ${deepest.body}`).toBe(200);
    }
  });

  it('Open311 paging refuses huge values too', async () => {
    await expectRefused({ url: '/open311/v2/requests.json?page=100000000000000000000' }, null);
    await expectRefused({ url: '/open311/v2/requests.json?page=2&page_size=100000000000' }, null);
  });
});

describe('impossible dates are refused wherever a date is taken', () => {
  it('in list filters, KPIs, the calendar and Open311 windows', async () => {
    await expectRefused({ url: '/api/v1/cases?from=2026-02-30' }, 'admin', /from/);
    await expectRefused({ url: '/api/v1/cases?to=2026-04-31T10:00:00Z' }, 'admin', /to/);
    await expectRefused({ url: '/api/v1/cases?from=2026-01-01T24:30:00Z' }, 'admin', /from/);
    await expectRefused({ url: '/api/v1/cases.csv?from=2026-13-01' });
    await expectRefused({ url: '/api/v1/kpis?from=2026-02-29&to=2026-03-10' }, 'admin', /from/);
    await expectRefused({ url: '/api/v1/calendar/days?from=2026-02-30&to=2026-03-10' }, 'admin', /from/);
    await expectRefused({ url: '/open311/v2/requests.json?start_date=2026-02-30' }, null);
  });

  it('in a transition deadline and a holiday notice', async () => {
    const { id, version } = (await call({ method: 'POST', url: '/api/v1/cases', payload: report() })).json();
    await expectRefused({ method: 'POST', url: `/api/v1/cases/${id}/transitions`, payload: { action: 'verify', version, newDeadline: '2026-02-30T10:00:00Z' } });
    await expectRefused({ method: 'POST', url: '/api/v1/calendar/notices', payload: { year: 2027, holidays: [{ name: '春节', from: '2027-02-29', to: '2027-03-02' }], workdays: [] } });
  });

  it('while real dates (a leap day included) are accepted', async () => {
    for (const url of ['/api/v1/cases?from=2028-02-29', '/api/v1/cases?from=2026-01-01T23:59:59.5%2B08:00', '/api/v1/kpis?from=2028-02-29&to=2028-03-01', '/api/v1/calendar/days?from=2028-02-29&to=2028-03-01']) {
      const res = await call({ url });
      expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
    }
  });
});

describe(`% and _ in a search match only themselves (${dialectUnderTest})`, () => {
  it('on the case list and the Open311 list', async () => {
    const made: number[] = [];
    for (const description of ['清运完成100%以上', '井盖a_b缺失', '井盖aXb缺失', '反斜杠\\路牌']) {
      const res = await call({ method: 'POST', url: '/api/v1/cases', payload: report({ description }) });
      expect(res.statusCode, res.body).toBe(201);
      made.push(res.json().id);
    }
    const found = async (q: string) => (await call({ url: `/api/v1/cases?q=${encodeURIComponent(q)}&limit=500` })).json().items.map((c: { id: number }) => c.id);
    expect(await found('%')).toEqual([made[0]]);
    expect(await found('a_b')).toEqual([made[1]]);
    expect(await found('_')).toEqual([made[1]]);
    expect(await found('\\')).toEqual([made[3]]);
    expect((await found('井盖')).sort()).toEqual([made[1], made[2]].sort());
    const open311 = await call({ url: `/open311/v2/requests.json?q=${encodeURIComponent('%')}` }, null);
    expect(open311.statusCode, open311.body).toBe(200);
    expect(open311.json().map((r: { service_request_id: string }) => Number(r.service_request_id))).toEqual([made[0]]);
  });
});
