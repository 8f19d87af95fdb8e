import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestEnv, dialectUnderTest, frozenClock, type TestEnv } from './helpers.js';
import { buildWorld, PLACES } from './world.js';
import { makeCtx } from '../src/context.js';
import { systemActor, type Actor } from '../src/auth/actor.js';
import { intakeCase } from '../src/cases/case.intake.js';
import { attachFile } from '../src/cases/attachment.service.js';
import { postUpdate } from '../src/open311/open311.updates.js';
import { caseRepository } from '../src/cases/case.repository.js';
import { verifyAuditTrail } from '../src/cases/case.audit.verify.js';

// Timeline sequence numbers are taken under the case row lock: comments and attachments written
// at the same time on one case all land, each with its own seq, and the hash chain stays whole.

const clock = frozenClock('2026-11-26T02:00:00Z');
const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a5b1d5a40000000049454e44ae426082', 'hex');
const apiKey: Actor = { kind: 'apikey', id: 7, name: 'fms', role: 'api', orgCode: '150300', orgPath: '/150300/', departmentId: null };
let env: TestEnv;

beforeAll(async () => {
  env = await createTestEnv({ clock });
  await buildWorld(env);
});
afterAll(() => env.close());

async function newCase() {
  const { case: c } = await intakeCase(makeCtx(env.app, systemActor()), { categoryCode: '06010', lon: PLACES.heping.lon, lat: PLACES.heping.lat, channel: 'patrol', description: '路边暴露垃圾', address: null });
  return c;
}

describe(`timeline seq under concurrency on ${dialectUnderTest}`, () => {
  it('lands every concurrent comment and attachment on one case with distinct seq', async () => {
    const c = await newCase();
    const N = 12;
    const writes = Array.from({ length: N }, (_, i) => i % 2 === 0
      ? attachFile(makeCtx(env.app, systemActor()), c.id, { bytes: Buffer.concat([png, Buffer.from([i])]), filename: `p${i}.png` }, 'before')
      : postUpdate(makeCtx(env.app, apiKey), { service_request_id: [String(c.id)], update_id: [`u${i}`], status: ['OPEN'], updated_datetime: ['2026-11-26T10:00:00+08:00'], description: [`第${i}条评论`] }));
    const settled = await Promise.allSettled(writes);
    expect(settled.filter((s) => s.status === 'rejected')).toEqual([]);
    const events = await caseRepository.timeline(env.app.store.db, c.id);
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: N + 1 }, (_, i) => i + 1));
    expect(events.filter((e) => e.action === 'attach')).toHaveLength(N / 2);
    expect((await verifyAuditTrail(env.app.store.db)).broken).toEqual([]);
  });

  it.runIf(dialectUnderTest === 'postgres')('makes the second writer wait for the first one\'s commit (forced race, PostgreSQL)', async () => {
    const c = await newCase();
    const db = env.app.store.db;
    const event = (note: string) => ({ case_id: c.id, at: clock().toISOString(), actor_kind: 'system', actor_id: 0, actor_name: 't', actor_role: 'admin', action: 'comment', note });
    const first = await db.startTransaction().execute();
    const second = await db.startTransaction().execute();
    try {
      await caseRepository.appendEvent(first, event('first'));
      const pending = caseRepository.appendEvent(second, event('second'));
      // Barrier: the second transaction is blocked in the database (on the case row lock; without
      // the lock it would have read seq 1 and be waiting on the unique index instead).
      for (;;) {
        const waiting = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`.execute(db);
        if (waiting.rows[0].n > 0) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      await first.commit().execute();
      await pending;
      await second.commit().execute();
    } catch (err) {
      await second.rollback().execute().catch(() => undefined);
      throw err;
    }
    const events = await caseRepository.timeline(db, c.id);
    expect(events.map((e) => [e.seq, e.note])).toEqual([[1, null], [2, 'first'], [3, 'second']]);
  });
});
