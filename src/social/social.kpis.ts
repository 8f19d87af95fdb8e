/**
 * KPIs of disputes (矛盾纠纷) and petitions (信访) as pure functions of their records in one org
 * subtree, for a period [start, end) of instants. Rates are null when their denominator is 0.
 * Definitions (issue 9):
 * - 受理数: disputes received in the period.
 * - 调解成功率: of the disputes concluded in the period (调解成功 or 调解不成), the share that succeeded.
 * - 化解在基层比例: of those that succeeded, the share resolved at community or street level.
 * - 诉前调解成功率: 调解成功率 of the court-referred ones.
 * - 协议履行率: of the agreements followed up (回访) among those concluded, the share being kept.
 * - 回流率: of the disputes that succeeded, the share whose parties came back with a dispute of the
 *   same type within 180 days of the agreement.
 * - 万人成讼率: disputes sent on to 诉讼 after 调解不成, per 10,000 residents (null without a population).
 * - 及时受理率: of the petitions decided on (受理 or 不予受理) in the period, the share within 15 days.
 * - 按期办结率: of the written replies in the period, the share by the 办结 deadline then in force.
 * - 参评满意率: of the petitioners' ratings in the period, the share 满意 or 基本满意.
 * - 重复信访率: of the petitions registered in the period, the share that repeat an earlier one.
 * - 积案化解率: of the 积案 open at some point in the period, the share resolved in it.
 * - 越级访: petitions registered in the period filed above the level that should handle them.
 */

export interface DisputeFacts {
  createdAt: string;
  /** When 调解成功 / 调解不成 was recorded (handled_at). */
  concludedAt: string | null;
  succeeded: boolean;
  courtReferred: boolean;
  resolvedLevel: string | null;
  agreementAt: string | null;
  agreementKept: boolean | null;
  referral: string | null;
  /** The first later dispute of the same parties and type, when there is one. */
  nextSameParties: string | null;
}

export interface PetitionFacts {
  createdAt: string;
  /** 受理 or 不予受理, and by when it was due. */
  decidedAt: string | null;
  decisionDue: string;
  repliedAt: string | null;
  concludeDue: string | null;
  ratedAt: string | null;
  satisfaction: string | null;
  repeat: boolean;
  skippedLevel: boolean;
  backlogSince: string | null;
  backlogResolvedAt: string | null;
}

export interface Period { start: string; end: string }

const rate = (num: number, den: number) => (den === 0 ? null : Math.round((num / den) * 10_000) / 10_000);
const within = (at: string | null, p: Period): at is string => at !== null && at >= p.start && at < p.end;
const RETURN_MS = 180 * 86_400_000;

/** The dispute KPIs of `facts` over `period`; `population` of the area for 万人成讼率, when known. */
export function disputeKpis(facts: readonly DisputeFacts[], period: Period, population: number | null) {
  const received = facts.filter((f) => within(f.createdAt, period)).length;
  const concluded = facts.filter((f) => within(f.concludedAt, period));
  const succeeded = concluded.filter((f) => f.succeeded);
  const court = concluded.filter((f) => f.courtReferred);
  const followed = concluded.filter((f) => f.succeeded && f.agreementKept !== null);
  const returned = succeeded.filter((f) => f.nextSameParties !== null && f.agreementAt !== null && Date.parse(f.nextSameParties) - Date.parse(f.agreementAt) <= RETURN_MS);
  const litigated = concluded.filter((f) => !f.succeeded && f.referral === 'litigation').length;
  return {
    received,
    concluded: concluded.length,
    succeeded: succeeded.length,
    successRate: rate(succeeded.length, concluded.length),
    grassrootsRate: rate(succeeded.filter((f) => f.resolvedLevel === 'community' || f.resolvedLevel === 'street').length, succeeded.length),
    courtReferred: court.length,
    preSuitSuccessRate: rate(court.filter((f) => f.succeeded).length, court.length),
    fulfilmentRate: rate(followed.filter((f) => f.agreementKept).length, followed.length),
    returnRate: rate(returned.length, succeeded.length),
    litigated,
    litigationPer10k: population ? Math.round((litigated / population) * 10_000 * 10_000) / 10_000 : null,
  };
}

/** The petition KPIs of `facts` over `period`. */
export function petitionKpis(facts: readonly PetitionFacts[], period: Period) {
  const registered = facts.filter((f) => within(f.createdAt, period));
  const decided = facts.filter((f) => within(f.decidedAt, period));
  const replied = facts.filter((f) => within(f.repliedAt, period));
  const rated = facts.filter((f) => within(f.ratedAt, period) && f.satisfaction !== null);
  const backlog = facts.filter((f) => f.backlogSince !== null && f.backlogSince < period.end && (f.backlogResolvedAt === null || f.backlogResolvedAt >= period.start));
  return {
    registered: registered.length,
    decided: decided.length,
    timelyAcceptanceRate: rate(decided.filter((f) => (f.decidedAt ?? '') <= f.decisionDue).length, decided.length),
    replied: replied.length,
    onTimeConclusionRate: rate(replied.filter((f) => f.concludeDue !== null && (f.repliedAt ?? '') <= f.concludeDue).length, replied.length),
    rated: rated.length,
    satisfactionRate: rate(rated.filter((f) => f.satisfaction === 'satisfied' || f.satisfaction === 'basically_satisfied').length, rated.length),
    repeatRate: rate(registered.filter((f) => f.repeat).length, registered.length),
    backlog: backlog.length,
    backlogResolutionRate: rate(backlog.filter((f) => within(f.backlogResolvedAt, period)).length, backlog.length),
    skippedLevel: registered.filter((f) => f.skippedLevel).length,
  };
}
