import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createTestEnv, dialectUnderTest, type TestEnv } from './helpers.js';
import { buildWorld, PASSWORD, PLACES, type World } from './world.js';
import { actorFromSession, login } from '../src/auth/auth.service.js';
import type { Actor } from '../src/auth/actor.js';

// Two simultaneous transitions on one case: exactly one wins. The race is forced, not hoped for:
// two child processes (test/support/race-writer.ts), each with its own connection to the store,
// run `dispatch` on the same cases, with a barrier between each transition's read of the case and
// its write.
// - PostgreSQL: the barrier holds both until both have read the same version inside their
//   transactions; then both write. The second UPDATE waits for the first one's row lock and must
//   then find the version moved: version_conflict.
// - SQLite: transactions begin with BEGIN IMMEDIATE (src/db/database.ts), so the second racer
//   cannot even read until the first has committed; the parent releases the first racer once both
//   have started, the second waits on the write lock, then reads the new version and must answer
//   version_conflict. The test asserts that serialisation (the second read sees version 4).
//
// Proved by mutation (2026-11-29): with the version condition removed from
// `caseRepository.updateAtVersion` (`.where('version', '=', version)` deleted), this test failed
// on PostgreSQL in 3 of 3 runs, already in round 0 each time (both dispatchers won, both at
// version 4). On SQLite the mutant passed 2 of 2 (then with deferred transactions, where SQLite
// refused the stale writer with SQLITE_BUSY; now with BEGIN IMMEDIATE the two cannot interleave at
// all): on SQLite the store's locking, not that condition, prevents the lost update. See
// docs/TESTING.md.

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ROUNDS = 5;

let env: TestEnv;
let world: World;
beforeAll(async () => {
  env = await createTestEnv();
  world = await buildWorld(env);
});
const children: ChildProcessWithoutNullStreams[] = [];
afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await env?.close();
});

interface Outcome {
  id: number;
  ok: boolean;
  version?: number;
  departmentId?: number;
  code?: string;
  message?: string;
}

async function actorOf(username: string): Promise<Actor> {
  const actor = await actorFromSession(env.app, (await login(env.app, username, PASSWORD)).token);
  if (!actor) throw new Error(`no actor for ${username}`);
  return actor;
}

/** Starts one racer; `lines` yields what it prints. */
function racer(caseIds: number[], version: number, departmentId: number, actor: Actor) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/race-writer.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      GRIDLOOP_DATA_DIR: env.config.dataDir,
      DATABASE_URL: env.config.databaseUrl ?? '',
      RACE_CASES: caseIds.join(','),
      RACE_VERSION: String(version),
      RACE_DEPARTMENT: String(departmentId),
      RACE_ACTOR: JSON.stringify(actor),
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  }) as ChildProcessWithoutNullStreams;
  children.push(child);
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, lines: createInterface({ input: child.stdout }), stderr: () => stderr };
}

const post = (who: keyof World['cookies'], url: string, payload: object) =>
  env.http.inject({ method: 'POST', url, payload, headers: { cookie: world.cookies[who] } });

/** A case in `registered` (version 3), ready to be dispatched. */
async function registeredCase(): Promise<number> {
  const created = await post('workerA', '/api/v1/cases', { categoryCode: '06010', lon: PLACES.heping.lon, lat: PLACES.heping.lat, description: '路边暴露垃圾', channel: 'patrol' });
  expect(created.statusCode, created.body).toBe(201);
  const id = created.json().id as number;
  expect((await post('dispatcher', `/api/v1/cases/${id}/transitions`, { action: 'verify', version: 1 })).statusCode).toBe(200);
  expect((await post('dispatcher', `/api/v1/cases/${id}/transitions`, { action: 'register', version: 2 })).statusCode).toBe(200);
  return id;
}

describe(`a forced race of two transitions on ${dialectUnderTest}`, () => {
  it('lets exactly one of two dispatchers win when both read the same version', async () => {
    const ids: number[] = [];
    for (let i = 0; i < ROUNDS; i++) ids.push(await registeredCase());
    const version = 3;
    const racers = [
      { dept: world.departments.HW, ...racer(ids, version, world.departments.HW, await actorOf('dispatcher')) },
      { dept: world.departments.CG, ...racer(ids, version, world.departments.CG, await actorOf('hbDispatcher')) },
    ];
    const tell = (line: string) => {
      for (const r of racers) r.child.stdin.write(`${line}\n`);
    };
    const reads = new Map<number, number[]>();
    const started = new Map<number, number>();
    const released = new Set<number>();
    const release = (id: number) => {
      const both = (reads.get(id)?.length ?? 0) === 2;
      const sqliteFirst = dialectUnderTest === 'sqlite' && started.get(id) === 2 && (reads.get(id)?.length ?? 0) >= 1;
      if (released.has(id) || !(both || sqliteFirst)) return;
      released.add(id);
      tell(`go ${id}`);
    };
    const outcomes: Outcome[][] = [[], []];
    let ready = 0;
    await Promise.all(racers.map(async (r, which) => {
      for await (const line of r.lines) {
        const [word, id, seen] = line.split(' ');
        if (word === 'ready') {
          if (++ready === 2) tell(`begin ${ids[0]}`);
          continue;
        }
        if (line.startsWith('{')) {
          outcomes[which].push(JSON.parse(line) as Outcome);
          const round = outcomes[which].length - 1;
          if (outcomes[1 - which].length > round && round + 1 < ids.length) tell(`begin ${ids[round + 1]}`);
          continue;
        }
        if (word === 'start') started.set(Number(id), (started.get(Number(id)) ?? 0) + 1);
        if (word === 'read') reads.set(Number(id), [...(reads.get(Number(id)) ?? []), Number(seen)]);
        release(Number(id));
      }
    }));
    for (const r of racers) expect(await r.exited, r.stderr()).toBe(0);

    for (const [round, id] of ids.entries()) {
      // PostgreSQL: the barrier held, both transactions read the case at the same version before
      // writing. SQLite: the second could read only after the first committed.
      expect(reads.get(id), `round ${round}`).toEqual(dialectUnderTest === 'postgres' ? [version, version] : [version, version + 1]);
      const [a, b] = [outcomes[0][round], outcomes[1][round]];
      expect([a.id, b.id]).toEqual([id, id]);
      const winners = [a, b].filter((o) => o.ok);
      expect(winners, `round ${round}: ${JSON.stringify([a, b])}`).toHaveLength(1);
      const loser = a.ok ? b : a;
      expect(loser.code, loser.message).toBe('version_conflict');
      const winnerDept = a.ok ? racers[0].dept : racers[1].dept;
      expect(winners[0]).toMatchObject({ version: version + 1, departmentId: winnerDept });

      const stored = (await env.http.inject({ url: `/api/v1/cases/${id}`, headers: { cookie: world.cookies.admin } })).json();
      expect(stored).toMatchObject({ status: 'dispatched', version: version + 1, departmentId: winnerDept });
      const timeline = (await env.http.inject({ url: `/api/v1/cases/${id}/timeline`, headers: { cookie: world.cookies.admin } })).json();
      expect(timeline.filter((e: { action: string }) => e.action === 'dispatch')).toHaveLength(1);
      expect(timeline.map((e: { seq: number }) => e.seq)).toEqual([1, 2, 3, 4]);
    }
  });
});
