import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, dialectUnderTest, type TestEnv } from './helpers.js';
import { buildWorld, PASSWORD, PLACES, type World } from './world.js';
import { startInstance, type Instance } from './support/instances.js';
import { connectLive, type SseClient } from './support/sse.js';

// Issue 8, "Several instances on PostgreSQL": two real `gridloop serve` processes (their own
// ports, one database) must work as one system. The store is the small test world, built
// in-process; the servers share its data directory (the PII key file), load no demo city and run
// the SLA sweeper every second on whichever of them leads.

const onPostgres = dialectUnderTest === 'postgres';
if (!onPostgres) console.log('cluster.test.ts: skipped on SQLite (several instances need PostgreSQL; set DATABASE_URL)');

const LEADER_QUERY = `select a.application_name as name from pg_locks l join pg_stat_activity a on a.pid = l.pid
  where l.locktype = 'advisory' and l.classid = 47678 and l.objid = 1 and l.granted
    and l.database = (select oid from pg_database where datname = current_database())`;

/** Polls `probe` every 100 ms until it returns a value other than undefined (or fails after `ms`). */
async function eventually<T>(what: string, probe: () => Promise<T | undefined>, ms = 10_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.skipIf(!onPostgres)('several gridloop serve instances on one PostgreSQL database', () => {
  let env: TestEnv;
  let world: World;
  let a: Instance;
  let b: Instance;
  let db: pg.Client;

  beforeAll(async () => {
    const t0 = Date.now();
    env = await createTestEnv();
    world = await buildWorld(env);
    console.log(`cluster: store ready in ${Date.now() - t0} ms`);
    const shared = {
      DATABASE_URL: env.config.databaseUrl ?? '',
      GRIDLOOP_DATA_DIR: env.config.dataDir,
      GRIDLOOP_DEMO: '0',
      GRIDLOOP_SWEEP_SECONDS: '1',
      GRIDLOOP_LEADER_POLL_SECONDS: '1',
      GRIDLOOP_LIVE_HEARTBEAT_SECONDS: '1',
      OPEN311_RATE_PER_IP: '20',
    };
    // Started together: the boot lock lets them migrate and boot one after the other.
    const t1 = Date.now();
    [a, b] = await Promise.all([startInstance('A', shared), startInstance('B', shared)]);
    console.log(`cluster: both instances up in ${Date.now() - t1} ms`);
    db = new pg.Client({ connectionString: env.config.databaseUrl });
    await db.connect();
  }, 150_000);

  afterAll(async () => {
    await Promise.all([a?.kill(), b?.kill()]);
    await db?.end().catch(() => undefined);
    await env?.close();
  });

  const report = (description: string) => ({ categoryCode: '06010', lon: PLACES.heping.lon, lat: PLACES.heping.lat, description, channel: 'patrol' });
  const post = (on: Instance, path: string, body: unknown, cookie = world.cookies.admin, method = 'POST') =>
    on.fetch(path, { method, cookie, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('a session made on one instance works on the other, and ends on both', async () => {
    const login = await post(a, '/api/v1/auth/login', { username: 'dispatcher', password: PASSWORD }, '');
    expect(login.status).toBe(200);
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
    expect(cookie).toMatch(/^gridloop_session=/);
    const me = await b.fetch('/api/v1/me', { cookie });
    expect(me.status).toBe(200);
    expect((await me.json()).username).toBe('dispatcher');
    // A's own write (the login) drops its cache once more 250 ms later: read after that, so the
    // session stays in A's reference cache.
    await new Promise((r) => setTimeout(r, 400));
    expect((await a.fetch('/api/v1/me', { cookie })).status).toBe(200);
    expect((await post(b, '/api/v1/auth/logout', {}, cookie)).status).toBe(200);
    // A drops the session from its cache on B's notification, well before the cache's 15 s expiry.
    await eventually('A forgets the session', async () => ((await a.fetch('/api/v1/me', { cookie })).status === 401 ? true : undefined), 5_000);
  });

  it('a case created on A reaches a live-feed client of B', async () => {
    const live: SseClient = await connectLive(b.url, world.cookies.admin);
    try {
      expect(live.status).toBe(200);
      const sent = performance.now();
      const res = await post(a, '/api/v1/cases', report('A 上报，B 直播'));
      expect(res.status).toBe(201);
      const created = await res.json();
      const event = await live.waitFor((e) => e.event === 'case.created' && e.data.id === created.id, 10_000);
      console.log(`cluster: case ${created.number} created on A reached B's live feed ${(event.receivedAt - sent).toFixed(0)} ms after the POST was sent`);
      expect(event.data.number).toBe(created.number);
    } finally {
      live.close();
    }
  });

  it('a calendar day changed on A changes the deadlines B computes', async () => {
    const query = '/api/v1/calendar/deadline?start=2027-03-10T09:00:00%2B08:00&amount=2&unit=work_days';
    const deadline = async (on: Instance) => (await (await on.fetch(query, { cookie: world.cookies.admin })).json()).deadline as string;
    const before = await deadline(b);
    const put = await post(a, '/api/v1/calendar/days/2027-03-11', { isWorkday: false, name: '集群测试' }, world.cookies.admin, 'PUT');
    expect(put.status).toBe(200);
    const onA = await deadline(a);
    expect(onA).not.toBe(before);
    const onB = await eventually('B sees the new calendar', async () => {
      const d = await deadline(b);
      return d === before ? undefined : d;
    });
    expect(onB).toBe(onA);
  });

  it('grids imported on A are found by B', async () => {
    const locate = async (on: Instance) => (await (await on.fetch('/api/v1/locate?lon=106.9005&lat=39.6005')).json()) as { grid: { code: string } | null };
    expect((await locate(b)).grid).toBeNull();
    const square = [[[106.9, 39.6], [106.91, 39.6], [106.91, 39.61], [106.9, 39.61], [106.9, 39.6]]];
    const res = await post(a, '/api/v1/grids/import', {
      type: 'FeatureCollection',
      features: [{ type: 'Feature', properties: { community: '150302001003', code: '150302001003002', name: '集群网格' }, geometry: { type: 'Polygon', coordinates: square } }],
    });
    expect(res.status, await res.clone().text()).toBe(200);
    const grid = await eventually('B locates the new grid', async () => (await locate(b)).grid ?? undefined);
    expect(grid.code).toBe('150302001003002');
  });

  it('a routing rule added on A routes the cases B receives', async () => {
    const explain = async () => (await (await post(b, '/api/v1/routing/explain', { categoryCode: '06010', orgCode: PLACES.gongyuan.community, channel: 'patrol' })).json()) as { department: { code: string } | null };
    const before = (await explain()).department?.code;
    const target = before === 'CG' ? 'HW' : 'CG';
    const rule = await post(a, '/api/v1/routing-rules', { name: '集群规则', position: 0, categoryCode: '06010', orgCode: PLACES.gongyuan.community, departmentCode: target });
    expect(rule.status).toBe(201);
    const after = await eventually('B routes by the new rule', async () => {
      const code = (await explain()).department?.code;
      return code === before ? undefined : code;
    });
    expect(after).toBe(target);
  });

  it('B survives losing its LISTEN connection: its clients get resync, and events flow again', async () => {
    const live = await connectLive(b.url, world.cookies.admin);
    try {
      const { rows } = await db.query<{ n: number }>(
        "select count(pg_terminate_backend(pid))::int as n from pg_stat_activity where application_name like $1", [`gridloop:%-${b.pid}-%`]);
      expect(rows[0].n).toBe(1);
      await b.waitForOutput('link to PostgreSQL restored', 20_000);
      await live.waitFor((e) => e.event === 'resync', 5_000);
      expect((await b.fetch('/api/v1/health')).status).toBe(200);
      const res = await post(a, '/api/v1/cases', report('重连之后'));
      const created = await res.json();
      await live.waitFor((e) => e.event === 'case.created' && e.data.id === created.id, 10_000);
    } finally {
      live.close();
    }
  });

  it('shares the Open311 budget per address across instances', async () => {
    // OPEN311_RATE_PER_IP=20 per minute: 24 requests, alternating between A and B.
    const statuses: number[] = [];
    for (let i = 0; i < 24; i++) statuses.push((await (i % 2 ? b : a).fetch('/open311/v2/services.json')).status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(20);
    expect(statuses.filter((s) => s === 429)).toHaveLength(4);
  });

  it('counts failed logins across instances (the throttle is shared)', async () => {
    // A user name never logged in from this address (a known address would skip the backoff).
    const attempt = (on: Instance) => post(on, '/api/v1/auth/login', { username: 'nobody-here', password: 'wrong-password' }, '');
    // 10 failures of one (address, user) start the backoff: five on each instance.
    for (let i = 0; i < 10; i++) expect((await attempt(i % 2 ? b : a)).status).toBe(401);
    const refused = await attempt(a);
    expect(refused.status).toBe(429);
    expect((await refused.json()).error).toBe('too_many_requests');
  });

  it('exactly one instance leads the periodic jobs, and the other takes over within a minute of its death', async () => {
    const holders = async () => (await db.query<{ name: string }>(LEADER_QUERY)).rows.map((r) => r.name);
    const first = await eventually('a leader', async () => ((await holders()).length === 1 ? (await holders())[0] : undefined));
    const leader = [a, b].find((i) => first.includes(`-${i.pid}-`));
    const follower = [a, b].find((i) => i !== leader);
    if (!leader || !follower) throw new Error(`the leader lock is held by ${first}, neither A (${a.pid}) nor B (${b.pid})`);
    await leader.waitForOutput('now leads the periodic jobs', 1_000);
    const killed = Date.now();
    await leader.kill('SIGKILL');
    const next = await eventually('a new leader', async () => {
      const names = await holders();
      return names.length === 1 && names[0].includes(`-${follower.pid}-`) ? names[0] : undefined;
    }, 60_000);
    console.log(`cluster: ${follower.name} took the leadership ${Date.now() - killed} ms after ${leader.name} was killed (kill -9)`);
    expect(next).toContain(`-${follower.pid}-`);
    await follower.waitForOutput('now leads the periodic jobs', 5_000);
  }, 70_000);
});
