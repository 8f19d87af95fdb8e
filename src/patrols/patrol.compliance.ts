import { periodsWithin, type FrequencyRule } from './patrol.frequency.js';

/** Flags that keep a patrol from counting, whatever its length: it is reported, not silently counted. */
export const PATROL_FLAGS = ['too_fast', 'outside_target', 'night'] as const;
export type PatrolFlag = (typeof PATROL_FLAGS)[number];

/** What a plan asks of each patrol: minimum minutes, metres and coverage (0–1) of the target. */
export interface PatrolMinimums {
  minDurationS: number;
  minDistanceM: number;
  minCoverage: number;
}

/** A patrol as the compliance maths sees it. `date` is the local date it started on. */
export interface PatrolFacts {
  date: string;
  durationS: number;
  distanceM: number;
  coverage: number | null;
  flags: readonly string[];
}

/** Why a patrol counts or not. */
export type PatrolVerdict = 'counted' | 'too_short' | 'flagged';

/**
 * Judges one patrol against a plan's minimums: flagged (implausible, outside the target, at night)
 * before too short (under the minimum duration, distance or coverage) before counted.
 */
export function judgePatrol(p: PatrolFacts, min: PatrolMinimums): PatrolVerdict {
  if (p.flags.length > 0) return 'flagged';
  if (p.durationS < min.minDurationS || p.distanceM < min.minDistanceM || (min.minCoverage > 0 && (p.coverage ?? 0) < min.minCoverage)) return 'too_short';
  return 'counted';
}

export interface ComplianceFigures {
  required: number;
  done: number;
  missed: number;
  /** done / required, null when nothing was required. */
  rate: number | null;
  /** Patrols that did not count: too short, or flagged. */
  tooShort: number;
  flagged: number;
}

/**
 * Required, done and missed patrols of one plan over [from, to] (local dates, inclusive), given
 * the patrols that may count for it. Each whole period of the rule inside the window (and on or
 * after the plan's first day) requires `times` patrols; counted patrols in a period count up to
 * `times` (extra patrols do not make up for another period). A period not over by `today` owes
 * nothing yet: its counted patrols are both required and done, so nothing is missed early.
 */
export function complianceOf(rule: FrequencyRule, min: PatrolMinimums, patrols: readonly PatrolFacts[], window: { from: string; to: string; startsOn: string; today: string }): ComplianceFigures {
  const from = window.startsOn > window.from ? window.startsOn : window.from;
  let required = 0;
  let done = 0;
  let tooShort = 0;
  let flagged = 0;
  for (const period of periodsWithin(from, window.to, rule.period)) {
    let counted = 0;
    for (const p of patrols) {
      if (p.date < period.start || p.date > period.end) continue;
      const verdict = judgePatrol(p, min);
      if (verdict === 'counted') counted++;
      else if (verdict === 'too_short') tooShort++;
      else flagged++;
    }
    const doneHere = Math.min(counted, rule.times);
    required += period.end < window.today ? rule.times : doneHere;
    done += doneHere;
  }
  return { required, done, missed: required - done, rate: required > 0 ? done / required : null, tooShort, flagged };
}
