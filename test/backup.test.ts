import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createScratchDatabase, createTestEnv, dialectUnderTest, frozenClock, type TestEnv } from './helpers.js';
import { buildWorld, PLACES } from './world.js';
import { runCli } from './support/cli.js';
import { makeCtx } from '../src/context.js';
import { systemActor } from '../src/auth/actor.js';
import { intakeCase } from '../src/cases/case.intake.js';
import { transitionCase } from '../src/cases/case.transition.js';
import { attachFile, readAttachment } from '../src/cases/attachment.service.js';
import { loadConfig } from '../src/config.js';
import { createAppContext } from '../src/boot.js';

// gridloop backup DIR / gridloop restore DIR: the restored store has the same rows, intact hash
// chains and the attachment files, and restore says so (or says what differs).

const clock = frozenClock('2026-11-26T02:00:00Z');
const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a5b1d5a40000000049454e44ae426082', 'hex');
const work = mkdtempSync(path.join(tmpdir(), 'gridloop-backup-'));
const cleanups: (() => Promise<void> | void)[] = [() => rmSync(work, { recursive: true, force: true })];
let env: TestEnv;
let attached: { caseId: number; attachmentId: number };

beforeAll(async () => {
  env = await createTestEnv({ clock });
  await buildWorld(env);
  const ctx = () => makeCtx(env.app, systemActor());
  for (let i = 0; i < 4; i++) {
    const { case: c } = await intakeCase(ctx(), { categoryCode: '06010', lon: PLACES.heping.lon, lat: PLACES.heping.lat, channel: 'patrol', description: `备份测试 ${i}`, address: null });
    await transitionCase(ctx(), c.id, { action: 'verify', version: c.version, note: '已核实' });
    const a = await attachFile(ctx(), c.id, { bytes: Buffer.concat([png, Buffer.from([i])]), filename: `p${i}.png` }, 'before');
    attached = { caseId: c.id, attachmentId: a.id };
  }
});
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
  await env.close();
});

const sourceEnv = () => ({ GRIDLOOP_DATA_DIR: env.config.dataDir, DATABASE_URL: env.config.databaseUrl ?? '', GRIDLOOP_DEMO: '0', GRIDLOOP_ATTACHMENT_DIR: undefined });

/** A new empty target: a data dir, plus a new database on PostgreSQL runs. */
async function emptyTarget(): Promise<Record<string, string | undefined>> {
  const dataDir = mkdtempSync(path.join(work, 'restore-'));
  const scratch = await createScratchDatabase();
  if (scratch) cleanups.push(() => scratch.drop());
  return { GRIDLOOP_DATA_DIR: dataDir, DATABASE_URL: scratch?.url ?? '', GRIDLOOP_DEMO: '0', GRIDLOOP_ATTACHMENT_DIR: undefined };
}

const noPgDump = dialectUnderTest === 'postgres' && spawnSync('pg_dump', ['--version']).status !== 0;
if (noPgDump) console.warn('backup.test: pg_dump is not installed; the PostgreSQL backup/restore tests are skipped');

describe.skipIf(noPgDump)(`backup and restore on ${dialectUnderTest}`, () => {
  const dir = path.join(work, 'backup-1');

  it('backs up the running store and its attachments into a new directory', async () => {
    const r = await runCli(['backup', dir], sourceEnv());
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ format: 'gridloop-backup-1', store: dialectUnderTest, attachments: 4 });
    expect(manifest.counts.cases).toBe(4);
    expect(manifest.counts.case_events).toBe(12);
    expect(existsSync(path.join(dir, manifest.database))).toBe(true);
    const again = await runCli(['backup', dir], sourceEnv());
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('backup_failed');
  });

  it('restores into an empty store with the same rows, intact chains and attachments', async () => {
    const target = await emptyTarget();
    const r = await runCli(['restore', dir], target);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/restore: verified: \d+ tables with the backup's row counts, 4 cases and 12 events with intact chains, 4 attachment files/);
    const restored = await createAppContext(loadConfig(target));
    try {
      const rows = (db: typeof restored.store.db) => db.selectFrom('case_events').select(['case_id', 'seq', 'action', 'note', 'hash']).orderBy('case_id').orderBy('seq').execute();
      expect(await rows(restored.store.db)).toEqual(await rows(env.app.store.db));
      const file = await readAttachment(makeCtx(restored, systemActor()), attached.caseId, attached.attachmentId);
      expect(Buffer.compare(file.bytes, Buffer.concat([png, Buffer.from([3])]))).toBe(0);
    } finally {
      await restored.close();
    }
    const twice = await runCli(['restore', dir], target);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain('backup_failed');
  });

  it('says what differs when the restored store does not match the backup', async () => {
    const bad = path.join(work, 'backup-bad');
    expect((await runCli(['backup', bad], sourceEnv())).code).toBe(0);
    const manifestFile = path.join(bad, 'manifest.json');
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
    writeFileSync(manifestFile, JSON.stringify({ ...manifest, counts: { ...manifest.counts, cases: 5 } }));
    const first = (await env.app.store.db.selectFrom('case_attachments').select('sha256').orderBy('id').executeTakeFirstOrThrow()).sha256;
    rmSync(path.join(bad, 'attachments', first.slice(0, 2), first.slice(2, 4), first));
    const r = await runCli(['restore', bad], await emptyTarget());
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('restore: table cases has 4 rows, the backup had 5');
    expect(r.stdout).toContain(`restore: attachment ${first} is missing`);
  });
});
