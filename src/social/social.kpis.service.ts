import type { Ctx } from '../context.js';
import { AppError } from '../errors.js';
import { getOrgUnitInScope } from '../org/org.service.js';
import { caseScopeFor } from '../cases/case.scope.js';
import { getWorkCalendar } from '../sla/calendar.loader.js';
import { addDays } from '../time/local-date.js';
import { addWorkingTime } from '../sla/working-time.js';
import { fromLocal, localDate } from '../time/zoned-time.js';
import { PETITION_DAYS } from './social.limits.js';
import { socialRepository } from './social.repository.js';
import { disputeKpis, petitionKpis, type DisputeFacts, type PetitionFacts } from './social.kpis.js';

const MAX_DAYS = 366;

/** Residents of an org unit for 万人成讼率: a configured district, or the sum of a city's districts. */
function populationOf(ctx: Ctx, org: { code: string; level: string }): number | null {
  const table = ctx.app.config.social.districtPopulation;
  if (org.level === 'district') return table[org.code] ?? null;
  if (org.level !== 'city') return null;
  const own = Object.entries(table).filter(([code]) => code.startsWith(org.code.slice(0, 4)));
  return own.length ? own.reduce((n, [, p]) => n + p, 0) : null;
}

/**
 * The dispute and petition KPIs of an org unit's subtree over local dates [from, to] (default: this
 * month so far), computed from the records (only the actor's scope counts). Throws org_unit_not_found, validation_failed.
 */
export async function socialKpiReport(ctx: Ctx, req: { org?: string; from?: string; to?: string }) {
  const org = await getOrgUnitInScope(ctx, req.org ?? ctx.actor.orgCode);
  const tz = ctx.app.config.timeZone;
  const to = req.to ?? localDate(ctx.now, tz);
  const from = req.from ?? `${to.slice(0, 8)}01`;
  if (from > to) throw new AppError('validation_failed', 'from must not be after to', { field: 'from' });
  if ((Date.parse(to) - Date.parse(from)) / 86_400_000 > MAX_DAYS) throw new AppError('validation_failed', `the period may span at most ${MAX_DAYS} days`, { field: 'from' });
  const period = { start: new Date(fromLocal(from, 0, tz)).toISOString(), end: new Date(fromLocal(addDays(to, 1), 0, tz)).toISOString() };
  const scope = { ...caseScopeFor(ctx.actor), orgPath: org.path };

  const disputes = await socialRepository.disputeFacts(ctx.db, scope, period.end);
  const later = await socialRepository.disputesOfParties(ctx.db, [...new Set(disputes.map((d) => d.parties_key).filter((k): k is string => !!k))]);
  const disputeFacts: DisputeFacts[] = disputes.map((d) => ({
    createdAt: d.created_at,
    concludedAt: d.handled_at,
    succeeded: d.agreement_at !== null && d.referral === null,
    courtReferred: d.source.startsWith('court'),
    resolvedLevel: d.resolved_level,
    agreementAt: d.agreement_at,
    agreementKept: d.agreement_kept === null ? null : d.agreement_kept === 1,
    referral: d.referral,
    nextSameParties: later.filter((l) => l.id !== d.id && l.parties_key === d.parties_key && l.category_code === d.category_code && d.agreement_at !== null && l.created_at > d.agreement_at)
      .map((l) => l.created_at).sort()[0] ?? null,
  }));

  const cal = getWorkCalendar(ctx.app);
  const unit = ctx.app.config.social.petitionDayUnit;
  const petitions = await socialRepository.petitionFacts(ctx.db, scope, period.end);
  const petitionFacts: PetitionFacts[] = petitions.map((p) => ({
    createdAt: p.created_at,
    decidedAt: p.registered_at ?? (p.status === 'not_accepted' ? p.closed_at : null),
    decisionDue: addWorkingTime(new Date(p.created_at), PETITION_DAYS.acceptance, unit, cal).toISOString(),
    repliedAt: p.replied_at,
    concludeDue: p.conclude_due,
    ratedAt: p.rated_at,
    satisfaction: p.callback_satisfaction,
    repeat: p.repeat_of_case_id !== null,
    skippedLevel: p.skipped_level === 1,
    backlogSince: p.backlog_since,
    backlogResolvedAt: p.backlog_resolved_at,
  }));
  return {
    org: { code: org.code, name: org.name, level: org.level },
    from, to,
    mediation: disputeKpis(disputeFacts, period, populationOf(ctx, org)),
    petition: petitionKpis(petitionFacts, period),
  };
}
