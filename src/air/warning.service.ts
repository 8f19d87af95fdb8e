import type { AppContext, Ctx } from '../context.js';
import { inTransaction, makeCtx } from '../context.js';
import { systemActor } from '../auth/actor.js';
import { AppError, isAppError } from '../errors.js';
import { catalogueRepository } from '../catalogue/catalogue.repository.js';
import { intakeCase } from '../cases/case.intake.js';
import { getWorkflow } from '../cases/workflow/index.js';
import { locatePoint } from '../grids/grid.locate.js';
import { addDays } from '../time/local-date.js';
import { localDate, toZonedIso } from '../time/zoned-time.js';
import { cityDailyAqi } from './air.service.js';
import { isAbove, LEVEL_NAMES, WARNING_LEVELS, warningLevelFor, type DayAqi } from './warning.rule.js';
import type { PlanTask } from './warning.plan.js';
import { warningRepository } from './warning.repository.js';
import type { PollutionWarningTable, WarningLevel } from './warning.tables.js';

/** The local category of a warning's task cases (重污染天气应急任务). */
export const TASK_CATEGORY = 'LGZ10';

type WarningRow = Awaited<ReturnType<typeof warningRepository.find>> & {};

/** Where a warning's task cases are located: as given (inside the city), else at the first active air station. Throws validation_failed, outside_jurisdiction. */
async function placeOf(ctx: Ctx, input: { lon?: number; lat?: number }): Promise<{ lon: number; lat: number }> {
  if (input.lon !== undefined && input.lat !== undefined) {
    if (!locatePoint(ctx.app, input.lon, input.lat).grid) throw new AppError('outside_jurisdiction', `the point ${input.lon},${input.lat} lies outside every grid of the city`, { field: 'lon' });
    return { lon: input.lon, lat: input.lat };
  }
  const station = await warningRepository.firstAirStation(ctx.db);
  if (!station) throw new AppError('validation_failed', 'no air station to locate the response tasks at: give lon and lat', { field: 'lon' });
  return station;
}

/**
 * Opens the task cases of the plan up to the warning's level that the warning lacks: one case per
 * (department, task), for that department (the routing rules when it does not exist), due
 * deadline_hours after now. Runs in ctx's transaction.
 */
async function openTasks(ctx: Ctx, warning: Pick<PollutionWarningTable, 'level' | 'lon' | 'lat'> & { id: number }): Promise<void> {
  const have = new Set((await warningRepository.tasks(ctx.db, warning.id)).map((t) => `${t.department_code}\u0000${t.task}`));
  const upTo = WARNING_LEVELS.indexOf(warning.level);
  const sys = { ...makeCtx(ctx.app, systemActor(), ctx.db), now: ctx.now };
  const zone = ctx.app.config.sensors.jointZone;
  for (const t of await warningRepository.plan(ctx.db)) {
    if (WARNING_LEVELS.indexOf(t.level) > upTo || have.has(`${t.department_code}\u0000${t.task}`)) continue;
    const dept = await catalogueRepository.findDepartmentByCode(ctx.db, t.department_code);
    const due = new Date(ctx.now.getTime() + t.deadline_hours * 3_600_000);
    const dueLocal = toZonedIso(due, ctx.app.config.timeZone).slice(0, 16).replace('T', ' ');
    const created = await intakeCase(sys, {
      categoryCode: TASK_CATEGORY, lon: warning.lon, lat: warning.lat, channel: 'staff', private: false,
      description: `【重污染天气${LEVEL_NAMES[warning.level]}】${zone ? `${zone.name}联合应对：` : ''}${t.task}（${dept?.name ?? t.department_code}，${dueLocal} 前落实）`,
      attributes: { warningId: warning.id, warningLevel: warning.level, task: t.task, departmentCode: t.department_code, dueAt: due.toISOString() },
      ...(dept ? { routeTo: { departmentId: dept.id, explanation: `重污染天气应急预案: ${LEVEL_NAMES[t.level]} task of ${dept.name}` } } : {}),
    });
    await warningRepository.insertTask(ctx.db, { warning_id: warning.id, level: t.level, department_code: t.department_code, task: t.task, due_at: due.toISOString(), case_id: created.case.id });
  }
}

/**
 * Issues a 重污染天气 warning (or raises the active one to a higher level): in one transaction the
 * warning and a task case for each department of the response plan up to its level. Throws
 * warning_active (the active warning is at this level or higher), validation_failed.
 */
export async function issueWarning(ctx: Ctx, input: { level: WarningLevel; reason: string; lon?: number; lat?: number; trigger?: 'manual' | 'rule' }): Promise<{ id: number; action: 'issued' | 'upgraded' }> {
  return inTransaction(ctx, async (trx) => {
    const active = await warningRepository.active(trx.db);
    const now = trx.now.toISOString();
    if (active) {
      if (!isAbove(input.level, active.level)) throw new AppError('warning_active', `a ${LEVEL_NAMES[active.level]} is in force (#${active.id}): lift it or issue a higher level`);
      await warningRepository.update(trx.db, active.id, { level: input.level, upgraded_at: now, reason: `${active.reason}；升级为${LEVEL_NAMES[input.level]}：${input.reason}` });
      await openTasks(trx, { ...active, level: input.level });
      return { id: active.id, action: 'upgraded' as const };
    }
    const place = await placeOf(trx, input);
    const id = await warningRepository.insert(trx.db, {
      level: input.level, status: 'active', trigger: input.trigger ?? 'manual', reason: input.reason, ...place,
      issued_by: `${ctx.actor.kind}:${ctx.actor.id}:${ctx.actor.name}`, issued_at: now, upgraded_at: null, lifted_by: null, lifted_at: null, lift_note: null,
    });
    await openTasks(trx, { id, level: input.level, ...place });
    return { id, action: 'issued' as const };
  });
}

/** Lifts the active warning `id` (解除预警); its task cases go on to their end. Throws warning_not_found, conflict. */
export async function liftWarning(ctx: Ctx, id: number, note: string | null): Promise<void> {
  const w = await getWarningRow(ctx, id);
  if (w.status !== 'active') throw new AppError('conflict', `warning #${id} was lifted at ${w.lifted_at}`);
  await warningRepository.update(ctx.db, id, { status: 'lifted', lifted_at: ctx.now.toISOString(), lifted_by: `${ctx.actor.kind}:${ctx.actor.id}:${ctx.actor.name}`, lift_note: note });
}

async function getWarningRow(ctx: Ctx, id: number): Promise<WarningRow> {
  const w = await warningRepository.find(ctx.db, id);
  if (!w) throw new AppError('warning_not_found', `no warning ${id}`);
  return w;
}

/** A warning with its tasks (each with its case and whether it is done or overdue) and the response's completion. */
export async function getWarning(ctx: Ctx, id: number) {
  const w = await getWarningRow(ctx, id);
  const now = ctx.now.toISOString();
  const tasks = (await warningRepository.tasks(ctx.db, id)).map((t) => {
    const done = !!getWorkflow(t.case_workflow).states[t.case_status]?.terminal;
    return { level: t.level, departmentCode: t.department_code, departmentId: t.department_id, task: t.task, dueAt: t.due_at, caseId: t.case_id, caseNumber: t.case_number, caseStatus: t.case_status, done, overdue: !done && t.due_at < now };
  });
  return { warning: w, tasks, completion: { total: tasks.length, done: tasks.filter((t) => t.done).length, overdue: tasks.filter((t) => t.overdue).length } };
}

/**
 * The rule (重污染天气预警分级) on the city's measured daily AQI of the last two days and today,
 * followed by a forecast (a forecast day replaces a measured one): issues the warning it calls for,
 * or raises the active one; a level at or below the active one changes nothing. Measured days up
 * to the day of the latest lift are left out. `serve` runs it without a forecast every
 * GRIDLOOP_SENSOR_SWEEP_SECONDS (the measured trigger).
 */
export async function assessWarning(ctx: Ctx, input: { forecast: DayAqi[]; lon?: number; lat?: number }) {
  const today = localDate(ctx.now, ctx.app.config.timeZone);
  // A lift ends an episode: only days after the latest lift count as measured, so that the rule
  // does not at once re-issue what an admin lifted.
  const lastLift = await warningRepository.lastLiftedAt(ctx.db);
  const liftedOn = lastLift ? localDate(new Date(lastLift), ctx.app.config.timeZone) : null;
  const measured = (await cityDailyAqi(ctx, addDays(today, -2), addDays(today, 1))).filter((d) => liftedOn === null || d.date > liftedOn);
  const byDate = new Map<string, DayAqi & { source: 'measured' | 'forecast' }>(measured.map((d) => [d.date, { date: d.date, aqi: d.aqi, source: 'measured' }]));
  for (const f of input.forecast) byDate.set(f.date, { date: f.date, aqi: f.aqi, source: 'forecast' });
  const days = [...byDate.values()].sort((a, b) => (a.date < b.date ? -1 : 1));
  const verdict = warningLevelFor(days);
  const active = await warningRepository.active(ctx.db);
  if (!verdict || (active && !isAbove(verdict.level, active.level))) return { days, level: verdict?.level ?? null, reason: verdict?.reason ?? null, action: 'none' as const, warningId: active?.id ?? null };
  const r = await issueWarning(ctx, { level: verdict.level, reason: `预警规则：${verdict.reason}`, lon: input.lon, lat: input.lat, trigger: 'rule' });
  return { days, level: verdict.level, reason: verdict.reason, action: r.action, warningId: r.id };
}

/** The response plan (each task with the lowest level it applies at). */
export async function responsePlan(ctx: Ctx): Promise<PlanTask[]> {
  return (await warningRepository.plan(ctx.db)).map((t) => ({ level: t.level, departmentCode: t.department_code, task: t.task, deadlineHours: t.deadline_hours }));
}

/** Replaces the response plan; every department must exist. Throws department_not_found. */
export async function replaceResponsePlan(ctx: Ctx, plan: PlanTask[]): Promise<PlanTask[]> {
  for (const [i, t] of plan.entries()) {
    if (!(await catalogueRepository.findDepartmentByCode(ctx.db, t.departmentCode))) throw new AppError('department_not_found', `no department ${t.departmentCode}`, { field: `${i}.departmentCode` });
  }
  await inTransaction(ctx, (trx) => warningRepository.replacePlan(trx.db, plan));
  return responsePlan(ctx);
}

/** Job: the rule on the measured days alone (no forecast); quiet when there is nothing to place tasks at. Returns the action. */
export async function assessMeasured(app: AppContext, now: Date = app.clock()): Promise<string> {
  const ctx = { ...makeCtx(app, systemActor()), now };
  try {
    return (await assessWarning(ctx, { forecast: [] })).action;
  } catch (err) {
    if (isAppError(err) && (err.code === 'validation_failed' || err.code === 'outside_jurisdiction')) return 'none';
    throw err;
  }
}
