// `npm run bench -- kpi [--sizes 100000,1000000] [--reps N] [--days D]`
//
// Dashboard aggregates at scale. For each size, a SQLite store under bench/.stores/ is built once
// with `generateHistory` (the `gridloop generate` path: cases, timelines and roll-ups) and reused
// while the schema and the generator stay the same (bench/lib/generated-store.ts).
// Method: the same questions are asked two ways in the same process, one after the other:
//   Gridloop  kpiReport (GET /kpis) and the big-screen panels, answered from the roll-ups;
//   naive     one aggregate over the cases table per question (reported by created_at, closed and
//             closed by deadline by closed_at, in the org's subtree by org_path, grouped likewise).
// Questions: the city, a district, a street, a community and a grid × the last 30 days, a 30-day
// window a year back and the last 365 days × groupBy none and category. The figure is p95 per
// size; speedup = naive p95 ÷ Gridloop p95 at the larger size, growth = Gridloop p95 at the larger
// size ÷ at the smaller. gridloopMaxMs (the longest single Gridloop call, KPI or panel) bounds how
// long the event loop is held; the loop-delay monitor (loopMaxMs) also sees the naive queries.
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setImmediate as turn } from 'node:timers/promises';
import { sql } from 'kysely';
import { makeCtx, type AppContext } from '../src/context.js';
import { systemActor } from '../src/auth/actor.js';
import { kpiReport } from '../src/kpis/kpi.service.js';
import { screenAreas, screenCards, screenRankings, screenTrends } from '../src/screen/screen.service.js';
import { subtreeRange } from '../src/db/dialect.js';
import { openHistoryStore } from './lib/generated-store.js';

const { values } = parseArgs({ args: process.argv.slice(2).filter((a) => a !== 'kpi'), options: { sizes: { type: 'string' }, reps: { type: 'string' }, days: { type: 'string' }, full: { type: 'boolean' } }, strict: true });
const sizes = (values.sizes ?? (values.full ? '1000000,10000000' : '100000,1000000')).split(',').map(Number);
const reps = Number(values.reps ?? 3);
const days = Number(values.days ?? 730);

const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))];
const shift = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/** Org units to ask about: the city and the first unit of each level below it. */
async function orgsOf(app: AppContext) {
  const units = await app.store.db.selectFrom('org_units').select(['code', 'level', 'path']).orderBy('path').execute();
  return ['city', 'district', 'street', 'community', 'grid'].map((level) => units.find((u) => u.level === level)!).filter(Boolean);
}

/** The naive answer: one aggregate over the cases of the subtree. */
async function naive(app: AppContext, orgPath: string, from: string, to: string, byCategory: boolean) {
  const range = subtreeRange(orgPath);
  // local dates → UTC instants (Asia/Shanghai, +8 h)
  const lo = new Date(Date.parse(`${from}T00:00:00+08:00`)).toISOString();
  const hi = new Date(Date.parse(`${shift(to, 1)}T00:00:00+08:00`)).toISOString();
  let q = app.store.db.selectFrom('cases').where('org_path', '>=', range.from).where('org_path', '<', range.to)
    .select([
      sql<number>`sum(case when created_at >= ${lo} and created_at < ${hi} then 1 else 0 end)`.as('reported'),
      sql<number>`sum(case when closed_at >= ${lo} and closed_at < ${hi} and status = 'closed' then 1 else 0 end)`.as('closed'),
      sql<number>`sum(case when closed_at >= ${lo} and closed_at < ${hi} and status = 'closed' and closed_at <= deadline then 1 else 0 end)`.as('closedByDeadline'),
      sql<number>`sum(case when registered_at >= ${lo} and registered_at < ${hi} then 1 else 0 end)`.as('registered'),
    ]);
  if (byCategory) q = q.select('category_code').groupBy('category_code') as typeof q;
  return q.execute();
}

async function measure(size: number) {
  const app = await openHistoryStore(size, days);
  const ctx = makeCtx(app, systemActor());
  const orgs = await orgsOf(app);
  const today = '2026-11-30';
  const windows = [[shift(today, -29), today], [shift(today, -394), shift(today, -365)], [shift(today, -364), today]];
  const ours: number[] = [];
  const base: number[] = [];
  const panels: number[] = [];
  const loop = monitorEventLoopDelay({ resolution: 10 });
  // better-sqlite3 answers on the main thread: a question's wall time bounds how long it holds the
  // event loop. The delay monitor runs too, but it also sees the naive queries.
  loop.enable();
  for (let r = 0; r < reps; r++) {
    for (const org of orgs) {
      for (const [from, to] of windows) {
        for (const groupBy of ['none', 'category'] as const) {
          await turn(); // let the loop (and its delay monitor) run between questions, as between requests
          let t = performance.now();
          await kpiReport(ctx, { org: org.code, from, to, groupBy });
          ours.push(performance.now() - t);
          await turn();
          t = performance.now();
          await naive(app, org.path, from, to, groupBy === 'category');
          base.push(performance.now() - t);
        }
        for (const panel of [screenCards, screenAreas, screenRankings, screenTrends]) {
          await turn();
          const t = performance.now();
          await panel(ctx, { org: org.code, from, to });
          panels.push(performance.now() - t);
        }
      }
    }
  }
  loop.disable();
  await app.close();
  const line = { size, gridloopP95Ms: +p95(ours).toFixed(2), naiveP95Ms: +p95(base).toFixed(2), panelsP95Ms: +p95(panels).toFixed(2), gridloopMaxMs: +Math.max(...ours, ...panels).toFixed(1), naiveMaxMs: +Math.max(...base).toFixed(1), questions: ours.length, loopMaxMs: +(loop.max / 1e6).toFixed(1), loopP99Ms: +(loop.percentile(99) / 1e6).toFixed(1) };
  console.log(JSON.stringify(line));
  return line;
}

console.log(`kpi bench: sizes ${sizes.join(', ')}, ${days} days of history, ${reps} rounds; Gridloop (roll-ups) vs a naive aggregate over cases`);
const results = [];
for (const size of sizes) results.push(await measure(size));
const small = results[0];
const large = results[results.length - 1];
const summary = { bench: 'kpi', speedup: +(large.naiveP95Ms / large.gridloopP95Ms).toFixed(1), growth: +(large.gridloopP95Ms / small.gridloopP95Ms).toFixed(2) };
fs.mkdirSync('bench/results', { recursive: true });
fs.writeFileSync(`bench/results/kpi-${Date.now()}.json`, JSON.stringify({ method: 'kpiReport vs aggregate over cases', days, reps, results, summary }, null, 2));
console.log(JSON.stringify(summary));
process.exit(0);
