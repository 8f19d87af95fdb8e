import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestEnv, dialectUnderTest, frozenClock, type TestEnv } from './helpers.js';
import { buildWorld, PLACES, type World } from './world.js';
import { intakeCase } from '../src/cases/case.intake.js';
import { caseRepository, type CaseRow } from '../src/cases/case.repository.js';
import { EXPORT_BATCH, streamCases } from '../src/cases/case.query.js';
import { makeCtx } from '../src/context.js';
import { systemActor } from '../src/auth/actor.js';

// GET /cases.csv must run in flat memory however many cases match: the rows are read in bounded
// batches, and only as fast as the client takes the CSV (backpressure), never gathered first.
// No timing is asserted: a paused client must stop the reading far short of the end, by a margin
// (hundreds of thousands of rows against a few MiB of socket buffers) that no machine load changes.

const clock = frozenClock('2026-11-26T02:00:00Z');
let env: TestEnv;
let world: World;
let base: string;
const REAL = 520;

beforeAll(async () => {
  env = await createTestEnv({ clock });
  world = await buildWorld(env);
  const ctx = makeCtx(env.app, systemActor());
  for (let i = 0; i < REAL; i++) await intakeCase(ctx, { categoryCode: '06010', lon: PLACES.heping.lon, lat: PLACES.heping.lat, channel: 'patrol', description: `井盖缺失 ${i}`, address: null });
  await env.http.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(env.http.server.address() as AddressInfo).port}`;
}, 300_000);
afterAll(() => env.close());
afterEach(() => vi.restoreAllMocks());

/** Opens GET `path` with the admin's cookie and resolves with the response, paused by its reader. */
function open(path: string): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    http.get(`${base}${path}`, { headers: { cookie: world.cookies.admin } }, resolve).on('error', reject);
  });
}

/** Line breaks in a buffer (no test row holds one inside a field). */
function lineBreaks(chunk: Buffer): number {
  let n = 0;
  for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) n++;
  return n;
}

/** Reads a response to the end; returns its line breaks. */
async function lines(res: http.IncomingMessage): Promise<number> {
  let n = 0;
  for await (const chunk of res as AsyncIterable<Buffer>) n += lineBreaks(chunk);
  return n;
}

/**
 * Makes caseRepository.listBatch answer `total` cases made up from one real row (newest first),
 * so that an export far larger than the store can run; served() tells how many it handed out.
 */
async function fakeCases(total: number) {
  let model: CaseRow | undefined;
  for await (const row of streamCases(makeCtx(env.app, systemActor()), {})) {
    model = row;
    break;
  }
  if (!model) throw new Error('no case to model the rows on');
  const like = model;
  let served = 0;
  vi.spyOn(caseRepository, 'listBatch').mockImplementation(async (_db, _dialect, _scope, _filter, _after, limit) => {
    const n = Math.min(limit, total - served);
    const rows = Array.from({ length: n }, (_, i) => ({ ...like, id: total - served - i, number: `CSV${String(total - served - i).padStart(8, '0')}` }));
    served += n;
    return rows;
  });
  return { served: () => served };
}

describe(`CSV export memory on ${dialectUnderTest}`, () => {
  it('reads the store in batches of at most EXPORT_BATCH rows, as many as the rows need', async () => {
    const spy = vi.spyOn(caseRepository, 'listBatch');
    const res = await open('/api/v1/cases.csv');
    expect(res.statusCode).toBe(200);
    const rows = (await lines(res)) - 1;
    expect(rows).toBeGreaterThanOrEqual(REAL);
    // The last batch is the first one short of EXPORT_BATCH (possibly empty).
    expect(spy.mock.calls.map((c) => c[5])).toEqual(Array(Math.floor(rows / EXPORT_BATCH) + 1).fill(EXPORT_BATCH));
  });

  it('reads no further than a paused client takes, then finishes when it reads on', async () => {
    const TOTAL = 300_000;
    const fake = await fakeCases(TOTAL);
    const res = await open('/api/v1/cases.csv');
    expect(res.statusCode).toBe(200);
    // Take the first chunk, then stop reading until the server has had every chance to run ahead.
    const first = await new Promise<Buffer>((resolve) => res.once('data', (chunk: Buffer) => {
      res.pause();
      resolve(chunk);
    }));
    expect(first.length).toBeGreaterThan(0);
    let seen = -1;
    while (seen !== fake.served()) {
      seen = fake.served();
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(fake.served()).toBeLessThan(TOTAL / 10);
    res.resume();
    // The first chunk (the header and the first rows) was already taken out of the stream.
    expect(lineBreaks(first) + (await lines(res))).toBe(TOTAL + 1);
    expect(fake.served()).toBe(TOTAL);
  }, 120_000);

  it('lets the event loop turn while it exports', async () => {
    // better-sqlite3 answers synchronously and a client that keeps up keeps every write
    // synchronous: without a turn of the loop between chunks, an export would hold the server
    // until its last row. inject() writes in memory, like such a client; a timer set before it
    // starts must fire long before the end.
    const TOTAL = 100_000;
    const fake = await fakeCases(TOTAL);
    let servedAtTimer = -1;
    setTimeout(() => { servedAtTimer = fake.served(); }, 0);
    const res = await env.http.inject({ url: '/api/v1/cases.csv', headers: { cookie: world.cookies.admin } });
    expect(res.statusCode).toBe(200);
    expect(fake.served()).toBe(TOTAL);
    expect(servedAtTimer).toBeGreaterThanOrEqual(0);
    expect(servedAtTimer).toBeLessThan(TOTAL / 10);
  }, 120_000);
});
