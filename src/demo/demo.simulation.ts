import type { AppContext, Ctx } from '../context.js';
import type { Db } from '../db/database.js';
import type { Actor, Role } from '../auth/actor.js';
import { authRepository } from '../auth/auth.repository.js';
import { categoryTimeLimits, resolveCategory } from '../catalogue/catalogue.service.js';
import { catalogueRepository } from '../catalogue/catalogue.repository.js';
import { gridRepository } from '../grids/grid.repository.js';
import { interiorPoint, polygonsOf, type GridGeometry } from '../grids/geometry.js';
import { getWorkCalendar } from '../sla/calendar.loader.js';
import { addWorkingTime, type TimeLimit } from '../sla/working-time.js';
import { localDate, localParts } from '../time/zoned-time.js';
import { intakeCase } from '../cases/case.intake.js';
import { transitionCase, type TransitionRequest } from '../cases/case.transition.js';
import { caseRepository, type CaseRow } from '../cases/case.repository.js';
import type { Channel } from '../cases/case.channels.js';
import type { Satisfaction } from '../cases/workflow/workflow.types.js';
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

/** The demo citizen's phone: their reports can be tracked on /report/track with its last 4 digits, 1503. */
export const DEMO_CITIZEN_PHONE = '13900001503';

export interface SimulationOptions {
  days: number;
  casesPerDay: number;
  end: Date;
}

/** Report instants over the period, sorted, with weekday/weekend and hour-of-day rhythm. */
export function planReports(app: AppContext, opts: SimulationOptions, rand: () => number): number[] {
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

/**
 * What was drawn for a case when it was reported, as data (so that a checkpoint can hold it): the
 * outcome of the urban or hotline plan, the intake instant and limit its step instants are counted
 * from, and how many of its steps happen (the demo citizen's recent cases stay open).
 */
export type PlanData = { createdAt: string; limit: TimeLimit; upTo: number } & (
  | { kind: 'reject' }
  | { kind: 'urban'; total: number; rework: boolean }
  | { kind: 'hotline'; total: number; satisfaction: Satisfaction; contacted: boolean; solved: boolean }
);

/** The next step of a case, as data: the instant, which step of its plan, and its department then. */
export interface PendingStep {
  at: number;
  caseId: number;
  index: number;
  departmentId: number | null;
  plan: PlanData;
}

/** Counts of what a build did. */
export interface HistoryReport {
  cases: number;
  transitions: number;
  sweeps: number;
}

/** The simulation's own mutable state besides the random stream and the pending steps. */
export interface SimulationState {
  webReports: number;
}

interface StepDef {
  at: (prevAt: number) => number;
  who: (departmentId: number | null) => Actor;
  req: (departmentId: number | null) => Omit<TransitionRequest, 'version'>;
  stop?: boolean;
}

/**
 * The demo city's case life: each report draws a category, grid and reporter and goes through
 * intake; its plan (verify … close, or the hotline's dispatch … close) is drawn at once as data,
 * and each step's instant is drawn when the step before it has happened. All draws come from the
 * one stream `rand`, in time order, so the history is the same for a seed. Every write goes to the
 * handle passed in (the build's transaction).
 */
export async function simulation(app: AppContext, rand: () => number, endMs: number, state: SimulationState, schedule: (step: PendingStep) => void) {
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
  const ctxAt = (on: Db, a: Actor, at: number): Ctx => ({ app, actor: a, db: on, now: new Date(at) });
  const cal = getWorkCalendar(app);
  const totalWeight = MIX.reduce((s, m) => s + m[1], 0);
  const pickMix = () => {
    let r = rand() * totalWeight;
    for (const m of MIX) if ((r -= m[1]) <= 0) return m;
    return MIX[0];
  };
  const after = (at: number, minMinutes: number, maxMinutes: number) => at + Math.round((minMinutes + rand() * (maxMinutes - minMinutes)) * 60_000);

  // The demo citizen made a few of the web reports themself (every 10th, and all of the last two weeks),
  // so their "my reports" on /report holds open and closed cases. No extra random draws: the
  // history stays the same for a seed.
  const byCitizen = (channel: Channel, at: number) => channel === 'web' && (++state.webReports % 10 === 0 || at > endMs - 14 * 86_400_000);

  /** Draws the case's next step instant (if it has one) and hands it to the build's queue. */
  function scheduleNext(caseId: number, plan: PlanData, index: number, prevAt: number, departmentId: number | null): void {
    const def = index < plan.upTo ? stepsOf(plan)[index] : undefined;
    if (!def) return;
    schedule({ at: def.at(prevAt), caseId, index, departmentId, plan });
  }

  /** One report at `at`: intake, then its plan drawn and its first step scheduled. */
  async function report(on: Db, at: number, rep: HistoryReport): Promise<void> {
    const [code, , channel] = pickMix();
    const grid = grids[Math.floor(rand() * grids.length)];
    const category = await resolveCategory(ctxAt(on, actor('dispatcher', 'dispatcher'), at), code);
    const citizen = byCitizen(channel, at);
    const reporter = citizen ? actor('citizen', 'citizen') : channel === 'hotline' ? actor('hotline', 'dispatcher') : channel === 'patrol' ? actor('gridworker', 'grid_worker', grid.path.split('/').slice(0, 5).join('/') + '/') : actor('dispatcher', 'dispatcher');
    const phone = channel === 'hotline' || channel === 'web' ? `139${String(Math.floor(rand() * 1e8)).padStart(8, '0')}` : null;
    const created = await intakeCase(ctxAt(on, reporter, at), {
      categoryCode: code, lon: grid.point[0], lat: grid.point[1], channel,
      description: `${category.name}（演示数据）`, address: null,
      reporter: phone ? { name: '市民', phone: citizen ? DEMO_CITIZEN_PHONE : phone } : undefined,
    });
    rep.cases++;
    const handle = categoryTimeLimits(category).handle;
    const plan = category.workflow === 'hotline' ? drawHotline(created.case, handle) : drawUrban(created.case, handle);
    // The demo citizen's reports of the last ten days are still being worked on, so "my reports" shows open ones too.
    if (citizen && at > endMs - 10 * 86_400_000) plan.upTo = Math.min(plan.upTo, 2);
    scheduleNext(created.case.id, plan, 0, Date.parse(created.case.created_at), created.case.department_id);
  }

  /** Takes a scheduled step, then schedules the case's next one. */
  async function runStep(on: Db, step: PendingStep, rep: HistoryReport): Promise<void> {
    const def = stepsOf(step.plan)[step.index];
    // The sweeper may have moved the case on (a light change bumps its version): act on the latest.
    const current = await caseRepository.findById(on, step.caseId);
    if (!current) throw new Error(`demo history: case ${step.caseId} is gone`);
    const next = await transitionCase(ctxAt(on, def.who(step.departmentId), step.at), step.caseId, { ...def.req(step.departmentId), version: current.version });
    rep.transitions++;
    if (!def.stop) scheduleNext(step.caseId, step.plan, step.index + 1, step.at, next.department_id);
  }

  const handlerFor = (departmentId: number | null) => actor('handler', 'handler', '/150300/', departmentId);
  const deptOf = (departmentId: number | null) => departmentId ?? fallbackDept.id;

  /**
   * Instants at fractions of the case's handling limit, counted in working time from intake like
   * the deadline itself: the case closes at `total` of its limit (past 1 when late), the early
   * steps take a small share and the handling most of it. Each step is at least a minute after
   * the one before.
   */
  const marks = (createdAt: string, limit: TimeLimit, total: number) => (fraction: number, capMinutes?: number) => (prev: number) => {
    const planned = addWorkingTime(new Date(createdAt), limit.amount * total * Math.min(1, fraction * (0.97 + rand() * 0.06)), limit.unit, cal).getTime();
    // The first steps (核实, 立案, 派遣, 签收) take minutes of working time whatever the case's limit.
    const capped = capMinutes === undefined ? planned : Math.min(planned, addWorkingTime(new Date(prev), (capMinutes * (0.3 + rand() * 0.7)) / 60, 'work_hours', cal).getTime());
    return Math.max(prev + 60_000, capped);
  };

  function drawUrban(row: CaseRow, handle: TimeLimit | undefined): PlanData {
    const limit = handle ?? { amount: 1, unit: 'work_days' };
    const base = { createdAt: row.created_at, limit };
    if (rand() < 0.05) return { ...base, kind: 'reject', upTo: 1 };
    const total = closeFraction(lateFor(row), rand);
    const rework = rand() < 0.08;
    return { ...base, kind: 'urban', total, rework, upTo: rework ? 9 : 7 };
  }

  function drawHotline(row: CaseRow, handle: TimeLimit | undefined): PlanData {
    const limit = handle ?? { amount: 7, unit: 'calendar_days' };
    const late = lateFor(row);
    const total = closeFraction(late, rand);
    const satisfaction = drawSatisfaction(late, rand);
    const contacted = rand() < 0.96;
    const solved = satisfaction !== 'dissatisfied' || rand() < 0.3;
    return { createdAt: row.created_at, limit, kind: 'hotline', total, satisfaction, contacted, solved, upTo: 5 };
  }

  /** The steps of a drawn plan; an instant's random parts are drawn when `at` is called. */
  function stepsOf(plan: PlanData): StepDef[] {
    const dispatcher = actor('dispatcher', 'dispatcher');
    if (plan.kind === 'reject') return [{ at: (p) => after(p, 10, 60), who: () => dispatcher, req: () => ({ action: 'reject', note: '不符合立案条件' }), stop: true }];
    const at = marks(plan.createdAt, plan.limit, plan.total);
    if (plan.kind === 'hotline') {
      const agent = actor('hotline', 'dispatcher');
      const { contacted, solved, satisfaction } = plan;
      return [
        { at: at(0.02, 50), who: () => agent, req: (d) => ({ action: 'dispatch', departmentId: deptOf(d) }) },
        { at: at(0.06, 120), who: handlerFor, req: () => ({ action: 'accept' }) },
        { at: at(0.8), who: handlerFor, req: () => ({ action: 'reply', note: '已答复诉求人' }) },
        {
          at: at(0.93), who: () => agent,
          req: () => ({ action: 'callback', callback: contacted ? { contacted, solved, satisfaction } : { contacted, solved: null, satisfaction: null } }),
        },
        { at: at(1), who: () => agent, req: () => ({ action: 'close' }) },
      ];
    }
    const inspector = actor('inspector', 'inspector');
    return [
      { at: at(0.05, 60), who: () => dispatcher, req: () => ({ action: 'verify' }) },
      { at: at(0.09, 40), who: () => dispatcher, req: () => ({ action: 'register' }) },
      { at: at(0.14, 45), who: () => dispatcher, req: (d) => ({ action: 'dispatch', departmentId: deptOf(d) }) },
      { at: at(0.2, 90), who: handlerFor, req: () => ({ action: 'accept' }) },
      ...(plan.rework
        ? [
            { at: at(0.5), who: handlerFor, req: () => ({ action: 'complete', note: '已处置' }) },
            { at: at(0.6), who: () => inspector, req: () => ({ action: 'check_fail', note: '现场仍未处置到位' }) },
            { at: at(0.8), who: handlerFor, req: () => ({ action: 'complete', note: '返工完成' }) },
          ]
        : [{ at: at(0.72), who: handlerFor, req: () => ({ action: 'complete', note: '已处置' }) }]),
      { at: at(0.9), who: () => inspector, req: () => ({ action: 'check_pass' }) },
      { at: at(1), who: () => dispatcher, req: () => ({ action: 'close' }) },
    ];
  }

  return { report, runStep };
}
