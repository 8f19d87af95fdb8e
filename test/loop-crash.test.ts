import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { createScratchDatabase, dialectUnderTest } from './helpers.js';
import { loadConfig } from '../src/config.js';
import { openDatabase, type Db } from '../src/db/database.js';
import { createAppContext } from '../src/boot.js';
import { makeCtx } from '../src/context.js';
import { systemActor } from '../src/auth/actor.js';
import { intakeCase } from '../src/cases/case.intake.js';
import { KPI_COUNTER_KEYS } from '../src/kpis/formulas.js';

// Crash safety: a child process writes cases through the domain functions and acknowledges each
// write on stdout after it resolved; the parent SIGKILLs it at a random-ish moment, reopens the
// store and checks that every acknowledged write is there and that no transition is half-done.

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

interface Ack {
  id: number;
  version: number;
  status: string;
  action: string;
}

/** Runs the writer until `target` acknowledgements, kills it with SIGKILL; returns every ack it printed. */
async function runAndKill(env: Record<string, string>, target: number): Promise<{ acks: Ack[]; signal: NodeJS.Signals | null; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/crash-writer.ts'], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const acks: Ack[] = [];
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  // Every line the child printed was printed after its write resolved: lines still in the pipe
  // after the kill are acknowledgements too, so read to the end.
  for await (const line of createInterface({ input: child.stdout })) {
    if (line === 'ready') continue;
    acks.push(JSON.parse(line) as Ack);
    if (acks.length === target) child.kill('SIGKILL');
  }
  return { acks, signal: await exited, stderr };
}

async function count(db: Db, table: 'cases' | 'case_events'): Promise<number> {
  return Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
}

describe(`crash safety on ${dialectUnderTest}`, () => {
  it('keeps every acknowledged write and no half-done transition after SIGKILL', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'gridloop-crash-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const scratch = await createScratchDatabase();
    if (scratch) cleanups.push(() => scratch.drop());
    const target = 40 + Math.floor(Math.random() * 120);

    const { acks, signal, stderr } = await runAndKill({ GRIDLOOP_DATA_DIR: dataDir, DATABASE_URL: scratch?.url ?? '' }, target);
    expect(signal, stderr).toBe('SIGKILL');
    expect(acks.length).toBeGreaterThanOrEqual(target);

    const config = loadConfig({ GRIDLOOP_DATA_DIR: dataDir, DATABASE_URL: scratch?.url, GRIDLOOP_DEMO: '0' });
    const store = openDatabase(config);
    try {
      const db = store.db;
      if (store.dialect === 'sqlite') {
        expect((await sql<{ integrity_check: string }>`pragma integrity_check`.execute(db)).rows).toEqual([{ integrity_check: 'ok' }]);
        expect((await sql`pragma foreign_key_check`.execute(db)).rows).toEqual([]);
      }
      const cases = await db.selectFrom('cases').select(['id', 'version', 'status', 'number']).execute();
      const events = await db.selectFrom('case_events').select(['case_id', 'seq', 'action', 'to_status']).orderBy('case_id').orderBy('seq').execute();
      const byCase = new Map(cases.map((c) => [c.id, { ...c, events: [] as typeof events }]));
      for (const e of events) byCase.get(e.case_id)?.events.push(e);

      // 1. Every acknowledged write is there: the case, at least that version, and the very event.
      for (const a of acks) {
        const c = byCase.get(a.id);
        if (!c) throw new Error(`acknowledged case ${a.id} is missing`);
        expect(c.version, `case ${a.id}`).toBeGreaterThanOrEqual(a.version);
        expect(c.events[a.version - 1], `case ${a.id} v${a.version}`).toMatchObject({ seq: a.version, action: a.action, to_status: a.status });
      }
      // 2. No half-done transition: one event per version, in order, the last one naming the status.
      for (const c of byCase.values()) {
        expect(c.events.map((e) => e.seq), `case ${c.id}`).toEqual(Array.from({ length: c.version }, (_, i) => i + 1));
        expect(c.events[0].action).toBe('report');
        expect(c.events.at(-1)?.to_status, `case ${c.id}`).toBe(c.status);
      }
      expect(events.every((e) => byCase.has(e.case_id))).toBe(true);
      // 3. The KPI counters are what the events imply, to the unit.
      const sums = await db.selectFrom('kpi_rollup').where('org_level', '=', 'city').where('grain', '=', 'd').select(KPI_COUNTER_KEYS.map((k) => sql<number>`sum(${sql.ref(k.replace(/[A-Z]/g, (ch) => `_${ch.toLowerCase()}`))})`.as(k))).executeTakeFirstOrThrow();
      const n = (action: string) => events.filter((e) => e.action === action).length;
      expect(Object.fromEntries(Object.entries(sums).map(([k, v]) => [k, Number(v ?? 0)]))).toMatchObject({
        reported: cases.length, registered: n('register'), shouldClose: n('register'), rejected: n('reject'), dispatched: n('dispatch'),
        handled: n('complete'), reworked: n('check_fail'), closed: n('close'), voided: 0, callbacks: 0,
      });
      // 4. Case numbers: one per case, none used twice; on SQLite none lost either (the counter is
      // bumped in the intake's transaction). PostgreSQL's sequence may leave gaps (case.numbers.ts).
      expect(new Set(cases.map((c) => c.number)).size).toBe(cases.length);
      if (dialectUnderTest === 'sqlite') {
        const numbers = await db.selectFrom('case_number_counters').select((eb) => eb.fn.sum<number>('last').as('n')).executeTakeFirstOrThrow();
        expect(Number(numbers.n)).toBe(cases.length);
      }
      expect(cases.length).toBeGreaterThanOrEqual(new Set(acks.map((a) => a.id)).size);
      expect(await count(db, 'case_events')).toBe(events.length);
    } finally {
      await store.close();
    }

    // 5. The application boots on the recovered store and keeps numbering where it stopped.
    const app = await createAppContext(config);
    try {
      const before = await count(app.store.db, 'cases');
      const { case: next } = await intakeCase(makeCtx(app, systemActor()), { categoryCode: '06010', lon: 106.8005, lat: 39.6705, description: '崩溃后的新上报', channel: 'patrol' });
      expect(next.id).toBeGreaterThan(Math.max(...acks.map((a) => a.id)));
      expect(next.version).toBe(1);
      expect(await count(app.store.db, 'cases')).toBe(before + 1);
    } finally {
      await app.close();
    }
  }, 120_000);
});
