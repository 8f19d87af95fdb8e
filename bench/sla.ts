// `npm run bench -- sla`: the SLA sweep (issue 8, target 4). For two store sizes of open cases (a
// SQLite store per size under bench/.stores/, built once with `generateHistory` over one day, so
// nearly every case is still open, and copied before each run so every run starts alike), the sweeper's lights are first brought up to date as of END
// (arranging, not measured). Then, three times, the clock moves just far enough that the next
// `changing` cases (1 % of the larger size) are due, and two things run in the same process:
//   - Gridloop: `sweepLights` (reads the due cases by the `next_light_at` index, writes each change
//     with its timeline event, counters and notifications);
//   - naive: what a sweeper without that index must do: read every open case's stage clock and
//     compute its light (no writes).
// Target: Gridloop ≥ 20× faster than naive at the larger size, and the same number of changes in
// the smaller store (10× less backlog) costs within 1.5× (cost follows change, not backlog). Also
// reported: the finding part alone (the due cases read by the index, no writes) against the scan,
// and the cost per due case (growth compares it across the two backlogs).
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { sql } from 'kysely';
import { loadConfig } from '../src/config.js';
import { createAppContext } from '../src/boot.js';
import type { AppContext } from '../src/context.js';
import { generateHistory } from '../src/generate/generate.service.js';
import { sweepLights } from '../src/cases/case.sweeper.js';
import { clockFromJson } from '../src/cases/case.clock.js';
import { lightAt, nextLightChangeAt } from '../src/sla/lights.js';
import { getWorkCalendar } from '../src/sla/calendar.loader.js';
import { writeResult } from './lib/bench-store.js';
import { generatedStoreDir } from './lib/generated-store.js';
import { median, round } from './lib/http-load.js';

const { values } = parseArgs({ args: process.argv.slice(2).filter((a) => a !== 'sla'), options: { sizes: { type: 'string' }, reps: { type: 'string' }, full: { type: 'boolean' } }, strict: true });
const [small, large] = (values.sizes ?? (values.full ? '100000,1000000' : '10000,100000')).split(',').map(Number);
const REPS = Number(values.reps ?? 3);
const CHANGING = Math.max(1, Math.round(large / 100));
const END = new Date('2026-11-30T04:00:00Z');
const root = path.resolve('bench/.stores');
console.log(`sla: SQLite stores of ${small} and ${large} cases reported over one day (nearly all open); ${REPS} sweeps each of the next ${CHANGING} cases due (1 % of ${large}); naive full scan of open cases in the same process`);

type App = AppContext & { close(): Promise<void> };

const configFor = (dir: string) => loadConfig({ ...process.env, GRIDLOOP_DATA_DIR: dir, GRIDLOOP_DEMO: '0', DATABASE_URL: '' });

/**
 * A working copy of the size's pristine store (built once per schema and generator version, then
 * never swept), so that every run sweeps the same cases from the same state.
 */
async function open(size: number, now: () => Date): Promise<App> {
  const pristine = generatedStoreDir(root, `sla-${size}`);
  if (!fs.existsSync(path.join(pristine, 'built'))) {
    fs.rmSync(pristine, { recursive: true, force: true });
    const app = await createAppContext(configFor(pristine), () => END);
    const started = performance.now();
    console.log(`building ${size} cases in ${pristine} …`);
    const r = await generateHistory(app, { cases: size, seed: 4 + size, days: 1, end: END });
    console.log(`built: ${r.cases} cases in ${((performance.now() - started) / 1000).toFixed(0)} s`);
    await settle(app);
    await sql`analyze`.execute(app.store.db);
    await sql`pragma wal_checkpoint(truncate)`.execute(app.store.db);
    await app.close();
    fs.writeFileSync(path.join(pristine, 'built'), new Date().toISOString());
  }
  const work = `${pristine}-run`;
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(work, { recursive: true });
  for (const f of fs.readdirSync(pristine)) if (f.startsWith('gridloop.db')) fs.copyFileSync(path.join(pristine, f), path.join(work, f));
  return createAppContext(configFor(work), now);
}

/** Brings every open case's light and next change up to date as of END (what earlier sweeps would have left). */
async function settle(app: App): Promise<void> {
  const cal = getWorkCalendar(app);
  const rows = await app.store.db.selectFrom('cases').select(['id', 'stage_clock']).where('closed_at', 'is', null).where('stage_clock', 'is not', null).execute();
  await app.store.db.transaction().execute(async (trx) => {
    for (const row of rows) {
      const clock = clockFromJson(row.stage_clock)!;
      const next = nextLightChangeAt(clock, END, cal, app.config.lights);
      await trx.updateTable('cases').set({ light: lightAt(clock, END, cal, app.config.lights), next_light_at: next ? next.toISOString() : null }).where('id', '=', row.id).execute();
    }
  });
}

/** The instant by which the next `n` cases after `after` are due. */
async function dueBy(app: App, after: string, n: number): Promise<string> {
  const row = await app.store.db.selectFrom('cases').select('next_light_at').where('next_light_at', '>', after).orderBy('next_light_at').offset(n - 1).limit(1).executeTakeFirst();
  if (!row?.next_light_at) throw new Error(`fewer than ${n} cases change after ${after}`);
  return row.next_light_at;
}

/** The naive sweep: every open case's clock read and its light computed. */
async function naive(app: App, now: Date): Promise<number> {
  const cal = getWorkCalendar(app);
  const rows = await app.store.db.selectFrom('cases').select(['id', 'light', 'stage_clock']).where('closed_at', 'is', null).execute();
  let changed = 0;
  for (const row of rows) {
    const clock = clockFromJson(row.stage_clock);
    if (clock && lightAt(clock, now, cal, app.config.lights) !== row.light) changed++;
  }
  return changed;
}

async function measure(size: number) {
  let clock = END;
  const app = await open(size, () => clock);
  const open_ = Number((await app.store.db.selectFrom('cases').select((eb) => eb.fn.countAll().as('n')).where('closed_at', 'is', null).executeTakeFirstOrThrow()).n);
  let after = (await app.store.db.selectFrom('cases').select((eb) => eb.fn.max('updated_at').as('t')).executeTakeFirstOrThrow()).t as string;
  after = after > END.toISOString() ? after : END.toISOString();
  const gridloop: number[] = [];
  const select: number[] = [];
  const naiveMs: number[] = [];
  const loopMax: number[] = [];
  let changed = 0;
  for (let rep = 0; rep < REPS; rep++) {
    const due = await dueBy(app, after, CHANGING);
    clock = new Date(due);
    // The sweeper's way of finding its work, alone: the due cases read by the index, in batches.
    let t0 = performance.now();
    for (let seen = 0, page = 1; page > 0; seen += page) {
      const rows = await app.store.db.selectFrom('cases').selectAll().where('next_light_at', '<=', due).orderBy('next_light_at').orderBy('id').offset(seen).limit(app.config.sweeper.batchSize).execute();
      page = rows.length;
    }
    select.push(performance.now() - t0);
    t0 = performance.now();
    const loop = monitorEventLoopDelay({ resolution: 5 });
    loop.enable();
    const result = await sweepLights(app, clock, 1000);
    gridloop.push(performance.now() - t0);
    loop.disable();
    loopMax.push(loop.max / 1e6);
    changed += result.examined;
    t0 = performance.now();
    await naive(app, clock);
    naiveMs.push(performance.now() - t0);
    after = due;
  }
  await app.close();
  const examined = Math.round(changed / REPS);
  const out = { size, open: open_, examinedPerSweep: examined, gridloopMs: round(median(gridloop), 1), msPerDueCase: round(median(gridloop) / examined, 3), selectMs: round(median(select), 1), naiveMs: round(median(naiveMs), 1), loopMaxMs: round(Math.max(...loopMax), 1) };
  console.log(`${size}: ${open_} open; ${examined} due per sweep: whole sweep median ${out.gridloopMs} ms (${out.msPerDueCase} ms per due case), finding them by the index ${out.selectMs} ms; naive full scan ${out.naiveMs} ms (${round(out.naiveMs / out.gridloopMs, 1)}× the whole sweep, ${round(out.naiveMs / out.selectMs, 1)}× the finding); event loop held at most ${out.loopMaxMs} ms during the sweeps (batches of ${app.config.sweeper.batchSize})`);
  return out;
}

const a = await measure(small);
const b = await measure(large);
// growth: the cost per due case in the larger backlog against the smaller (same work, 10× backlog).
const result = { bench: 'sla', store: 'sqlite', speedup: round(b.naiveMs / b.gridloopMs, 2), findSpeedup: round(b.naiveMs / b.selectMs, 1), growth: round(b.msPerDueCase / a.msPerDueCase, 2) };
const file = writeResult('sla', 'sqlite', { ...result, sizes: [a, b], changing: CHANGING, reps: REPS });
console.log(`figures: ${file}`);
console.log(JSON.stringify(result));
