import { timingSafeEqual } from 'node:crypto';
import type { Ctx } from '../context.js';
import { AppError } from '../errors.js';
import { FailureWindow } from '../auth/failure-window.js';
import { MemoryEventLog, type EventLog } from '../cluster/shared-limits.js';
import { publicActor } from '../auth/actor.js';
import { catalogueRepository } from '../catalogue/catalogue.repository.js';
import { orgRepository } from '../org/org.repository.js';
import { caseRepository, type CaseRow } from '../cases/case.repository.js';
import { transitionCase } from '../cases/case.transition.js';
import type { Satisfaction } from '../cases/workflow/index.js';
import type { PortalLimits } from './public.limits.js';
import { presentTracking } from './public.presenter.js';
import { containsHtml } from '../open311/open311.answers.js';

const GUESS_MESSAGE = 'too many wrong tracking numbers or phone digits; try again later';
const NOT_FOUND = 'no report with this number and these phone digits';

/**
 * Wrong guesses at (number, phone digits), counted per case number and per address, so numbers
 * cannot be enumerated and one report's digits cannot be brute-forced. Counted in `log`: in memory,
 * or in PostgreSQL when several instances share the store.
 */
export class TrackGuard {
  private readonly perNumber: FailureWindow;
  private readonly perAddress: FailureWindow;

  constructor(limits: PortalLimits, log: EventLog = new MemoryEventLog()) {
    this.perNumber = new FailureWindow(limits.guessesPerNumber, limits.guessWindowMs, GUESS_MESSAGE, log, 'track-number');
    this.perAddress = new FailureWindow(limits.guessesPerAddress, limits.guessWindowMs, GUESS_MESSAGE, log, 'track-address');
  }

  async check(number: string, address: string, now: number): Promise<void> {
    await this.perAddress.check(address, now);
    await this.perNumber.check(number, now);
  }

  async failed(number: string, address: string, now: number): Promise<void> {
    await this.perAddress.failed(address, now);
    await this.perNumber.failed(number, now);
  }

  /** A right guess clears its number's count, never its address's (a caller's own report must not reset it). */
  async succeeded(number: string): Promise<void> {
    await this.perNumber.succeeded(number);
  }
}

export interface Proof {
  phone4?: string;
  address: string;
}

function lastFourMatch(phone: string | null, phone4: string | undefined): boolean {
  const digits = (phone ?? '').replace(/\D/g, '');
  const have = Buffer.from(digits.length >= 4 ? digits.slice(-4) : '----');
  const given = Buffer.from(phone4 && /^\d{4}$/.test(phone4) ? phone4 : '####');
  // Both are 4 bytes, so the comparison takes the same time whatever matches.
  return timingSafeEqual(have, given) && digits.length >= 4;
}

function ownsCase(ctx: Ctx, row: CaseRow): boolean {
  return ctx.actor.kind === 'user' && row.reporter_user_id === ctx.actor.id;
}

/**
 * The case `number` when the caller proves it is theirs: the last 4 digits of the reporter's phone
 * (compared in constant time), or being its signed-in reporter. Unknown numbers and wrong digits
 * answer alike and count as guesses. Throws case_not_found, too_many_requests.
 */
export async function findTrackedCase(ctx: Ctx, guard: TrackGuard, number: string, proof: Proof): Promise<CaseRow> {
  const now = ctx.now.getTime();
  await guard.check(number, proof.address, now);
  const row = await caseRepository.findByNumber(ctx.db, number);
  const proven = row !== undefined && (ownsCase(ctx, row) || lastFourMatch(row.reporter_phone, proof.phone4));
  if (!row || !proven) {
    await guard.failed(number, proof.address, now);
    throw new AppError('case_not_found', NOT_FOUND, { field: proof.phone4 ? 'phone4' : 'number' });
  }
  await guard.succeeded(number);
  return row;
}

/** The public view of a tracked case: names of its category, area and departments, no personal data. */
export async function trackCase(ctx: Ctx, row: CaseRow) {
  const [category, street, community, departments, events] = await Promise.all([
    catalogueRepository.findCategoryById(ctx.db, row.category_id),
    row.street_code ? orgRepository.findByCode(ctx.db, row.street_code) : undefined,
    row.community_code ? orgRepository.findByCode(ctx.db, row.community_code) : undefined,
    catalogueRepository.listDepartments(ctx.db),
    caseRepository.timeline(ctx.db, row.id),
  ]);
  const departmentNames = new Map(departments.map((d) => [d.id, d.name]));
  return presentTracking(row, events, {
    categoryName: category?.name ?? row.category_code,
    area: [street?.name, community?.name].filter(Boolean).join(' ') || null,
    department: row.department_id !== null ? departmentNames.get(row.department_id) ?? null : null,
    departments: departmentNames,
  });
}

/** Who acts for the tracker: the signed-in reporter, else the anonymous public. */
function trackerCtx(ctx: Ctx, row: CaseRow): Ctx {
  return ownsCase(ctx, row) && ctx.actor.role === 'citizen' ? ctx : { ...ctx, actor: publicActor() };
}

/**
 * The reporter rates a closed case once (满意 / 基本满意 / 不满意, solved or not) through the
 * workflow's `evaluate` action, so it counts in 三率 like a 回访. Throws transition_not_allowed
 * (not closed, or a flow without it), already_evaluated, version_conflict.
 */
export async function evaluateTrackedCase(ctx: Ctx, row: CaseRow, input: { solved: boolean; satisfaction: Satisfaction }): Promise<CaseRow> {
  const callback = { contacted: true, solved: input.solved, satisfaction: input.satisfaction };
  return transitionCase(trackerCtx(ctx, row), row.id, { action: 'evaluate', version: row.version, callback }, { orgPath: '/', includePrivate: true });
}

/** The reporter asks to reopen a closed case, saying why. Throws validation_failed, transition_not_allowed, version_conflict. */
export async function reopenTrackedCase(ctx: Ctx, row: CaseRow, note: string): Promise<CaseRow> {
  if (containsHtml(note)) throw new AppError('validation_failed', 'the reason must be plain text: HTML and code are not accepted', { field: 'note' });
  return transitionCase(trackerCtx(ctx, row), row.id, { action: 'reopen', version: row.version, note: note.trim(), notePublic: true }, { orgPath: '/', includePrivate: true });
}
