import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Migrator, sql } from 'kysely';
import { createTestEnv, dialectUnderTest, frozenClock, type TestEnv } from './helpers.js';
import { buildWorld, PLACES } from './world.js';
import { runCli } from './support/cli.js';
import { makeCtx } from '../src/context.js';
import { systemActor } from '../src/auth/actor.js';
import { intakeCase } from '../src/cases/case.intake.js';
import { transitionCase } from '../src/cases/case.transition.js';
import { attachFile } from '../src/cases/attachment.service.js';
import { sweepLights } from '../src/cases/case.sweeper.js';
import { migrations } from '../src/db/migrations/index.js';

// The timeline is tamper-evident: each event's hash chains to the case's previous event, and
// `gridloop audit verify` finds an event changed behind the database's back.

const HASH_MIGRATION = '2026-11-29T1200_event_hash_chain';
const clock = frozenClock('2026-11-26T02:00:00Z');
const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a5b1d5a40000000049454e44ae426082', 'hex');
let env: TestEnv;
const numbers: string[] = [];
let tampered: { id: number; number: string };

beforeAll(async () => {
  env = await createTestEnv({ clock });
  await buildWorld(env);
  const ctx = () => makeCtx(env.app, systemActor());
  for (let i = 0; i < 3; i++) {
    const { case: c } = await intakeCase(ctx(), { categoryCode: '06010', lon: PLACES.heping.lon, lat: PLACES.heping.lat, channel: 'patrol', description: `第${i}件：路边暴露垃圾`, address: null });
    let row = await transitionCase(ctx(), c.id, { action: 'verify', version: c.version, note: '已核实' });
    row = await transitionCase(ctx(), c.id, { action: 'register', version: row.version });
    await attachFile(ctx(), c.id, { bytes: png, filename: 'before.png' }, 'before');
    numbers.push(row.number);
    if (i === 1) tampered = { id: row.id, number: row.number };
  }
  clock.advance(3 * 86_400_000);
  await sweepLights(env.app);
});
afterAll(() => env.close());

const storeEnv = () => ({ GRIDLOOP_DATA_DIR: env.config.dataDir, DATABASE_URL: env.config.databaseUrl ?? '', GRIDLOOP_DEMO: '0' });

describe(`audit chain on ${dialectUnderTest}`, () => {
  it('gives every event a hash chained to the previous one', async () => {
    const events = await env.app.store.db.selectFrom('case_events').select(['case_id', 'seq', 'hash', 'action']).where('case_id', '=', tampered.id).orderBy('seq').execute();
    expect(events.map((e) => e.action).slice(0, 4)).toEqual(['report', 'verify', 'register', 'attach']);
    expect(events.some((e) => e.action === 'light')).toBe(true);
    expect(events.every((e) => /^[0-9a-f]{64}$/.test(e.hash ?? ''))).toBe(true);
    expect(new Set(events.map((e) => e.hash)).size).toBe(events.length);
  });

  it('`gridloop audit verify` exits 0 on an intact store', async () => {
    const r = await runCli(['audit', 'verify'], storeEnv());
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/audit: 3 cases, \d+ events: every chain intact/);
  });

  it('backfills the same hashes for rows written before the chain existed', async () => {
    const before = await env.app.store.db.selectFrom('case_events').select(['id', 'hash']).orderBy('id').execute();
    const migrator = new Migrator({ db: env.app.store.db, provider: { getMigrations: async () => migrations } });
    // Down to the store as it was before the hash column, then forward again: the migration's backfill.
    const names = Object.keys(migrations).sort();
    const down = await migrator.migrateTo(names[names.indexOf(HASH_MIGRATION) - 1]);
    expect(down.error).toBeUndefined();
    expect(down.results?.map((r) => r.migrationName)).toContain(HASH_MIGRATION);
    const up = await migrator.migrateToLatest();
    expect(up.error).toBeUndefined();
    const after = await env.app.store.db.selectFrom('case_events').select(['id', 'hash']).orderBy('id').execute();
    expect(after).toEqual(before);
  });

  it('fails naming the case and the first broken link when a row is edited behind the database', async () => {
    const db = env.app.store.db;
    if (dialectUnderTest === 'postgres') await sql`drop trigger case_events_no_update on case_events`.execute(db);
    else await sql`drop trigger case_events_no_update`.execute(db);
    await db.updateTable('case_events').set({ note: '已核实（改）' }).where('case_id', '=', tampered.id).where('seq', '=', 2).execute();
    const r = await runCli(['audit', 'verify'], storeEnv());
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`audit: case ${tampered.number} (id ${tampered.id}): chain broken at event seq 2 (hash mismatch)`);
    for (const n of numbers.filter((n) => n !== tampered.number)) expect(r.stdout).not.toContain(n);
    // Removing an event from the middle breaks the chain too.
    const other = numbers[0];
    const otherId = (await db.selectFrom('cases').select('id').where('number', '=', other).executeTakeFirstOrThrow()).id;
    if (dialectUnderTest === 'sqlite') await sql`drop trigger case_events_no_delete`.execute(db);
    await db.deleteFrom('case_events').where('case_id', '=', otherId).where('seq', '=', 3).execute();
    const again = await runCli(['audit', 'verify'], storeEnv());
    expect(again.code).toBe(1);
    expect(again.stdout).toContain(`audit: case ${other} (id ${otherId}): chain broken at event seq 4 (seq gap)`);
  });
});
