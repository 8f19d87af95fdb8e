import Fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authPlugin } from '../src/auth/auth.plugin.js';
import { actorFromApiKey, createApiKey } from '../src/auth/auth.service.js';
import { makeCtx } from '../src/context.js';
import { importGrids } from '../src/grids/grid.import.js';
import { getBatchQueue } from '../src/open311/open311.batch.js';
import { acceptBatch, locateSubmission } from '../src/open311/open311.intake.js';
import { resolveJurisdiction } from '../src/open311/open311.jurisdiction.js';
import { open311Plugin } from '../src/open311/open311.plugin.js';
import { open311Repository } from '../src/open311/open311.repository.js';
import { findService } from '../src/open311/open311.services.js';
import { parseSubmission } from '../src/open311/open311.submission.js';
import { createTestEnv, frozenClock, type TestEnv } from './helpers.js';
import { buildWorld, PLACES } from './world.js';
import { addUnitChain, expectSchema, form, parseXml } from './open311.helpers.js';

// Open311 conformance, part 3: several jurisdictions, rate limits, the default cap, and batch
// tokens that survive a restart. Two cities: Wuhai (150300) and a synthetic one (990100).
const clock = frozenClock('2026-11-26T02:00:00Z');
const BASE = '/open311/v2';
const OTHER = { lon: 100.0005, lat: 30.0005 };
let env: TestEnv;
let wuhaiKey: string;
let otherKey: string;

async function addSyntheticCity(): Promise<void> {
  const sys = env.sys();
  await addUnitChain(sys, [['990100', '测试市', 'city'], ['990101', '测试区', 'district'], ['990101001', '测试街道', 'street'], ['990101001001', '测试社区', 'community']]);
  await importGrids(sys, { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { community: '990101001001', code: '990101001001001', name: '测试网格' }, geometry: { type: 'Polygon', coordinates: [[[100, 30], [100.01, 30], [100.01, 30.01], [100, 30.01], [100, 30]]] } }] });
}

beforeAll(async () => {
  env = await createTestEnv({ clock });
  await buildWorld(env);
  await addSyntheticCity();
  wuhaiKey = (await createApiKey(env.sys(), { name: 'wuhai app', orgCode: '150300' })).key;
  otherKey = (await createApiKey(env.sys(), { name: 'other app', orgCode: '990100' })).key;
});
afterAll(() => env.close());

type Pairs = [string, string | number][];
const post = (pairs: Pairs, path = '/requests.json') => env.http.inject({ method: 'POST', url: `${BASE}${path}`, payload: form(pairs), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
const street = (k: string, jurisdiction: string | null, at: { lon: number; lat: number }): Pairs => [
  ['api_key', k], ...(jurisdiction ? [['jurisdiction_id', jurisdiction] as [string, string]] : []), ['service_code', '06012'], ['lat', at.lat], ['long', at.lon], ['description', '道路不洁'],
];

describe('several jurisdictions', () => {
  it('requires jurisdiction_id (400) and refuses unknown ones (404) once the endpoint serves two cities', async () => {
    const missing = await env.http.inject(`${BASE}/services.json`);
    expect(missing.statusCode).toBe(400);
    expectSchema('errors', missing.json());
    expect(missing.json()[0].description).toMatch(/jurisdiction_id is required.*150300.*990100/);
    expect((await env.http.inject(`${BASE}/services.json?jurisdiction_id=123456`)).statusCode).toBe(404);
    expect((await env.http.inject(`${BASE}/services.json?jurisdiction_id=150300`)).statusCode).toBe(200);
    expect((await env.http.inject(`${BASE}/requests.json`)).statusCode).toBe(400);
    expect((await env.http.inject(`${BASE}/tokens/x.json`)).statusCode).toBe(400);
    expect((await env.http.inject(`${BASE}/servicerequestupdates.json`)).statusCode).toBe(400);
    expect((await post(street(wuhaiKey, null, PLACES.heping))).statusCode).toBe(400);
    // Discovery describes the endpoint, not a city.
    expect((await env.http.inject(`${BASE}/discovery.json`)).statusCode).toBe(200);
  });

  it('keeps each city to its own keys, locations and requests', async () => {
    const a = await post(street(wuhaiKey, '150300', PLACES.heping));
    expect(a.statusCode, a.body).toBe(200);
    const b = await post(street(otherKey, '990100', OTHER));
    expect(b.statusCode, b.body).toBe(200);
    // A Wuhai key cannot write into the other city, nor a point of one city into the other.
    expect((await post(street(wuhaiKey, '990100', OTHER))).statusCode).toBe(403);
    const wrongPlace = await post(street(otherKey, '990100', PLACES.heping));
    expect(wrongPlace.statusCode).toBe(400);
    expect(wrongPlace.json()[0].description).toMatch(/outside every grid of 测试市 \(990100\)/);
    const ofWuhai = (await env.http.inject(`${BASE}/requests.json?jurisdiction_id=150300`)).json();
    const ofOther = (await env.http.inject(`${BASE}/requests.json?jurisdiction_id=990100`)).json();
    expect(ofWuhai.map((r: { service_request_id: string }) => r.service_request_id)).toEqual([a.json()[0].service_request_id]);
    expect(ofOther.map((r: { service_request_id: string }) => r.service_request_id)).toEqual([b.json()[0].service_request_id]);
    expect((await env.http.inject(`${BASE}/requests/${b.json()[0].service_request_id}.json?jurisdiction_id=150300`)).statusCode).toBe(404);
  });
});

describe('a separately configured adapter', () => {
  let http: FastifyInstance;
  const J = 'jurisdiction_id=150300';
  let pendingToken: string;

  beforeAll(async () => {
    // A batch request acknowledged by a server that then stopped before making its case.
    const actor = await actorFromApiKey(env.app, wuhaiKey);
    if (!actor) throw new Error('no actor');
    const ctx = makeCtx(env.app, actor);
    const service = await findService(ctx.db, 'LGZ02');
    const sub = parseSubmission({ service_code: ['LGZ02'], lat: [String(PLACES.gongyuan.lat)], long: [String(PLACES.gongyuan.lon)], 'attribute[device_code]': ['WH-JS-9'] }, service, env.app.config.timeZone);
    const located = await locateSubmission(ctx, await resolveJurisdiction(ctx.db, '150300'), sub);
    pendingToken = (await acceptBatch(ctx, located, [])).token;

    http = Fastify();
    await http.register(cookie);
    await http.register(multipart);
    await http.register(rateLimit, { global: false });
    await http.register(authPlugin, { app: env.app });
    await http.register(open311Plugin, { app: env.app, prefix: BASE, settings: { perIpPerMinute: 3, perKeyPerMinute: 5, maxRequests: 2, jurisdictionAliases: { 'wuhai.gov.cn': '150300' } } });
    await http.ready();
  });
  afterAll(() => http.close());

  it('turns tokens left pending by a stopped server into cases when the next one starts', async () => {
    await getBatchQueue(env.app)?.idle();
    const row = await open311Repository.findToken(env.app.store.db, pendingToken);
    expect(row).toMatchObject({ status: 'done', case_id: expect.any(Number) });
    const res = await http.inject({ url: `${BASE}/tokens/${pendingToken}.json?${J}`, remoteAddress: '10.0.0.50' });
    expect(res.json()).toEqual([{ service_request_id: String(row?.case_id), token: pendingToken }]);
  });

  it('caps an unpaged GET /requests at max_requests and says so in discovery', async () => {
    for (let i = 0; i < 3; i++) expect((await post(street(wuhaiKey, '150300', PLACES.heping2))).statusCode).toBe(200);
    // The city's domain, configured as an alias, works as its jurisdiction_id.
    const res = await http.inject({ url: `${BASE}/requests.json?jurisdiction_id=wuhai.gov.cn`, remoteAddress: '10.0.0.60' });
    expect(res.json()).toHaveLength(2);
    expect(Number(res.headers['x-total-count'])).toBeGreaterThan(2);
    expect((await http.inject({ url: `${BASE}/discovery.json`, remoteAddress: '10.0.0.60' })).json().max_requests).toBe(2);
  });

  it('rate-limits per IP without a key and per key with one: 429 with Retry-After and an error list', async () => {
    const from = (ip: string, path: string, headers: Record<string, string> = {}) => http.inject({ url: `${BASE}${path}`, remoteAddress: ip, headers });
    for (let i = 0; i < 3; i++) expect((await from('10.0.0.1', `/services.json?${J}`)).statusCode).toBe(200);
    const limited = await from('10.0.0.1', `/services.json?${J}`);
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expectSchema('errors', limited.json());
    expect(limited.json()[0].code).toBe(429);
    const xml = await from('10.0.0.1', `/services.xml?${J}`);
    expect(xml.statusCode).toBe(429);
    expect(parseXml(xml.body).root).toBe('errors');
    // Another address has its own budget; a key has its own, whatever the address.
    expect((await from('10.0.0.2', `/services.json?${J}`)).statusCode).toBe(200);
    const keyed = [];
    for (let i = 0; i < 6; i++) keyed.push((await from('10.0.0.1', `/services.json?${J}`, { authorization: `Bearer ${otherKey}` })).statusCode);
    expect(keyed).toEqual([200, 200, 200, 200, 200, 429]);
  });

  it('counts guessed keys against the caller’s address', async () => {
    const codes = [];
    for (let i = 0; i < 4; i++) {
      const res = await http.inject({ method: 'POST', url: `${BASE}/requests.json`, remoteAddress: '10.0.0.9', payload: form([['api_key', `glk_guess${i}`], ['jurisdiction_id', '150300'], ['service_code', '06012']]), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      codes.push(res.statusCode);
    }
    expect(codes).toEqual([403, 403, 403, 429]);
  });
});
