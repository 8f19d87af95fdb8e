import type { Grade, GradeBand, KpiConfig } from './kpi.config.js';

/**
 * The additive counters the case-transition rollup keeps per (org unit × category × department ×
 * day). Every field is a plain sum, so buckets add up with `addCounters` (a month is the sum of
 * its days, a district the sum of its streets). Each counter is credited to the bucket of the day
 * the event happened, with the case's keys at that moment. All values are integers.
 */
export interface KpiCounters {
  /** 上报数: reports received, before any 立案 decision. */
  reported: number;
  /** 立案数: reports accepted as cases. */
  registered: number;
  /** 不予立案数: reports refused at 立案. */
  rejected: number;
  /** 派遣数: dispatches to a department, a re-dispatch after 退回 included. */
  dispatched: number;
  /** 按时派遣数: dispatches made within the dispatch stage limit. */
  dispatchedOnTime: number;
  /** 处置数: handling results reported by departments, each round of rework included. */
  handled: number;
  /** 按期处置数: handling results reported by the handling deadline. */
  handledOnTime: number;
  /** 返工数: handling results sent back for rework at 核查. */
  reworked: number;
  /** 结案数: cases closed. */
  closed: number;
  /** 按期结案数 (strict reading): cases closed with every stage (核实, 立案, 派遣, 处置, 核查, 结案…) within its own limit. */
  closedOnTime: number;
  /** 按期结案数 (usual reading): cases closed by the case's own deadline (its 处置 limit from intake, moved by 延期 and 挂起). */
  closedByDeadline: number;
  /** 核实数: reports verified. */
  verified: number;
  /** 按时核实数: verified within the 核实 stage limit. */
  verifiedOnTime: number;
  /** 核查数: handling results checked (passed or sent back). */
  checked: number;
  /** 按时核查数: checked within the 核查 stage limit. */
  checkedOnTime: number;
  /**
   * 应结案数: cases that are expected to reach closure. +1 when a case is registered, −1 when a
   * registered case is voided (作废), each credited like any other counter to the day of the
   * event, so one bucket may be negative; over a period it is registered minus voided.
   * Chosen over "cases due in the period" because due dates move (延期, 挂账) and the rollup is
   * driven by transitions, not by the clock.
   */
  shouldClose: number;
  /** 超期数: cases that passed their handling deadline unfinished, counted once per case. */
  overdue: number;
  /** Sum of handling durations in milliseconds, from dispatch to the handling result. */
  handlingMsSum: number;
  /** Number of durations in `handlingMsSum`. */
  handlingCount: number;
  /** 作废数: registered cases voided. */
  voided: number;
  /** 有效回访数: valid citizen callbacks (12345); the base of 三率. */
  callbacks: number;
  /** 已联系: callbacks where the citizen confirms the handling unit contacted them. */
  contacted: number;
  /** 已解决: callbacks where the citizen says the problem is solved. */
  solved: number;
  /** 满意: callbacks answered "satisfied". */
  satisfied: number;
  /** 基本满意: callbacks answered "basically satisfied". */
  basicallySatisfied: number;
  /** 不满意: callbacks answered "dissatisfied"; shown, not used by any formula. */
  dissatisfied: number;
}

// The compiler rejects this literal if a counter is missing or extra: it is the one list of keys.
const ZERO: Readonly<KpiCounters> = Object.freeze({
  reported: 0, registered: 0, rejected: 0, dispatched: 0, dispatchedOnTime: 0,
  handled: 0, handledOnTime: 0, reworked: 0, closed: 0, closedOnTime: 0, closedByDeadline: 0, shouldClose: 0,
  verified: 0, verifiedOnTime: 0, checked: 0, checkedOnTime: 0,
  overdue: 0, handlingMsSum: 0, handlingCount: 0, voided: 0,
  callbacks: 0, contacted: 0, solved: 0, satisfied: 0, basicallySatisfied: 0, dissatisfied: 0,
});

/** Every counter name, in a stable order (e.g. for rollup columns). */
export const KPI_COUNTER_KEYS: readonly (keyof KpiCounters)[] = Object.freeze(Object.keys(ZERO) as (keyof KpiCounters)[]);

/** A fresh set of counters, all zero. */
export function emptyCounters(): KpiCounters {
  return { ...ZERO };
}

/** The key-wise sum of two counter sets, as a new object; the inputs are not changed. */
export function addCounters(a: Readonly<KpiCounters>, b: Readonly<KpiCounters>): KpiCounters {
  const sum = emptyCounters();
  for (const key of KPI_COUNTER_KEYS) sum[key] = a[key] + b[key];
  return sum;
}

/**
 * KPI values for one set of counters. Rates are fractions rounded to 4 decimals, or null when
 * their denominator is 0 (nothing to measure, which is not the same as 0 %). They are not
 * clamped: counters are credited on the day of each event, so within a short window e.g. more
 * cases can close than were registered and 结案率 exceeds 1. Scores are 0–100 with 2 decimals.
 */
export interface Kpis {
  reported: number;
  registered: number;
  /** 立案率 = registered / reported. */
  registrationRate: number | null;
  /** 按时派遣率 = dispatchedOnTime / dispatched. */
  onTimeDispatchRate: number | null;
  handled: number;
  /** 按期处置率 = handledOnTime / handled. */
  onTimeHandlingRate: number | null;
  /** 返工率 = reworked / handled. */
  reworkRate: number | null;
  closed: number;
  /** 结案率 = closed / registered. */
  closureRate: number | null;
  /**
   * 按期结案率 = 按期结案数 / 应结案数 (reference §1.7), where 按期结案 follows `KpiConfig.onTimeClosure`:
   * closedByDeadline (`deadline`, the default) or closedOnTime (`stages`).
   */
  onTimeClosureRate: number | null;
  /** 按时核实率 = verifiedOnTime / verified. */
  onTimeVerifyRate: number | null;
  /** 按时核查率 = checkedOnTime / checked. */
  onTimeCheckRate: number | null;
  /** handlingMsSum / handlingCount in hours, 2 decimals; null without any handling. */
  averageHandlingHours: number | null;
  overdue: number;
  /** 响应率 = contacted / callbacks. */
  responseRate: number | null;
  /** 解决率 = solved / callbacks. */
  resolutionRate: number | null;
  /** 满意率 = (satisfied + basicSatisfiedWeight × basicallySatisfied) / callbacks. */
  satisfactionRate: number | null;
  /** 12345 composite = 100 × Σ weight × 三率; null without callbacks. */
  composite: number | null;
  grade: Grade | null;
  /** Urban composite = 100 × (closure × 结案率 + onTimeClosure × 按期结案率 + noRework × (1 − 返工率)). */
  urbanComposite: number | null;
  urbanGrade: Grade | null;
}

const MS_PER_HOUR = 3_600_000;

function ratio(numerator: number, denominator: number): number | null {
  return denominator > 0 ? numerator / denominator : null;
}

// toPrecision(12) first so binary noise (7369.999999999999) cannot flip a half-up rounding.
function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(Number((value * factor).toPrecision(12))) / factor;
}

function roundRate(rate: number | null): number | null {
  return rate === null ? null : round(rate, 4);
}

/**
 * 100 × Σ weight × indicator, from unrounded indicators, rounded to 2 decimals. Each indicator is
 * capped to 0–1 so a window with more closures than registrations cannot score above 100. Null
 * when an indicator with a non-zero weight has no value.
 */
function weightedScore(parts: readonly (readonly [indicator: number | null, weight: number])[]): number | null {
  let sum = 0;
  for (const [indicator, weight] of parts) {
    if (weight === 0) continue;
    if (indicator === null) return null;
    sum += weight * Math.min(1, Math.max(0, indicator));
  }
  return round(100 * sum, 2);
}

/**
 * The grade of a 0–100 score: the first band (highest `min` first) whose `min` the score reaches,
 * else the last band. Expects bands that passed `validateKpiConfig`; grade the rounded score so
 * the shown number and its grade agree.
 */
export function gradeFor(score: number, bands: readonly GradeBand[]): Grade {
  const match = bands.find((band) => score >= band.min);
  return (match ?? bands[bands.length - 1]).grade;
}

/**
 * Computes every KPI for a set of counters (one bucket or a sum of buckets) under a config that
 * passed `validateKpiConfig`. Pure; never throws for counters made by the rollup.
 */
export function computeKpis(c: Readonly<KpiCounters>, config: KpiConfig): Kpis {
  const reworkRate = ratio(c.reworked, c.handled);
  const closureRate = ratio(c.closed, c.registered);
  const onTimeClosureRate = ratio(config.onTimeClosure === 'stages' ? c.closedOnTime : c.closedByDeadline, c.shouldClose);
  const responseRate = ratio(c.contacted, c.callbacks);
  const resolutionRate = ratio(c.solved, c.callbacks);
  const satisfactionRate = ratio(c.satisfied + config.basicSatisfiedWeight * c.basicallySatisfied, c.callbacks);
  const { weights, urbanWeights } = config;
  const composite = weightedScore([
    [responseRate, weights.response],
    [resolutionRate, weights.resolution],
    [satisfactionRate, weights.satisfaction],
  ]);
  const urbanComposite = weightedScore([
    [closureRate, urbanWeights.closure],
    [onTimeClosureRate, urbanWeights.onTimeClosure],
    [reworkRate === null ? null : 1 - reworkRate, urbanWeights.noRework],
  ]);
  const averageHandlingMs = ratio(c.handlingMsSum, c.handlingCount);
  return {
    reported: c.reported,
    registered: c.registered,
    registrationRate: roundRate(ratio(c.registered, c.reported)),
    onTimeDispatchRate: roundRate(ratio(c.dispatchedOnTime, c.dispatched)),
    handled: c.handled,
    onTimeHandlingRate: roundRate(ratio(c.handledOnTime, c.handled)),
    reworkRate: roundRate(reworkRate),
    closed: c.closed,
    closureRate: roundRate(closureRate),
    onTimeClosureRate: roundRate(onTimeClosureRate),
    onTimeVerifyRate: roundRate(ratio(c.verifiedOnTime, c.verified)),
    onTimeCheckRate: roundRate(ratio(c.checkedOnTime, c.checked)),
    averageHandlingHours: averageHandlingMs === null ? null : round(averageHandlingMs / MS_PER_HOUR, 2),
    overdue: c.overdue,
    responseRate: roundRate(responseRate),
    resolutionRate: roundRate(resolutionRate),
    satisfactionRate: roundRate(satisfactionRate),
    composite,
    grade: composite === null ? null : gradeFor(composite, config.gradeBands),
    urbanComposite,
    urbanGrade: urbanComposite === null ? null : gradeFor(urbanComposite, config.gradeBands),
  };
}
