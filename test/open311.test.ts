import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../src/auth/auth.service.js';
import { getBatchQueue, processToken } from '../src/open311/open311.batch.js';
import { open311Repository } from '../src/open311/open311.repository.js';
import { createTestEnv, frozenClock, type TestEnv } from './helpers.js';
import { buildWorld, PLACES, type World } from './world.js';
import { asXmlText, expectSchema, form, multipart, parseXml, PNG, sameInBoth, twin } from './open311.helpers.js';

// Open311 GeoReport v2 conformance, part 1: discovery, services, POST /requests, tokens, formats.
// Thursday 2026-11-26 10:00 in Wuhai (UTC+8).
const clock = frozenClock('2026-11-26T02:00:00Z');
const BASE = '/open311/v2';
let env: TestEnv;
let world: World;
let key: string;

beforeAll(async () => {
  env = await createTestEnv({ clock });
  world = await buildWorld(env);
  key = (await createApiKey(env.sys(), { name: 'FixMyStreet', orgCode: '150300' })).key;
});
afterAll(() => env.close());

type Pairs = [string, string | number][];
const here = (place = PLACES.heping): Pairs => [['lat', place.lat], ['long', place.lon]];
/** A valid 暴露垃圾 report; `extra` pairs replace fields of the same name or are added. */
const garbage = (extra: Pairs = []): Pairs => {
  const base: Pairs = [['api_key', key], ['service_code', '06010'], ...here(), ['description', '路边暴露垃圾一堆'], ['attribute[volume]', 'pile']];
  const replaced = new Set(extra.map(([k]) => k).filter((k) => !k.endsWith('[]')));
  return [...base.filter(([k]) => !replaced.has(k)), ...extra];
};
const post = (pairs: Pairs, ext = '.json', headers: Record<string, string> = {}) =>
  env.http.inject({ method: 'POST', url: `${BASE}/requests${ext}`, payload: form(pairs), headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers } });
const caseCount = async () => Number((await env.app.store.db.selectFrom('cases').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

async function expectErrors(res: { statusCode: number; json(): unknown; body: string; headers: Record<string, unknown> }, status: number, match?: RegExp) {
  expect(res.statusCode, res.body).toBe(status);
  const body = res.json() as { code: number; description: string }[];
  expectSchema('errors', body);
  expect(body.every((e) => e.code === status)).toBe(true);
  if (match) expect(body.map((e) => e.description).join(' | ')).toMatch(match);
  return body;
}

describe('discovery', () => {
  it('is served in XML and JSON with the base URL, both formats and a changeset', async () => {
    const t = await sameInBoth(env.http, { path: `${BASE}/discovery`, schema: 'discovery', root: 'discovery' });
    const d = t.json as { endpoints: { url: string; formats: string[]; specification: string; type: string }[]; changeset: string };
    expect(d.endpoints).toHaveLength(1);
    expect(d.endpoints[0]).toMatchObject({ url: 'http://localhost:80/open311/v2', specification: 'http://wiki.open311.org/GeoReport_v2', type: 'production', formats: ['text/xml', 'application/json'] });
    expect(t.xmlRes.body).toContain('<formats><format>text/xml</format><format>application/json</format></formats>');
  });

  it('uses the Accept header when the path has no suffix, XML by default', async () => {
    const xml = await env.http.inject({ url: `${BASE}/discovery` });
    expect(xml.headers['content-type']).toBe('text/xml');
    expect(parseXml(xml.body).root).toBe('discovery');
    const json = await env.http.inject({ url: `${BASE}/discovery`, headers: { accept: 'application/json' } });
    expect(json.headers['content-type']).toBe('application/json');
    expectSchema('discovery', json.json());
  });
});

describe('services', () => {
  it('lists the catalogue as services: codes as strings, class as group, keywords, type, metadata', async () => {
    const t = await sameInBoth(env.http, { path: `${BASE}/services`, schema: 'services', root: 'services' });
    const services = t.json as { service_code: string; service_name: string; metadata: boolean; type: string; group: string; keywords: string | null }[];
    const codes = services.map((s) => s.service_code);
    expect(new Set(codes).size).toBe(codes.length);
    const byCode = new Map(services.map((s) => [s.service_code, s]));
    expect(byCode.get('06010')).toMatchObject({ service_name: '暴露垃圾', metadata: true, type: 'realtime', group: '市容环境类' });
    expect(byCode.get('LGZ01')).toMatchObject({ service_name: '井盖位移告警', metadata: true, type: 'batch', group: '感知告警', keywords: '物联网,传感器,告警' });
    expect(byCode.get('06012')).toMatchObject({ metadata: false, type: 'realtime' });
    // 01001 is both a 管理部件 and its 管理事项 twin: one service, the matter.
    expect(byCode.get('01001')?.service_name).toBe('供水井盖异常');
  });

  it('gives the definition of a service with questions: six datatypes, order, required, values', async () => {
    const t = await sameInBoth(env.http, { path: `${BASE}/services/06010`, schema: 'service-definition', root: 'service_definition' });
    const def = t.json as { service_code: string; attributes: { code: string; datatype: string; order: number; required: boolean; variable: boolean; values?: { key: string }[] }[] };
    expect(def.service_code).toBe('06010');
    expect(def.attributes.map((a) => a.order)).toEqual([1, 2, 3, 4]);
    expect(def.attributes.find((a) => a.code === 'photo_hint')).toMatchObject({ variable: false, required: false });
    expect(def.attributes.find((a) => a.code === 'volume')).toMatchObject({ datatype: 'singlevaluelist', required: true });
    expect(def.attributes.find((a) => a.code === 'waste_type')?.values?.map((v) => v.key)).toEqual(['household', 'construction', 'bulky', 'hazardous']);
    const sensor = (await sameInBoth(env.http, { path: `${BASE}/services/LGZ01`, schema: 'service-definition', root: 'service_definition' })).json as typeof def;
    expect(sensor.attributes.map((a) => a.datatype)).toEqual(['string', 'number', 'datetime']);
    const plain = (await sameInBoth(env.http, { path: `${BASE}/services/06012`, schema: 'service-definition', root: 'service_definition' })).json as typeof def;
    expect(plain.attributes).toEqual([]);
  });

  it('answers 404 for an unknown service code and an unknown suffix', async () => {
    const t = await twin(env.http, { path: `${BASE}/services/NOPE`, schema: 'errors', root: 'errors' });
    expect(t.status).toBe(404);
    expect(t.xml).toEqual(asXmlText(t.json));
    const csv = await env.http.inject(`${BASE}/services/06010.csv`);
    expect(csv.statusCode).toBe(404);
    expect(parseXml(csv.body).root).toBe('errors');
    const bare = await env.http.inject(`${BASE}/services.csv`);
    expect(bare.statusCode).toBe(404);
  });

  it('lets an admin configure questions and the service type per category, validated', async () => {
    const category = (await env.http.inject({ url: '/api/v1/categories/06012', headers: { cookie: world.cookies.admin } })).json();
    const url = `/api/v1/categories/${category.id}`;
    const put = (who: keyof World['cookies'], path: string, payload: unknown) => env.http.inject({ method: 'PUT', url: `${url}/${path}`, payload: payload as object, headers: { cookie: world.cookies[who] } });
    const before = (await env.http.inject(`${BASE}/discovery.json`)).json().changeset;
    const bad = await put('admin', 'questions', [
      { code: 'kind', datatype: 'singlevaluelist', required: true, order: 1, description: '种类' },
      { code: 'kind', datatype: 'number', required: false, order: 1, description: '数量', values: [{ key: 'a', name: 'A' }] },
    ]);
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: 'validation_failed' });
    expect(bad.json().details.problems.length).toBeGreaterThanOrEqual(3);
    expect((await put('dispatcher', 'questions', [])).statusCode).toBe(403);
    clock.advance(1000);
    const ok = await put('admin', 'questions', [
      { code: 'width', datatype: 'number', required: true, order: 2, description: '污染宽度（米）', datatype_description: '米' },
      { code: 'surface', datatype: 'singlevaluelist', required: false, order: 1, description: '路面', values: [{ key: 'road', name: '车行道' }, { key: 'walk', name: '人行道' }] },
    ]);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().questions.map((q: { code: string }) => q.code)).toEqual(['surface', 'width']);
    const def = (await env.http.inject(`${BASE}/services/06012.json`)).json();
    expect(def.attributes.map((a: { code: string }) => a.code)).toEqual(['surface', 'width']);
    expect((await env.http.inject(`${BASE}/discovery.json`)).json().changeset > before).toBe(true);
    const type = await put('admin', 'open311', { type: 'blackbox', serviceNotice: '仅受理，不回传编号' });
    expect(type.json()).toMatchObject({ type: 'blackbox', serviceNotice: '仅受理，不回传编号' });
    const services = (await env.http.inject(`${BASE}/services.json`)).json();
    expect(services.find((s: { service_code: string }) => s.service_code === '06012')).toMatchObject({ type: 'blackbox', metadata: true });
    const res = await post([['api_key', key], ['service_code', '06012'], ...here(), ['attribute[width]', '2.5']]);
    expect(res.statusCode, res.body).toBe(200);
    expectSchema('post-response', res.json());
    expect(res.json()[0]).toEqual({ service_notice: '仅受理，不回传编号', account_id: null });
    await put('admin', 'open311', { type: 'realtime' });
    await put('admin', 'questions', []);
  });
});

describe('POST /requests (realtime)', () => {
  it('creates a case from a form body with attribute[CODE] and attribute[CODE][] and returns its id', async () => {
    const t = await twin(env.http, {
      method: 'POST', path: `${BASE}/requests`, schema: 'post-response', root: 'service_requests',
      body: form(garbage([['attribute[waste_type][]', 'household'], ['attribute[waste_type][]', 'bulky'], ['attribute[access_notes]', '3号楼\n北侧'], ['account_id', 'fms-77'], ['address_string', '凤凰岭街道和平社区3号楼']])),
    });
    expect(t.status).toBe(200);
    const [json] = t.json as { service_request_id: string; service_notice: string; account_id: string }[];
    expect(json).toMatchObject({ service_request_id: expect.stringMatching(/^\d+$/), account_id: 'fms-77' });
    expect(json).not.toHaveProperty('token');
    expect(json.service_notice).toContain('预计');
    const [xml] = t.xml as Record<string, string>[];
    expect(Number(xml.service_request_id)).toBe(Number(json.service_request_id) + 1);
    const row = await env.app.store.db.selectFrom('cases').selectAll().where('id', '=', Number(json.service_request_id)).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ channel: 'open311', category_code: '06010', grid_code: PLACES.heping.grid, address: '凤凰岭街道和平社区3号楼', created_by: expect.stringMatching(/^apikey:/) });
    expect(JSON.parse(row.attributes).open311).toEqual({ volume: 'pile', waste_type: ['household', 'bulky'], access_notes: '3号楼\n北侧' });
  });

  it('accepts the key as Authorization: Bearer', async () => {
    const res = await post(garbage().filter(([k]) => k !== 'api_key'), '.json', { authorization: `Bearer ${key}` });
    expect(res.statusCode, res.body).toBe(200);
  });

  it('answers 403 for a missing or bad key, in both formats, and writes nothing', async () => {
    const before = await caseCount();
    await expectErrors(await post(garbage().filter(([k]) => k !== 'api_key')), 403, /api_key is required/);
    await expectErrors(await post(garbage([['api_key', 'glk_nope']])), 403, /Invalid api_key/);
    const xml = await post(garbage([['api_key', 'glk_nope']]), '.xml');
    expect(xml.statusCode).toBe(403);
    expect(parseXml(xml.body)).toEqual({ root: 'errors', value: [{ code: '403', description: expect.stringContaining('Invalid api_key') }] });
    await expectErrors(await post(garbage().filter(([k]) => k !== 'api_key'), '.json', { authorization: 'Bearer glk_nope' }), 403);
    expect(await caseCount()).toBe(before);
  });

  it('answers 404 for an unknown service and 400 for a missing one', async () => {
    await expectErrors(await post([['api_key', key], ['service_code', '99999'], ...here()]), 404, /99999/);
    await expectErrors(await post([['api_key', key], ...here()]), 400, /service_code is required/);
  });

  it('validates location, description, contact fields and attributes, listing every problem', async () => {
    const before = await caseCount();
    const cases: [Pairs, RegExp][] = [
      [garbage().filter(([k]) => k !== 'lat' && k !== 'long'), /a location is required/],
      [garbage().filter(([k]) => k !== 'long'), /lat and long are always sent together/],
      [garbage([['lat', '91']]), /lat must be/],
      [[...garbage().filter(([k]) => k !== 'lat' && k !== 'long'), ['lat', 30], ['long', 100]], /outside every grid/],
      [garbage([['description', 'x'.repeat(4001)]]), /at most 4000/],
      [garbage([['description', '看这里 <script>alert(1)</script>']]), /HTML/],
      [garbage().filter(([k]) => k !== 'attribute[volume]'), /attribute\[volume\] is required/],
      [garbage([['attribute[volume]', 'huge']]), /attribute\[volume\] must be one of small, pile, large/],
      [garbage([['attribute[waste_type][]', 'plutonium']]), /unknown keys plutonium/],
      [garbage([['email', 'not-an-email']]), /email/],
      [garbage([['media_url', 'ftp://x/y.jpg']]), /media_url/],
      [[...garbage().filter(([k]) => k !== 'lat' && k !== 'long'), ['address_id', 'A-77']], /address_id is not supported/],
      [[...garbage().filter(([k]) => k !== 'lat' && k !== 'long'), ['address_string', '不存在的地方 1 号']], /address_string names no district/],
    ];
    for (const [pairs, message] of cases) await expectErrors(await post(pairs), 400, message);
    const sensor: Pairs = [['api_key', key], ['service_code', 'LGZ01'], ...here()];
    await expectErrors(await post([...sensor, ['attribute[device_code]', 'D1'], ['attribute[reading]', 'high']]), 400, /reading\] must be a number/);
    await expectErrors(await post([...sensor, ['attribute[device_code]', 'D1'], ['attribute[measured_at]', 'yesterday']]), 400, /measured_at\] must be an ISO 8601/);
    await expectErrors(await post([...sensor, ['attribute[device_code]', 'a\nb']]), 400, /line breaks/);
    await expectErrors(await post([...garbage(), ['attribute[volume]', 'small']]), 400, /attribute\[volume\] takes one value/);
    const many = await expectErrors(await post([['api_key', key], ['service_code', '06010'], ['lat', 'x'], ['description', '<b>x</b>']]), 400);
    expect(many.length).toBeGreaterThanOrEqual(3);
    expect(await caseCount()).toBe(before);
  });

  it('treats empty parameters as absent', async () => {
    const res = await post(garbage([['email', ''], ['address_string', ''], ['attribute[waste_type][]', '']]));
    expect(res.statusCode, res.body).toBe(200);
  });

  it('locates a request that has only an address by the area it names', async () => {
    const res = await post([...garbage().filter(([k]) => k !== 'lat' && k !== 'long'), ['address_string', '乌海市海勃湾区公园社区 5 号楼']]);
    expect(res.statusCode, res.body).toBe(200);
    const read = (await env.http.inject(`${BASE}/requests/${res.json()[0].service_request_id}.json?extensions=true`)).json()[0];
    expect(read.extended_attributes.community_code).toBe(PLACES.gongyuan.community);
    expect(read.address).toBe('乌海市海勃湾区公园社区 5 号楼');
  });

  it('returns the same request for a repeated client_request_id (idempotent create)', async () => {
    const before = await caseCount();
    const a = await post(garbage([['client_request_id', 'app-42']]));
    const b = await post(garbage([['client_request_id', 'app-42'], ['description', 'retry']]));
    expect(b.json()[0].service_request_id).toBe(a.json()[0].service_request_id);
    expect(await caseCount()).toBe(before + 1);
  });

  it('takes multipart with a media file and serves the photo back', async () => {
    const mp = multipart([['api_key', key], ['service_code', '06010'], ['lat', String(PLACES.heping.lat)], ['long', String(PLACES.heping.lon)], ['attribute[volume]', 'small']], { field: 'media', filename: 'trash.png', type: 'image/png', bytes: PNG });
    const res = await env.http.inject({ method: 'POST', url: `${BASE}/requests.json`, payload: mp.body, headers: { 'content-type': mp.contentType } });
    expect(res.statusCode, res.body).toBe(200);
    const id = res.json()[0].service_request_id;
    const read = (await env.http.inject(`${BASE}/requests/${id}.json?extensions=true`)).json()[0];
    expect(read.media_url).toMatch(new RegExp(`^http://localhost:80/open311/v2/media/${id}/\\d+$`));
    expect(read.extended_attributes.photos).toEqual([{ media_url: read.media_url, title: 'trash.png', created_at: '2026-11-26T10:00:01+08:00' }]);
    const photo = await env.http.inject(read.media_url.replace('http://localhost:80', ''));
    expect(photo.statusCode).toBe(200);
    expect(photo.headers['content-type']).toBe('image/png');
    expect(Buffer.compare(photo.rawPayload, PNG)).toBe(0);
    const pdf = multipart([['api_key', key], ['service_code', '06010'], ['lat', String(PLACES.heping.lat)], ['long', String(PLACES.heping.lon)], ['attribute[volume]', 'small']], { field: 'media', filename: 'x.pdf', type: 'application/pdf', bytes: Buffer.from('%PDF-1.4\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF') });
    await expectErrors(await env.http.inject({ method: 'POST', url: `${BASE}/requests.json`, payload: pdf.body, headers: { 'content-type': pdf.contentType } }), 400);
  });
});

describe('batch services and tokens', () => {
  const sensor = (extra: Pairs = []): Pairs => [['api_key', key], ['service_code', 'LGZ01'], ...here(), ['attribute[device_code]', 'WH-JG-000123'], ['attribute[reading]', '12.5'], ['attribute[measured_at]', '2026-11-26T09:58:00+08:00'], ...extra];

  it('returns a token, never an id, and the token resolves once the case exists', async () => {
    const res = await post(sensor());
    expect(res.statusCode, res.body).toBe(200);
    expectSchema('post-response', res.json());
    const [{ token, service_notice }] = res.json();
    expect(res.json()[0]).not.toHaveProperty('service_request_id');
    expect(service_notice).toContain('物联网告警');
    // The token row is written before the reply: it exists now, whatever the queue has done.
    expect((await open311Repository.findToken(env.app.store.db, token))?.payload).toContain('WH-JG-000123');
    await getBatchQueue(env.app)?.idle();
    const t = await sameInBoth(env.http, { path: `${BASE}/tokens/${token}`, schema: 'tokens', root: 'service_requests' });
    const [resolved] = t.json as { service_request_id: string; token: string }[];
    expect(resolved).toEqual({ service_request_id: expect.stringMatching(/^\d+$/), token });
    const read = (await env.http.inject(`${BASE}/requests/${resolved.service_request_id}.json?extensions=true`)).json()[0];
    expect(read).toMatchObject({ service_code: 'LGZ01', status: 'open', requested_datetime: '2026-11-26T10:00:01+08:00' });
    expect(read.attributes.find((a: { code: string }) => a.code === 'reading')).toMatchObject({ value: '12.5' });
    // The path also accepts the token in place of the id.
    expect((await env.http.inject(`${BASE}/requests/${token}.json`)).json()[0].service_request_id).toBe(resolved.service_request_id);
  });

  it('shows null before the case exists, and deduplicates a burst by client_request_id', async () => {
    const queue = getBatchQueue(env.app);
    if (!queue) throw new Error('the Open311 batch queue is not mounted');
    // Held, the queue cannot create the case before the token is read: the answer must be null.
    queue.pause();
    const burst = await Promise.all([1, 2, 3].map(() => post(sensor([['client_request_id', 'gw-7:0001']]))));
    const tokens = new Set(burst.map((r) => r.json()[0].token));
    expect(tokens.size).toBe(1);
    const [token] = tokens;
    const early = (await env.http.inject(`${BASE}/tokens/${token}.json`)).json();
    expect(early).toEqual([{ token, service_request_id: null }]);
    expect((await open311Repository.findToken(env.app.store.db, token))?.status).toBe('pending');
    queue.resume();
    await queue.idle();
    expect((await env.http.inject(`${BASE}/tokens/${token}.json`)).json()[0].service_request_id).toMatch(/^\d+$/);
  });

  it('answers 404 for an unknown token and 400 for one whose request was refused', async () => {
    await expectErrors(await env.http.inject(`${BASE}/tokens/no-such-token.json`), 404);
    const at = clock().toISOString();
    const bogus = { serviceCode: 'GONE1', lon: PLACES.heping.lon, lat: PLACES.heping.lat, description: '', answers: {}, media: [], locatedBy: 'coordinates' };
    await open311Repository.insertToken(env.app.store.db, { token: 'refused-1', status: 'pending', case_id: null, error: null, api_key_id: 1, client_request_id: null, actor: JSON.stringify({ kind: 'apikey', id: 1, name: 'x', role: 'api', orgCode: '150300', orgPath: '/150300/', departmentId: null }), payload: JSON.stringify(bogus), created_at: at, updated_at: at });
    await processToken(env.app, 'refused-1', { error: () => undefined });
    await expectErrors(await env.http.inject(`${BASE}/tokens/refused-1.json`), 400, /refused: category GONE1 does not exist/);
  });
});

describe('errors and formats', () => {
  it('gives unknown paths a 404 error list in the requested format', async () => {
    await expectErrors(await env.http.inject(`${BASE}/nothing.json`), 404);
    const xml = await env.http.inject(`${BASE}/nothing.xml`);
    expect(xml.statusCode).toBe(404);
    expect(xml.headers['content-type']).toBe('text/xml');
    expect(parseXml(xml.body).root).toBe('errors');
  });

  it('leaves the REST API error format alone', async () => {
    const res = await env.http.inject('/api/v1/nothing');
    expect(res.json()).toMatchObject({ error: 'not_found' });
  });
});
