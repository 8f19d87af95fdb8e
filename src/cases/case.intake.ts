import { publishCaseEvent } from '../live/live.hub.js';
import type { Ctx } from '../context.js';
import { inTransaction } from '../context.js';
import { AppError } from '../errors.js';
import { translateDbError } from '../db/errors.js';
import { categoryTimeLimits, routeCase } from '../catalogue/catalogue.service.js';
import { resolveCategoryOrLegacy } from '../catalogue/legacy.service.js';
import { locatePoint } from '../grids/grid.locate.js';
import { getWorkCalendar } from '../sla/calendar.loader.js';
import { startStage } from '../sla/stage-clock.js';
import { orgRepository } from '../org/org.repository.js';
import type { Insertable } from 'kysely';
import type { CaseTable } from '../db/tables.js';
import { caseRepository, type CaseRow, type NewEvent } from './case.repository.js';
import { caseNumber, healSerials, numberingOf, takeSerial, takeSerialAndCaseId, type Numbering } from './case.numbers.js';
import { clockToJson, stageColumns } from './case.clock.js';
import { caseCounterStatements, caseCountersAtBatchEnd, counterDelta } from './case.counters.js';
import { findDuplicates } from './case.duplicates.js';
import { workflowCall } from './case.errors.js';
import { getWorkflow, guardHolds, intakeAttributeProblem, startCase, type Effect } from './workflow/index.js';
import { CHANNELS, type Channel } from './case.channels.js';
import { sealReporter } from '../privacy/reporter.js';
import { workflowTimeLimits } from '../social/social.limits.js';
import { afterSocialIntake } from '../social/social.hooks.js';
import type { DisputeIntakeIn, PetitionIntakeIn } from '../social/social.schema.js';
import { cachedRead } from '../cache/reference-cache.js';
import { groupCommitOf, withDeferredWrites, type Defer } from '../db/group-commit.js';

export interface IntakeInput {
  categoryCode: string;
  lon: number;
  lat: number;
  description: string;
  channel: Channel;
  address?: string | null;
  reporter?: { name?: string | null; phone?: string | null; idNumber?: string | null };
  private?: boolean;
  attributes?: Record<string, unknown>;
  clientRequestId?: string | null;
  /** Details of a 矛盾纠纷 / 信访 case (ignored for other flows). */
  dispute?: DisputeIntakeIn;
  petition?: PetitionIntakeIn;
  /**
   * A department chosen by the caller instead of the routing rules (a 重污染天气 response task for
   * its department, a reach's river-chief department), with the explanation recorded on the case.
   */
  routeTo?: { departmentId: number; explanation: string };
}

export interface IntakeResult {
  case: CaseRow;
  duplicates: CaseRow[];
  /** True when an Idempotency-Key repeated an earlier submission: the original case is returned. */
  replayed: boolean;
}

type NewCase = Omit<Insertable<CaseTable>, 'number'>;

/**
 * The serial to try first, taken before the intake transaction opens on PostgreSQL (case.numbers.ts:
 * a sequence value, no lock); null on SQLite, where it is taken inside the transaction.
 */
async function serialBeforeTransaction(ctx: Ctx, n: Numbering): Promise<number | null> {
  if (ctx.app.store.dialect !== 'postgres' || ctx.db.isTransaction) return null;
  return takeSerial(ctx, ctx.db, n);
}

/**
 * Inserts a new case under the next free number of its day. A counter behind the stored cases
 * (after a restore) heals itself: a taken number inserts nothing, the counter moves up to the
 * day's highest serial and the next one is tried.
 */
async function insertNumbered(trx: Ctx, n: Numbering, firstSerial: number | null, values: NewCase): Promise<CaseRow> {
  let serial = firstSerial ?? (await takeSerial(trx, trx.db, n));
  for (let attempt = 0; attempt < 3; attempt++) {
    const row = await caseRepository.insertUnlessNumberTaken(trx.db, { ...values, number: caseNumber(n, serial) });
    if (row) return row;
    await healSerials(trx, trx.db, n);
    serial = await takeSerial(trx, trx.db, n);
  }
  throw new Error(`case numbers of ${n.day} stay taken after healing the counter`);
}

/**
 * The intake's transaction. On SQLite, concurrent intakes share one commit (db/group-commit.ts: each
 * in its own savepoint, answered after the shared commit), since each commit's fsync blocks the
 * event loop; PostgreSQL commits each on its own connection (its WAL already groups flushes).
 */
function inIntakeTransaction<T>(ctx: Ctx, fn: (trx: Ctx, defer: Defer) => Promise<T>): Promise<T> {
  if (ctx.db.isTransaction || ctx.app.store.dialect !== 'sqlite') return inTransaction(ctx, (trx) => withDeferredWrites(trx.db, (defer) => fn(trx, defer)));
  return groupCommitOf(ctx.app.store).run((db, defer) => fn({ ...ctx, db }, defer));
}

interface NewCaseParts {
  values: NewCase & Pick<CaseRow, 'org_path' | 'category_code' | 'class_code' | 'department_id' | 'channel' | 'created_at' | 'stage_deadline' | 'deadline' | 'registered_at'>;
  firstEvent: (caseId: number) => NewEvent;
  effects: readonly Effect[];
  input: IntakeInput;
}

/**
 * Stores a new case with its first event and counters, atomically. PostgreSQL, outside a caller's
 * transaction, for flows without records of their own: as one statement (case.repository.ts
 * insertCaseAtOnce), its id and number taken beforehand in one query: 2 round trips instead of 7.
 * Otherwise, and when that number turns out taken (the sequence was behind: healed there), in a
 * transaction (a group commit on SQLite).
 */
async function storeNewCase(ctx: Ctx, parts: NewCaseParts): Promise<CaseRow> {
  const numbering = numberingOf(ctx);
  const social = parts.values.workflow === 'mediation' || parts.values.workflow === 'petition';
  if (ctx.app.store.dialect === 'postgres' && !ctx.db.isTransaction && !social) {
    const taken = await takeSerialAndCaseId(ctx, numbering);
    if (taken) {
      const { values, firstEvent, effects } = parts;
      const row = { ...values, id: taken.caseId, number: caseNumber(numbering, taken.serial) };
      const delta = counterDelta(effects, { ...values, dispatched_at: null, overdue_stages: 0 }, ctx.now, null);
      const counters = await caseCounterStatements(values, ctx.app.config.timeZone, ctx.now, delta);
      const insert = () => caseRepository.insertCaseAtOnce(ctx.db, row, firstEvent(taken.caseId), counters);
      // The statement is atomic: a deadlock on the roll-up rows (PostgreSQL aborted it) wrote nothing, so it is tried again.
      const stored = await insert().catch((err: unknown) => (isDeadlock(err) ? insert() : Promise.reject(err))).catch((err: unknown) => {
        if (isNumberTaken(err)) return null;
        throw err;
      });
      // (insertCaseAtOnce tells the write watch what it wrote: list totals move on.)
      if (stored) return stored;
    }
  }
  return storeInTransaction(ctx, numbering, parts);
}

/** PostgreSQL chose this statement to break a deadlock (40P01). */
function isDeadlock(err: unknown): boolean {
  return (err as { code?: string } | null)?.code === '40P01';
}

/** A unique violation on the case number (PostgreSQL's detail names the column). */
function isNumberTaken(err: unknown): boolean {
  const e = err as { code?: string; detail?: string } | null;
  return e?.code === '23505' && /^Key \(number\)=/.test(e.detail ?? '');
}

/** storeNewCase in one transaction: a group commit on SQLite, where each commit's fsync blocks the loop. */
async function storeInTransaction(ctx: Ctx, numbering: Numbering, { values, firstEvent, effects, input }: NewCaseParts): Promise<CaseRow> {
  const firstSerial = await serialBeforeTransaction(ctx, numbering);
  return inIntakeTransaction(ctx, async (trx, defer) => {
    let row = await insertNumbered(trx, numbering, firstSerial, values);
    await caseRepository.appendFirstEvent(trx.db, firstEvent(row.id));
    // 调解 and 信访 cases keep their own records (social/); the hook may change the case row.
    if (row.workflow === 'mediation' || row.workflow === 'petition') {
      await afterSocialIntake(trx, row.id, input);
      row = (await caseRepository.findById(trx.db, row.id)) ?? row;
    }
    // Written once for the whole group commit, still in its transaction (db/group-commit.ts).
    defer(caseCountersAtBatchEnd(row, ctx.app.config.timeZone, ctx.now, counterDelta(effects, row, ctx.now, null)));
    return row;
  });
}

/**
 * Whether a new case is private (never shown to the public): as the intake says, else 12345 hotline
 * cases (the hotline flow or channel) are, since callers' demands often concern their own affairs.
 */
function isPrivateByDefault(input: IntakeInput, workflow: string): boolean {
  return input.private ?? (workflow === 'hotline' || input.channel === 'hotline');
}

/**
 * Takes a report from any channel into the closed loop: locates it (grid → city), routes it to a
 * department, starts its SLA clocks, issues a case number and atomically (one statement or one transaction) stores the case,
 * its first timeline event and its KPI counters. A repeated idempotency key returns the original.
 * Throws validation_failed, category_not_found, outside_jurisdiction, forbidden, transition_not_allowed.
 */
export async function intakeCase(ctx: Ctx, input: IntakeInput, idempotencyKey?: string): Promise<IntakeResult> {
  const key = idempotencyKey ? `${ctx.actor.kind}:${ctx.actor.id}:${idempotencyKey}` : null;
  if (key) {
    const existing = await caseRepository.findByIdempotencyKey(ctx.db, key);
    if (existing) return { case: existing, duplicates: [], replayed: true };
  }
  if (!(CHANNELS as readonly string[]).includes(input.channel)) throw new AppError('validation_failed', `channel must be one of ${CHANNELS.join(', ')}`, { field: 'channel' });
  const { category, legacyCode } = await resolveCategoryOrLegacy(ctx, input.categoryCode);
  const def = getWorkflow(category.workflow);
  const start = workflowCall(() => startCase(def, ctx.actor.role));
  const attributeProblem = intakeAttributeProblem(def, input.attributes);
  if (attributeProblem) throw new AppError('validation_failed', attributeProblem.reason, { field: attributeProblem.field });
  // A flow may put some reports under supervision from the start (重大隐患 挂牌督办).
  const supervisedAtOnce = def.intake.superviseWhen !== undefined && guardHolds(def.intake.superviseWhen, input.attributes);

  const located = locatePoint(ctx.app, input.lon, input.lat);
  if (!located.grid) throw new AppError('outside_jurisdiction', `the point ${input.lon},${input.lat} lies outside every grid of the city`, { field: 'lon' });
  const gridCode = located.grid.code;
  const grid = await cachedRead(ctx.app.store, ctx.db, 'org', `unit:${gridCode}`, () => orgRepository.findByCode(ctx.db, gridCode));
  if (!grid) throw new AppError('outside_jurisdiction', `grid ${located.grid.code} is not in the store`);
  if (!grid.path.startsWith(ctx.actor.orgPath)) throw new AppError('forbidden', 'the location is outside your area', { field: 'lon' });
  const codeAt = (level: string) => located.chain.find((u) => u.level === level)?.code ?? null;

  const now = ctx.now;
  const route = input.routeTo
    ? { department: { id: input.routeTo.departmentId }, ruleId: null, explanation: input.routeTo.explanation }
    : await routeCase(ctx, { category, orgPath: grid.path, channel: input.channel, at: now });
  const cal = getWorkCalendar(ctx.app);
  const limits = workflowTimeLimits(ctx.app.config, def.id, input.channel, categoryTimeLimits(category));
  const stageLimit = start.stage ? limits[start.stage] : undefined;
  const stageClock = stageLimit ? startStage(now, stageLimit) : null;
  const caseLimit = limits.handle;
  const caseClock = caseLimit ? startStage(now, caseLimit) : null;
  const caseDeadline = caseClock ? stageColumns(caseClock, now, cal, ctx.app.config.lights).stage_deadline : null;

  const values = {
    city_code: codeAt('city') ?? ctx.app.config.cityCode,
    workflow: def.id,
    status: start.to,
    previous_status: null,
    category_id: category.id,
    category_code: category.code,
    class_code: category.class_code,
    legacy_category_code: legacyCode,
    channel: input.channel,
    description: input.description,
    address: input.address ?? null,
    lon: input.lon,
    lat: input.lat,
    grid_code: grid.code,
    community_code: codeAt('community'),
    street_code: codeAt('street'),
    district_code: codeAt('district'),
    org_path: grid.path,
    department_id: route.department?.id ?? null,
    routing_rule_id: route.ruleId,
    routing_explanation: route.explanation,
    priority: category.priority,
    ...sealReporter(ctx.app, input.reporter),
    reporter_user_id: ctx.actor.kind === 'user' ? ctx.actor.id : null,
    created_by: `${ctx.actor.kind}:${ctx.actor.id}:${ctx.actor.name}`,
    private: isPrivateByDefault(input, def.id) ? 1 : 0,
    stage: start.stage ?? null,
    stage_started_at: stageClock ? now.toISOString() : null,
    ...stageColumns(stageClock, now, cal, ctx.app.config.lights),
    case_clock: caseClock ? clockToJson(caseClock) : null,
    deadline: caseDeadline,
    // A flow whose intake is its 立案 (12345 受理) must mark it, or 作废 would not undo 应结案数.
    registered_at: start.effects.includes('count_registered') ? now.toISOString() : null,
    idempotency_key: key,
    client_request_id: input.clientRequestId ?? null,
    attributes: JSON.stringify(input.attributes ?? {}),
    ...(supervisedAtOnce ? { supervised: 1, supervise_note: `${def.name}: 挂牌督办 on intake` } : {}),
    created_at: now.toISOString(),
    updated_at: now.toISOString(),
  };
  const firstEvent = (caseId: number): NewEvent => ({
    case_id: caseId, at: now.toISOString(), actor_kind: ctx.actor.kind, actor_id: ctx.actor.id, actor_name: ctx.actor.name, actor_role: ctx.actor.role,
    action: 'report', from_status: null, to_status: start.to, note: null,
    data: JSON.stringify({ channel: input.channel, grid: grid.code, departmentId: route.department?.id ?? null, routing: route.explanation, snappedMetres: located.snappedMetres ?? null }),
  });
  const created = await storeNewCase(ctx, { values, firstEvent, effects: start.effects, input }).catch(async (err) => {
    // Two submissions with one key raced: the loser returns the winner's case. Inside a caller's
    // transaction (now aborted) the caller looks it up after rolling back.
    const translated = translateDbError(err);
    if (key && !ctx.db.isTransaction && translated instanceof AppError && translated.code === 'already_exists') {
      const existing = await caseRepository.findByIdempotencyKey(ctx.db, key);
      if (existing) return { replayedRow: existing };
    }
    throw translated;
  });
  if ('replayedRow' in created) return { case: created.replayedRow, duplicates: [], replayed: true };
  publishCaseEvent(ctx.app, 'case.created', created, now);
  const duplicates = await findDuplicates(ctx, created, category);
  return { case: created, duplicates, replayed: false };
}
