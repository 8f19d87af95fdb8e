import type { Ctx } from '../context.js';
import { AppError } from '../errors.js';
import { getOrgUnitInScope } from '../org/org.service.js';
import { addDays } from '../time/local-date.js';
import { localDate, localParts } from '../time/zoned-time.js';
import { patrolRepository, type PatrolRow } from './patrol.repository.js';

/** The UTC instant of local midnight starting `date` in `timeZone`. */
export function localMidnight(date: string, timeZone: string): Date {
  const guess = Date.parse(`${date}T00:00:00Z`);
  let at = guess;
  for (let i = 0; i < 2; i++) {
    const p = localParts(new Date(at), timeZone);
    const shown = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
    at = guess - (shown - at);
  }
  return new Date(at);
}

/** A period of local dates (inclusive) as a half-open UTC instant range, defaulting to this month so far. */
export function windowOf(ctx: Ctx, from?: string, to?: string): { from: string; to: string; fromIso: string; toIso: string; today: string } {
  const tz = ctx.app.config.timeZone;
  const today = localDate(ctx.now, tz);
  const f = from ?? `${today.slice(0, 8)}01`;
  const t = to ?? today;
  if (t < f) throw new AppError('validation_failed', '`to` is before `from`', { field: 'to' });
  return { from: f, to: t, today, fromIso: localMidnight(f, tz).toISOString(), toIso: localMidnight(addDays(t, 1), tz).toISOString() };
}

/** A patrol by id, unscoped: for a command that has just written it. */
export async function loadPatrol(ctx: Ctx, id: number): Promise<PatrolRow> {
  const [row] = await patrolRepository.listPatrols(ctx.db, '/', { fromIso: '0', toIso: '9', id });
  return row;
}

/** One patrol in the actor's area. Throws not_found. */
export async function getPatrol(ctx: Ctx, id: number): Promise<PatrolRow> {
  const [row] = await patrolRepository.listPatrols(ctx.db, ctx.actor.orgPath, { fromIso: '0', toIso: '9', id });
  if (!row) throw new AppError('not_found', `patrol ${id} does not exist or is outside your area`, { field: 'id' });
  return row;
}

/** Patrols of targets in the actor's area (or an org unit inside it) over a period, newest first. Throws org_unit_not_found, validation_failed. */
export async function listPatrols(ctx: Ctx, q: { org?: string; from?: string; to?: string; kind?: string; target?: string; mine?: boolean; limit: number; offset: number }) {
  const scope = q.org ? (await getOrgUnitInScope(ctx, q.org, 'org')).path : ctx.actor.orgPath;
  const w = windowOf(ctx, q.from, q.to);
  const targetIds = q.target ? [(await patrolRepository.findTargetByCode(ctx.db, q.target))?.id ?? -1] : undefined;
  return patrolRepository.listPatrols(ctx.db, scope, { fromIso: w.fromIso, toIso: w.toIso, kind: q.kind, targetIds, userId: q.mine ? ctx.actor.id : undefined, limit: q.limit, offset: q.offset });
}
