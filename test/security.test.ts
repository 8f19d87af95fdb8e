import { Writable } from 'node:stream';
import Fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildHttpApp } from '../src/app.js';
import { authPlugin } from '../src/auth/auth.plugin.js';
import { createApiKey } from '../src/auth/auth.service.js';
import { parseTrustProxy, type Config } from '../src/config.js';
import { open311Plugin } from '../src/open311/open311.plugin.js';
import { fastifyTrustProxy } from '../src/security/proxy.js';
import { redactUrl } from '../src/security/log.js';
import { createTestEnv, frozenClock, type TestEnv } from './helpers.js';
import { buildWorld, PASSWORD, PLACES, type World } from './world.js';
import { form } from './open311.helpers.js';

// The security baseline over HTTP: headers, the session cookie, CSRF, CORS and trust proxy.
// `env.http` sends raw requests (no automatic Origin); `proxied` is the same store behind a
// trusted proxy at 127.0.0.1 with a CORS allow-list and a trusted dev origin.
const clock = frozenClock('2026-11-26T02:00:00Z');
let env: TestEnv;
let world: World;
let proxied: FastifyInstance;
let apiKey: string;

async function appWith(config: Partial<Config>): Promise<FastifyInstance> {
  const http = await buildHttpApp({ ...env.app, config: { ...env.app.config, ...config } });
  await http.ready();
  return http;
}

beforeAll(async () => {
  env = await createTestEnv({ clock, browserOrigin: false });
  world = await buildWorld(env);
  proxied = await appWith({ trustProxy: ['127.0.0.1'], corsOrigins: ['https://fms.example'], trustedOrigins: ['http://localhost:5173'] });
  apiKey = (await createApiKey(env.sys(), { name: 'security test', orgCode: '150300' })).key;
});
afterAll(async () => {
  await proxied.close();
  await env.close();
});

const login = (http: FastifyInstance, username: string, password: string, headers: Record<string, string> = {}, remoteAddress = '127.0.0.1') =>
  http.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password }, headers, remoteAddress });
const sessionOf = (res: { cookies: { name: string; value: string }[] }) => `gridloop_session=${res.cookies.find((c) => c.name === 'gridloop_session')?.value}`;
const directives = (csp: string) => new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));
const caseCount = async () => Number((await env.app.store.db.selectFrom('cases').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
const reportBody = { categoryCode: '06010', lon: PLACES.heping.lon, lat: PLACES.heping.lat, description: '路边暴露垃圾', channel: 'patrol' };

describe('security headers', () => {
  it('are on JSON, HTML, XML, error and 404 answers alike', async () => {
    const answers = [
      await env.http.inject('/api/v1/health'),
      await env.http.inject('/api/docs/'),
      await env.http.inject('/open311/v2/services.xml'),
      await env.http.inject('/api/v1/me'),
      await env.http.inject('/api/v1/no/such/thing'),
      await login(env.http, 'nobody', 'wrong-password-1'),
    ];
    expect(answers.map((r) => r.statusCode)).toEqual([200, 200, 200, 401, 404, 401]);
    expect(answers[1].headers['content-type']).toMatch(/text\/html/);
    for (const res of answers) {
      expect(res.headers['x-content-type-options'], res.raw.req.url).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['x-frame-options']).toBe('DENY');
      const csp = directives(String(res.headers['content-security-policy']));
      expect(csp.get('default-src')).toEqual(["'self'"]);
      expect(csp.get('script-src')).toEqual(["'self'"]);
      expect(csp.get('style-src')).toEqual(["'self'", "'unsafe-inline'"]);
      expect(csp.get('img-src')).toEqual(["'self'", 'data:', 'blob:']);
      expect(csp.get('connect-src')).toEqual(["'self'"]);
      expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
      expect(csp.get('object-src')).toEqual(["'none'"]);
      expect(csp.get('base-uri')).toEqual(["'self'"]);
      expect(res.headers['strict-transport-security']).toBeUndefined();
    }
  });

  it('leave the API docs page working under the same policy: it has no inline script', async () => {
    const html = (await env.http.inject('/api/docs/')).body;
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, body] of scripts) {
      expect(attributes).toMatch(/\bsrc=/);
      expect(body.trim()).toBe('');
    }
  });

  it('add HSTS only to answers over HTTPS, as told by a trusted proxy', async () => {
    const https = { 'x-forwarded-proto': 'https' };
    expect((await proxied.inject({ url: '/api/v1/health', headers: https })).headers['strict-transport-security']).toBe('max-age=15552000');
    expect((await env.http.inject({ url: '/api/v1/health', headers: https })).headers['strict-transport-security']).toBeUndefined();
  });
});

describe('the session cookie', () => {
  it('is HttpOnly, SameSite=Lax, path / and not Secure over plain HTTP', async () => {
    const res = await login(env.http, 'workerA', PASSWORD);
    expect(res.statusCode).toBe(200);
    const set = String(res.headers['set-cookie']);
    expect(set).toMatch(/HttpOnly/);
    expect(set).toMatch(/SameSite=Lax/);
    expect(set).toMatch(/Path=\//);
    expect(set).not.toMatch(/Secure/);
  });

  it('is Secure over HTTPS behind a trusted proxy, and not when an untrusted peer claims HTTPS', async () => {
    expect(String((await login(proxied, 'workerA', PASSWORD, { 'x-forwarded-proto': 'https' })).headers['set-cookie'])).toMatch(/; Secure/);
    expect(String((await login(env.http, 'workerA', PASSWORD, { 'x-forwarded-proto': 'https' })).headers['set-cookie'])).not.toMatch(/Secure/);
  });

  it('is always Secure with GRIDLOOP_COOKIE_SECURE=always, and never with never', async () => {
    const always = await appWith({ cookieSecure: 'always' });
    const never = await appWith({ cookieSecure: 'never', trustProxy: ['127.0.0.1'] });
    try {
      expect(String((await login(always, 'workerA', PASSWORD)).headers['set-cookie'])).toMatch(/; Secure/);
      expect(String((await login(never, 'workerA', PASSWORD, { 'x-forwarded-proto': 'https' })).headers['set-cookie'])).not.toMatch(/Secure/);
    } finally {
      await always.close();
      await never.close();
    }
  });

  it('is rotated on login: a new session id, and the one the browser had before is ended', async () => {
    const first = sessionOf(await login(env.http, 'workerB', PASSWORD));
    const again = await login(env.http, 'workerB', PASSWORD, { cookie: first, origin: 'http://localhost' });
    expect(again.statusCode).toBe(200);
    const second = sessionOf(again);
    expect(second).not.toBe(first);
    expect((await env.http.inject({ url: '/api/v1/me', headers: { cookie: first } })).statusCode).toBe(401);
    expect((await env.http.inject({ url: '/api/v1/me', headers: { cookie: second } })).json().username).toBe('workerB');
  });
});

describe('CSRF', () => {
  const post = (http: FastifyInstance, headers: Record<string, string>) => http.inject({ method: 'POST', url: '/api/v1/cases', payload: reportBody, headers });

  it('refuses cookie-authenticated writes from a foreign, opaque or missing origin with 403 csrf_rejected, writing nothing', async () => {
    const before = await caseCount();
    const cases: Record<string, string>[] = [{ origin: 'https://evil.example' }, { origin: 'null' }, { referer: 'https://evil.example/page' }, {}, { origin: 'http://localhost:5173' }];
    for (const headers of cases) {
      const res = await post(env.http, { cookie: world.cookies.workerA, ...headers });
      expect(res.statusCode, JSON.stringify(headers)).toBe(403);
      expect(res.json().error).toBe('csrf_rejected');
    }
    expect(await caseCount()).toBe(before);
  });

  it('accepts same-origin writes by Origin or Referer', async () => {
    expect((await post(env.http, { cookie: world.cookies.workerA, origin: 'http://localhost' })).statusCode).toBe(201);
    expect((await post(env.http, { cookie: world.cookies.workerA, referer: 'http://localhost/desk/cases' })).statusCode).toBe(201);
  });

  it('sees our own origin through a trusted proxy, and accepts the configured trusted origins', async () => {
    const behind = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'city.example', origin: 'https://city.example' };
    expect((await post(proxied, { cookie: world.cookies.workerA, ...behind })).statusCode).toBe(201);
    expect((await post(env.http, { cookie: world.cookies.workerA, ...behind })).statusCode).toBe(403);
    expect((await post(proxied, { cookie: world.cookies.workerA, origin: 'http://localhost:5173' })).statusCode).toBe(201);
  });

  it('exempts API-key requests and cookieless clients, but refuses a login posted from a foreign page', async () => {
    const keyed = await post(env.http, { authorization: `Bearer ${apiKey}`, origin: 'https://evil.example' });
    expect(keyed.json().error).not.toBe('csrf_rejected');
    expect((await login(env.http, 'workerA', PASSWORD)).statusCode).toBe(200);
    const foreignLogin = await login(env.http, 'workerA', PASSWORD, { origin: 'https://evil.example' });
    expect(foreignLogin.statusCode).toBe(403);
    expect(foreignLogin.json().error).toBe('csrf_rejected');
  });

  it('lets an Open311 write from another origin through on its API key; an admin cookie alone authorises nothing there', async () => {
    const body = form([['api_key', apiKey], ['service_code', '06012'], ['lat', PLACES.heping.lat], ['long', PLACES.heping.lon], ['description', '道路不洁']]);
    const headers = { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://fms.example', cookie: world.cookies.admin };
    const res = await proxied.inject({ method: 'POST', url: '/open311/v2/requests.json', payload: body, headers });
    expect(res.statusCode, res.body).toBe(200);
    const noKey = await proxied.inject({ method: 'POST', url: '/open311/v2/requests.json', payload: form([['service_code', '06010']]), headers });
    expect(noKey.statusCode).toBe(403);
  });
});

describe('CORS', () => {
  it('is off by default', async () => {
    const res = await env.http.inject({ url: '/open311/v2/services.json', headers: { origin: 'https://fms.example' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('answers listed origins on /open311/* only, preflight included', async () => {
    const ok = await proxied.inject({ url: '/open311/v2/services.json', headers: { origin: 'https://fms.example' } });
    expect(ok.headers['access-control-allow-origin']).toBe('https://fms.example');
    expect(ok.headers['access-control-allow-credentials']).toBeUndefined();
    const other = await proxied.inject({ url: '/open311/v2/services.json', headers: { origin: 'https://evil.example' } });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    const api = await proxied.inject({ url: '/api/v1/health', headers: { origin: 'https://fms.example' } });
    expect(api.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await proxied.inject({ method: 'OPTIONS', url: '/open311/v2/requests.json', headers: { origin: 'https://fms.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('https://fms.example');
    expect(String(preflight.headers['access-control-allow-methods'])).toMatch(/POST/);
  });
});

describe('trust proxy', () => {
  it('parses addresses, CIDRs, names and hop counts, and refuses "true" and junk', () => {
    expect(parseTrustProxy('')).toBe(false);
    expect(parseTrustProxy('2')).toBe(2);
    expect(parseTrustProxy('127.0.0.1, 10.0.0.0/8,::1,loopback')).toEqual(['127.0.0.1', '10.0.0.0/8', '::1', 'loopback']);
    for (const bad of ['true', '10.0.0.0/33', 'proxy.example', '0', '1.2.3.4/8/1']) expect(() => parseTrustProxy(bad), bad).toThrow(/GRIDLOOP_TRUST_PROXY/);
  });

  it('keys the login throttle on the forwarded client behind a trusted proxy', async () => {
    const from = (ip: string) => ({ 'x-forwarded-for': ip });
    for (let i = 0; i < 10; i++) expect((await login(proxied, 'inspector', 'wrong-password', from('203.0.113.7'))).statusCode).toBe(401);
    expect((await login(proxied, 'inspector', PASSWORD, from('203.0.113.7'))).statusCode).toBe(429);
    // Another client behind the same proxy is not slowed down.
    expect((await login(proxied, 'inspector', PASSWORD, from('203.0.113.8'))).statusCode).toBe(200);
  });

  it('ignores X-Forwarded-For from an untrusted peer, so forging it escapes nothing', async () => {
    for (let i = 0; i < 10; i++) await login(env.http, 'leader', 'wrong-password', { 'x-forwarded-for': `198.51.100.${i}` }, '192.0.2.9');
    expect((await login(env.http, 'leader', PASSWORD, { 'x-forwarded-for': '198.51.100.99' }, '192.0.2.9')).statusCode).toBe(429);
  });

  it('keys the Open311 rate limit on the forwarded client', async () => {
    const http = Fastify({ trustProxy: fastifyTrustProxy(parseTrustProxy('1')) });
    await http.register(cookie);
    await http.register(multipart);
    await http.register(rateLimit, { global: false });
    await http.register(authPlugin, { app: env.app });
    await http.register(open311Plugin, { app: env.app, prefix: '/open311/v2', settings: { perIpPerMinute: 2 } });
    try {
      const get = (client: string) => http.inject({ url: '/open311/v2/services.json', headers: { 'x-forwarded-for': client }, remoteAddress: '10.1.1.1' });
      expect([(await get('203.0.113.1')).statusCode, (await get('203.0.113.1')).statusCode, (await get('203.0.113.1')).statusCode]).toEqual([200, 200, 429]);
      expect((await get('203.0.113.2')).statusCode).toBe(200);
    } finally {
      await http.close();
    }
  });
});

describe('request logs', () => {
  it('never contain API keys from the query string or headers, nor cookies', async () => {
    const lines: string[] = [];
    const logStream = new Writable({ write(chunk, _encoding, done) { lines.push(String(chunk)); done(); } });
    const http = await buildHttpApp(env.app, { logStream });
    try {
      await http.inject({ url: `/open311/v2/services.json?jurisdiction_id=150300&api_key=${apiKey}` });
      await http.inject({ url: `/open311/v2/requests.json?API_KEY=${apiKey}x&status=open` });
      await http.inject({ url: '/api/v1/me', headers: { authorization: `Bearer ${apiKey}`, 'x-api-key': apiKey, cookie: world.cookies.admin } });
    } finally {
      await http.close();
    }
    const log = lines.join('');
    expect(lines.filter((l) => l.includes('request completed')).length).toBe(3);
    expect(log).toContain('api_key=[redacted]');
    expect(log).toContain('API_KEY=[redacted]&status=open');
    expect(log).not.toContain(apiKey);
    expect(log).not.toContain(world.cookies.admin.split('=')[1]);
  });

  it('redacts secret parameters and keeps the rest of the URL', () => {
    expect(redactUrl('/a?x=1&api_key=glk_s3cret&y=2')).toBe('/a?x=1&api_key=[redacted]&y=2');
    expect(redactUrl('/a?api%5Fkey=glk_s3cret')).toBe('/a?api%5Fkey=[redacted]');
    expect(redactUrl('/a?keys=1&token')).toBe('/a?keys=1&token');
    expect(redactUrl('/plain')).toBe('/plain');
  });
});

describe('login never locks a user out of a correct password', () => {
  it('after the limit, a correct password succeeds once the short backoff has passed', async () => {
    const at = { 'x-forwarded-for': '198.51.100.20' };
    for (let i = 0; i < 10; i++) await login(proxied, 'citizen', 'wrong-password', at);
    const early = await login(proxied, 'citizen', PASSWORD, at);
    expect(early.statusCode).toBe(429);
    const wait = Number(early.headers['retry-after']);
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(60);
    clock.advance(wait * 1000);
    expect((await login(proxied, 'citizen', PASSWORD, at)).statusCode).toBe(200);
  });

  it('from an address where the user logged in before, a correct password succeeds at once', async () => {
    const home = { 'x-forwarded-for': '198.51.100.30' };
    expect((await login(proxied, 'handler', PASSWORD, home)).statusCode).toBe(200);
    for (let i = 0; i < 15; i++) await login(proxied, 'handler', 'wrong-password', home);
    expect((await login(proxied, 'handler', PASSWORD, home)).statusCode).toBe(200);
  });
});
