import type { AppContext, Ctx } from '../context.js';
import type { Actor, Role } from '../auth/actor.js';
import { authRepository } from '../auth/auth.repository.js';
import { categoryTimeLimits, resolveCategory } from '../catalogue/catalogue.service.js';
import { catalogueRepository } from '../catalogue/catalogue.repository.js';
import { gridRepository } from '../grids/grid.repository.js';
import { interiorPoint, polygonsOf, type GridGeometry } from '../grids/geometry.js';
import { seededRandom } from '../grids/grid.synthetic.js';
import { getWorkCalendar } from '../sla/calendar.loader.js';
import { addWorkingTime, type TimeLimit } from '../sla/working-time.js';
import { localDate, localParts } from '../time/zone.js';
import { intakeCase } from '../cases/case.intake.js';
import { transitionCase, type TransitionRequest } from '../cases/case.transition.js';
import { sweepLights } from '../cases/case.sweeper.js';
import { caseRepository, type CaseRow } from '../cases/case.repository.js';
import type { Channel } from '../cases/case.channels.js';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { MinHeap } from './min-heap.js';
import { closeFraction, demoProfile, drawSatisfaction, lateChance } from './demo.profile.js';

/** The category mix of the demo history: code, relative weight, channel. */
const MIX: [string, number, Channel][] = [
  ['06010', 14, 'patrol'], ['06012', 10, 'patrol'], ['06036', 7, 'patrol'], ['09006', 7, 'patrol'], ['09009', 6, 'patrol'],
  ['07001', 6, 'patrol'], ['06013', 4, 'patrol'], ['06042', 4, 'patrol'], ['01001', 2, 'patrol'], ['01003', 2, 'patrol'],
  ['08004', 3, 'patrol'], ['06028', 3, 'web'], ['06027', 2, 'web'], ['04002', 1, 'patrol'], ['10001', 1, 'patrol'],
  ['L1202', 5, 'hotline'], ['L1203', 6, 'hotline'], ['L1204', 3, 'hotline'], ['L1201', 4, 'hotline'], ['L1207', 3, 'hotline'],
  ['LYH02', 2, 'staff'], ['LHH02', 1, 'patrol'], ['LYH01', 1, 'patrol'], ['LGZ02', 1, 'sensor'],
];

/** Share of reports by local hour (a day's rhythm: morning patrols, afternoon calls). */
const HOURLY = [0.2, 0.1, 0.1, 0.1, 0.1, 0.3, 0.8, 2, 5, 8, 9, 8, 5, 4, 7, 8, 8, 7, 5, 3, 2, 1.5, 1, 0.5];

export interface HistoryOptions {
  /** How many days before `end` the history covers. */
  days: number;
  /** Average reports per working day (weekends get about half). */
  casesPerDay: number;
  seed: number;
  /** The history stops here; later steps of open cases are left undone (they are open now). */
  end: Date;
  /** Stops the build between two steps (server shutdown). */
  signal?: AbortSignal;
}

export interface HistoryReport {
  cases: number;
  transitions: number;
  sweeps: number;
}

interface Step {
  at: number;
  caseId: number;
  run: () => Promise<void>;
}

/**
 * Builds months of synthetic but realistic case history through the same domain functions the
 * API uses (intake, transitions, the SLA sweeper), in time order on a simulated clock: a category
 * mix, a daily and weekly rhythm, handling times drawn around each limit (some late), rework,
 * suspensions, callbacks with satisfaction. Deterministic for a seed and an end instant.
 * Skipped when the store already holds cases.
 */
export async function buildDemoHistory(app: AppContext, opts: HistoryOptions, onProgress?: (done: number, total: number) => void): Promise<HistoryReport> {
  const db = app.store.db;
  const existing = await db.selectFrom('cases').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  if (Number(existing.n) > 0) return { cases: 0, transitions: 0, sweeps: 0 };
  const rand = seededRandom(opts.seed);
  const sim = await simulation(app, rand, opts.end.getTime());
  const heap = new MinHeap<Step>((a, b) => a.at - b.at || a.caseId - b.caseId);
  const report: HistoryReport = { cases: 0, transitions: 0, sweeps: 0 };
  const endMs = opts.end.getTime();
  const reports = planReports(app, opts, rand);
  reports.forEach((at, i) => heap.push({ at, caseId: -reports.length + i, run: () => sim.report(at, heap, report) }));
  let nextSweep = reports[0] ?? endMs;
  let done = 0;
  while (heap.size > 0) {
    const step = heap.pop()!;
    if (step.at >= endMs || opts.signal?.aborted) break;
    while (nextSweep <= step.at) {
      await sweepLights(app, new Date(nextSweep));
      report.sweeps++;
      nextSweep += 3_600_000;
    }
    await step.run();
    // better-sqlite3 answers synchronously, so without this the build would hold the event loop
    // and a server started beside it could not answer until it finished.
    await yieldToEventLoop();
    if (++done % 2000 === 0) onProgress?.(report.cases, reports.length);
  }
  await sweepLights(app, opts.end);
  return report;
}

/** Report instants over the period, sorted, with weekday/weekend and hour-of-day rhythm. */
function planReports(app: AppContext, opts: HistoryOptions, rand: () => number): number[] {
  const out: number[] = [];
  const hourTotal = HOURLY.reduce((a, b) => a + b, 0);
  const start = opts.end.getTime() - opts.days * 86_400_000;
  for (let d = 0; d < opts.days; d++) {
    const dayStart = start + d * 86_400_000;
    const weekday = localParts(new Date(dayStart), app.config.timeZone).weekday;
    const n = Math.round(opts.casesPerDay * (weekday >= 6 ? 0.5 : 1) * (0.7 + rand() * 0.6));
    for (let i = 0; i < n; i++) {
      let r = rand() * hourTotal;
      let hour = 0;
      while (r > HOURLY[hour] && hour < 23) r -= HOURLY[hour++];
      out.push(dayStart + hour * 3_600_000 + Math.floor(rand() * 3_600_000));
    }
  }
  return out.sort((a, b) => a - b);
}

/** The demo citizen's phone: their reports can be tracked on /report/track with its last 4 digits, 1503. */
export const DEMO_CITIZEN_PHONE = '13900001503';

async function simulation(app: AppContext, rand: () => number, endMs: number) {
  const db = app.store.db;
  const grids = (await gridRepository.listShapes(db, '/')).map((g) => ({ code: g.code, path: g.path, point: interiorPoint(polygonsOf(JSON.parse(g.geometry) as GridGeometry)) }));
  if (grids.length === 0) throw new Error('the demo history needs grids: run the demo city first');
  const departments = await catalogueRepository.listDepartments(db);
  const fallbackDept = departments.find((d) => d.code === 'CG') ?? departments[0];
  const deptCode = new Map(departments.map((d) => [d.id, d.code]));
  const profile = demoProfile(grids.map((g) => g.path.split('/').filter(Boolean)[2] ?? ''));
  const lateFor = (row: CaseRow) => rand() < lateChance(profile, {
    streetCode: row.street_code, departmentCode: deptCode.get(row.department_id ?? -1) ?? null, categoryCode: row.category_code, day: localDate(new Date(row.created_at), app.config.timeZone),
  });
  const users = new Map<string, number>();
  for (const name of ['dispatcher', 'hotline', 'handler', 'inspector', 'leader', 'gridworker', 'citizen']) users.set(name, (await authRepository.findUserByUsername(db, name))?.id ?? 0);
  const actor = (name: string, role: Role, orgPath = '/150300/', departmentId: number | null = null): Actor => ({ kind: 'user', id: users.get(name) ?? 0, name, role, orgCode: orgPath.split('/').filter(Boolean).at(-1) ?? '150300', orgPath, departmentId });
  const ctxAt = (a: Actor, at: number): Ctx => ({ app, actor: a, db, now: new Date(at) });
  const cal = getWorkCalendar(app);
  const totalWeight = MIX.reduce((s, m) => s + m[1], 0);
  const pickMix = () => {
    let r = rand() * totalWeight;
    for (const m of MIX) if ((r -= m[1]) <= 0) return m;
    return MIX[0];
  };
  const after = (at: number, minMinutes: number, maxMinutes: number) => at + Math.round((minMinutes + rand() * (maxMinutes - minMinutes)) * 60_000);

  async function act(row: CaseRow, who: Actor, at: number, req: Omit<TransitionRequest, 'version'>, report: HistoryReport): Promise<CaseRow> {
    // The sweeper may have moved the case on (a light change bumps its version): act on the latest.
    const current = (await caseRepository.findById(db, row.id)) ?? row;
    const next = await transitionCase(ctxAt(who, at), row.id, { ...req, version: current.version });
    report.transitions++;
    return next;
  }

  // The demo citizen made a few of the web reports themself (every 10th, and all of the last two weeks),
  // so their "my reports" on /report holds open and closed cases. No extra random draws: the
  // history stays the same for a seed.
  let webReports = 0;
  const byCitizen = (channel: Channel, at: number) => channel === 'web' && (++webReports % 10 === 0 || at > endMs - 14 * 86_400_000);

  async function report(at: number, heap: MinHeap<Step>, rep: HistoryReport): Promise<void> {
    const [code, , channel] = pickMix();
    const grid = grids[Math.floor(rand() * grids.length)];
    const category = await resolveCategory(ctxAt(actor('dispatcher', 'dispatcher'), at), code);
    const citizen = byCitizen(channel, at);
    const reporter = citizen ? actor('citizen', 'citizen') : channel === 'hotline' ? actor('hotline', 'dispatcher') : channel === 'patrol' ? actor('gridworker', 'grid_worker', grid.path.split('/').slice(0, 5).join('/') + '/') : actor('dispatcher', 'dispatcher');
    const phone = channel === 'hotline' || channel === 'web' ? `139${String(Math.floor(rand() * 1e8)).padStart(8, '0')}` : null;
    const created = await intakeCase(ctxAt(reporter, at), {
      categoryCode: code, lon: grid.point[0], lat: grid.point[1], channel,
      description: `${category.name}（演示数据）`, address: null,
      reporter: phone ? { name: '市民', phone: citizen ? DEMO_CITIZEN_PHONE : phone } : undefined,
    });
    rep.cases++;
    const limits = categoryTimeLimits(category);
    const plan = category.workflow === 'hotline' ? hotlinePlan(created.case, limits.handle) : urbanPlan(created.case, limits.handle);
    // The demo citizen's reports of the last ten days are still being worked on, so "my reports" shows open ones too.
    schedule(heap, created.case, citizen && at > endMs - 10 * 86_400_000 ? plan.slice(0, 2) : plan, rep);
  }

  type Plan = { at: (prevAt: number, row: CaseRow) => number; who: (row: CaseRow) => Actor; req: (row: CaseRow) => Omit<TransitionRequest, 'version'>; stop?: boolean }[];

  function schedule(heap: MinHeap<Step>, row: CaseRow, plan: Plan, rep: HistoryReport, index = 0, prevAt = Date.parse(row.created_at)): void {
    const step = plan[index];
    if (!step) return;
    const at = step.at(prevAt, row);
    heap.push({ at, caseId: row.id, run: async () => {
      const next = await act(row, step.who(row), at, step.req(row), rep);
      if (!step.stop) schedule(heap, next, plan, rep, index + 1, at);
    } });
  }

  const handlerFor = (row: CaseRow) => actor('handler', 'handler', '/150300/', row.department_id);
  const deptOf = (row: CaseRow) => row.department_id ?? fallbackDept.id;

  /**
   * Instants at fractions of the case's handling limit, counted in working time from intake like
   * the deadline itself: the case closes at `total` of its limit (past 1 when late), the early
   * steps take a small share and the handling most of it. Each step is at least a minute after
   * the one before.
   */
  const marks = (row: CaseRow, limit: TimeLimit, total: number) => (fraction: number, capMinutes?: number) => (prev: number) => {
    const planned = addWorkingTime(new Date(row.created_at), limit.amount * total * Math.min(1, fraction * (0.97 + rand() * 0.06)), limit.unit, cal).getTime();
    // The first steps (核实, 立案, 派遣, 签收) take minutes of working time whatever the case's limit.
    const capped = capMinutes === undefined ? planned : Math.min(planned, addWorkingTime(new Date(prev), (capMinutes * (0.3 + rand() * 0.7)) / 60, 'work_hours', cal).getTime());
    return Math.max(prev + 60_000, capped);
  };

  function urbanPlan(row: CaseRow, handle: TimeLimit | undefined): Plan {
    const limit = handle ?? { amount: 1, unit: 'work_days' };
    const dispatcher = actor('dispatcher', 'dispatcher');
    if (rand() < 0.05) return [{ at: (p) => after(p, 10, 60), who: () => dispatcher, req: () => ({ action: 'reject', note: '不符合立案条件' }), stop: true }];
    const at = marks(row, limit, closeFraction(lateFor(row), rand));
    const inspector = actor('inspector', 'inspector');
    const plan: Plan = [
      { at: at(0.05, 60), who: () => dispatcher, req: () => ({ action: 'verify' }) },
      { at: at(0.09, 40), who: () => dispatcher, req: () => ({ action: 'register' }) },
      { at: at(0.14, 45), who: () => dispatcher, req: (r) => ({ action: 'dispatch', departmentId: deptOf(r) }) },
      { at: at(0.2, 90), who: handlerFor, req: () => ({ action: 'accept' }) },
    ];
    if (rand() < 0.08) {
      plan.push(
        { at: at(0.5), who: handlerFor, req: () => ({ action: 'complete', note: '已处置' }) },
        { at: at(0.6), who: () => inspector, req: () => ({ action: 'check_fail', note: '现场仍未处置到位' }) },
        { at: at(0.8), who: handlerFor, req: () => ({ action: 'complete', note: '返工完成' }) },
      );
    } else {
      plan.push({ at: at(0.72), who: handlerFor, req: () => ({ action: 'complete', note: '已处置' }) });
    }
    plan.push(
      { at: at(0.9), who: () => inspector, req: () => ({ action: 'check_pass' }) },
      { at: at(1), who: () => dispatcher, req: () => ({ action: 'close' }) },
    );
    return plan;
  }

  function hotlinePlan(row: CaseRow, handle: TimeLimit | undefined): Plan {
    const limit = handle ?? { amount: 7, unit: 'calendar_days' };
    const agent = actor('hotline', 'dispatcher');
    const late = lateFor(row);
    const at = marks(row, limit, closeFraction(late, rand));
    const satisfaction = drawSatisfaction(late, rand);
    const contacted = rand() < 0.96;
    const solved = satisfaction !== 'dissatisfied' || rand() < 0.3;
    return [
      { at: at(0.02, 50), who: () => agent, req: (c) => ({ action: 'dispatch', departmentId: deptOf(c) }) },
      { at: at(0.06, 120), who: handlerFor, req: () => ({ action: 'accept' }) },
      { at: at(0.8), who: handlerFor, req: () => ({ action: 'reply', note: '已答复诉求人' }) },
      {
        at: at(0.93), who: () => agent,
        req: () => ({ action: 'callback', callback: contacted ? { contacted, solved, satisfaction } : { contacted, solved: null, satisfaction: null } }),
      },
      { at: at(1), who: () => agent, req: () => ({ action: 'close' }) },
    ];
  }

  return { report };
}
