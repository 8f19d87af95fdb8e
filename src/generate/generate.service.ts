import type { AppContext } from '../context.js';
import { makeCtx } from '../context.js';
import { systemActor, type Role } from '../auth/actor.js';
import { authRepository } from '../auth/auth.repository.js';
import { catalogueRepository } from '../catalogue/catalogue.repository.js';
import { categoryTimeLimits, routeCase } from '../catalogue/catalogue.service.js';
import { getWorkflow } from '../cases/workflow/index.js';
import { buildDemoCity } from '../demo/demo.js';
import { gridRepository } from '../grids/grid.repository.js';
import { seededRandom } from '../grids/grid.synthetic.js';
import { interiorPoint, polygonsOf, type GridGeometry } from '../grids/geometry.js';
import { KpiRollupBatch } from '../kpis/kpi.rollup.js';
import { orgRepository } from '../org/org.repository.js';
import { getWorkCalendar } from '../sla/calendar.loader.js';
import { fromLocal, toLocal, zoneOffsetMs } from '../time/zoned-time.js';
import { AppError } from '../errors.js';
import { generateRepository } from './generate.repository.js';
import { simulateCase, type NewCaseRow, type NewEventRow, type SimActor, type SimCaseInput } from './generate.sim.js';
import { countCase } from './generate.counts.js';

export interface GenerateOptions {
  cases: number;
  seed: number;
  /** Days of history before `end` the cases are reported over. */
  days: number;
  end: Date;
  /** Cases per transaction. */
  batch?: number;
  onProgress?: (done: number, total: number) => void;
  /** false: row-by-row index upkeep even into an empty SQLite store (tests compare both ways). */
  fast?: boolean;
}

/** The category mix (code, weight, channel), after the demo history's (demo.history.ts). */
const MIX: [string, number, string][] = [
  ['06010', 14, 'patrol'], ['06012', 10, 'patrol'], ['06036', 7, 'patrol'], ['09006', 7, 'patrol'], ['09009', 6, 'patrol'],
  ['07001', 6, 'patrol'], ['06013', 4, 'patrol'], ['06042', 4, 'patrol'], ['01001', 2, 'patrol'], ['01003', 2, 'patrol'],
  ['08004', 3, 'patrol'], ['06028', 3, 'web'], ['06027', 2, 'web'], ['04002', 1, 'patrol'], ['10001', 1, 'patrol'],
  ['L1202', 5, 'hotline'], ['L1203', 6, 'hotline'], ['L1204', 3, 'hotline'], ['L1201', 4, 'hotline'], ['L1207', 3, 'hotline'],
];
/** Share of reports by local hour. */
const HOURLY = [0.2, 0.1, 0.1, 0.1, 0.1, 0.3, 0.8, 2, 5, 8, 9, 8, 5, 4, 7, 8, 8, 7, 5, 3, 2, 1.5, 1, 0.5];
const DAY = 86_400_000;
/** Bumped whenever the same seed would write different history: bench stores are keyed by it. */
export const GENERATOR_VERSION = 2;
const ROLLUP_FLUSH_AT = 60_000;

type Category = Omit<SimCaseInput['category'], never> & { workflow: string; row: Awaited<ReturnType<typeof catalogueRepository.findCategoriesByCode>>[number] };

/**
 * Writes `cases` cases of realistic history, reported over `days` days up to `end`, in batches:
 * each case simulated through the workflow engine, stage clocks and counter rules the API uses
 * (generate.sim.ts), its timeline with the hash chain, and its roll-up counters, all in one
 * transaction per batch. Deterministic for a seed on an identical store. Loads the demo city
 * first when the store has no org units. Returns the counts written.
 */
export async function generateHistory(app: AppContext, opts: GenerateOptions): Promise<{ cases: number; events: number }> {
  const ctx = makeCtx(app, systemActor());
  if ((await orgRepository.countByLevel(app.store.db, '/')).length === 0) await buildDemoCity(ctx);
  const rand = seededRandom(opts.seed);
  const grids = (await gridRepository.listShapes(app.store.db, '/')).map((g) => {
    const [lon, lat] = interiorPoint(polygonsOf(JSON.parse(g.geometry) as GridGeometry));
    return { code: g.code, path: g.path, lon, lat };
  });
  if (!grids.length) throw new AppError('validation_failed', 'the store has no grids to report in');
  const categories: (Category & { weight: number; channel: string })[] = [];
  for (const [code, weight, channel] of MIX) {
    const [c] = await catalogueRepository.findCategoriesByCode(app.store.db, code);
    if (c) categories.push({ id: c.id, code: c.code, classCode: c.class_code, priority: c.priority, limits: categoryTimeLimits(c), workflow: c.workflow, row: c, weight, channel });
  }
  if (!categories.length) throw new AppError('validation_failed', 'none of the generator\'s categories is in the store');
  const departments = (await catalogueRepository.listDepartments(app.store.db)).map((d) => d.id);
  const actors = await actorsByRole(app);
  const cal = getWorkCalendar(app);
  const tz = app.config.timeZone;
  const prefix = app.config.caseNumberPrefix;
  const serials = await generateRepository.numberCounters(app.store.db, prefix);
  const routes = new Map<string, number | null>();
  const totalWeight = categories.reduce((s, c) => s + c.weight, 0);
  const hourTotal = HOURLY.reduce((s, h) => s + h, 0);
  const pick = <T extends { weight: number }>(items: T[], total: number) => {
    let r = rand() * total;
    for (const item of items) if ((r -= item.weight) < 0) return item;
    return items[items.length - 1];
  };
  const endDay = toLocal(opts.end, tz).date;
  const firstDay = Date.parse(`${endDay}T00:00:00Z`) - (opts.days - 1) * DAY;
  let nextId = (await generateRepository.maxCaseId(app.store.db)) + 1;
  const firstId = nextId;
  // Into an empty SQLite store, indexes are built once at the end instead of row by row.
  const bulk = app.store.dialect === 'sqlite' && firstId === 1 && opts.fast !== false ? await generateRepository.beginBulkLoad(app.store.db) : null;
  const batchSize = opts.batch ?? 5000;
  let written = 0;
  let eventCount = 0;
  const rollup = new KpiRollupBatch();
  const timing = { insert: 0, rollup: 0 };
  const offsets = new Map<number, number>();
  /** The city's wall clock as a UTC date (read it with getUTC…), from a per-hour offset cache. */
  const localTime = (ms: number) => {
    const hour = Math.floor(ms / 3_600_000);
    let offset = offsets.get(hour);
    if (offset === undefined) offsets.set(hour, (offset = zoneOffsetMs(ms, tz)));
    return new Date(ms + offset);
  };
  while (written < opts.cases) {
    const n = Math.min(batchSize, opts.cases - written);
    const times: number[] = [];
    for (let i = 0; i < n; i++) {
      const day = new Date(firstDay + Math.floor(((written + i + rand()) / opts.cases) * opts.days) * DAY).toISOString().slice(0, 10);
      let h = rand() * hourTotal;
      let hour = 0;
      while ((h -= HOURLY[hour]) >= 0 && hour < 23) hour++;
      times.push(Math.min(fromLocal(day, hour * 3_600_000 + Math.floor(rand() * 3_600_000), tz), opts.end.getTime()));
    }
    times.sort((a, b) => a - b);
    const rows: NewCaseRow[] = [];
    const events: NewEventRow[] = [];
    for (const t of times) {
      const createdAt = new Date(t);
      const category = pick(categories, totalWeight);
      const grid = grids[Math.floor(rand() * grids.length)];
      const routeKey = `${category.code}|${grid.path.split('/')[2] ?? ''}`;
      if (!routes.has(routeKey)) routes.set(routeKey, (await routeCase(ctx, { category: category.row, orgPath: grid.path, channel: category.channel, at: createdAt })).department?.id ?? null);
      const routed = routes.get(routeKey) ?? null;
      const day = toLocal(createdAt, tz).date;
      const serial = (serials.get(day) ?? 0) + 1;
      serials.set(day, serial);
      const hotline = category.workflow === 'hotline';
      const sim = simulateCase({
        id: nextId++, number: `${prefix}${day.replace(/-/g, '')}${String(serial).padStart(6, '0')}`, createdAt, end: opts.end,
        def: getWorkflow(category.workflow), category, channel: category.channel, grid, routedDepartmentId: routed,
        dispatchDepartmentId: routed ?? departments[Math.floor(rand() * departments.length)], cityCode: app.config.cityCode,
        actors: { reporter: hotline ? actors.dispatcher : actors.grid_worker, dispatcher: actors.dispatcher, handler: actors.handler, inspector: actors.inspector },
        rand, lateChance: 0.12,
      }, cal);
      rows.push(sim.row);
      events.push(...sim.events);
      countCase(rollup, sim.counts, t, localTime);
    }
    await app.store.db.transaction().execute(async (trx) => {
      const t0 = performance.now();
      await generateRepository.insertCases(trx, rows, events);
      const t1 = performance.now();
      // Counters of many batches merge in memory (a city-day row is written once, not per batch).
      if (rollup.size > ROLLUP_FLUSH_AT || written + n >= opts.cases) await rollup.flush(trx);
      timing.insert += t1 - t0;
      timing.rollup += performance.now() - t1;
    });
    written += n;
    eventCount += events.length;
    opts.onProgress?.(written, opts.cases);
  }
  const t2 = performance.now();
  if (bulk) await generateRepository.endBulkLoad(app.store.db, bulk, firstId);
  console.error(`generate: ${Math.round(timing.insert)} ms inserting cases and events, ${Math.round(timing.rollup)} ms writing roll-ups, ${Math.round(performance.now() - t2)} ms building indexes`);
  await generateRepository.saveNumberCounters(app.store.db, prefix, serials);
  await generateRepository.syncCaseSequence(app.store.db, app.store.dialect);
  return { cases: written, events: eventCount };
}

/** Event actors: the demo users of each role when they exist, else a system actor in that role. */
async function actorsByRole(app: AppContext): Promise<Record<'dispatcher' | 'handler' | 'inspector' | 'grid_worker', SimActor>> {
  const find = async (username: string, role: Role): Promise<SimActor> => {
    const u = await authRepository.findUserByUsername(app.store.db, username);
    return u ? { kind: 'user', id: u.id, name: u.display_name || u.username, role: u.role as Role } : { kind: 'system', id: 0, name: `generator-${role}`, role };
  };
  return { dispatcher: await find('dispatcher', 'dispatcher'), handler: await find('handler', 'handler'), inspector: await find('inspector', 'inspector'), grid_worker: await find('gridworker', 'grid_worker') };
}
