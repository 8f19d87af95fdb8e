import type { Satisfaction } from '../cases/workflow/index.js';

/**
 * How the demo city performs, so the big screen and the rankings have something true to show: a
 * city that closes most cases on time (按期结案率 about 90–97 %, 满意率 about 85–95 %, as cities
 * report), with two streets and one department clearly behind, one category chronically slow and
 * a bad week in winter. Pure: the simulation draws with its own seeded random numbers.
 */
export interface DemoProfile {
  /** Chance that an ordinary case is closed after its deadline. */
  baseLate: number;
  /** Street codes whose cases run late more often. */
  slowStreets: ReadonlySet<string>;
  /** The department code that falls behind. */
  slowDepartment: string;
  /** The category that is chronically slow (e.g. road repairs waiting for materials). */
  slowCategory: string;
  /** Local month-day range (inclusive) of the bad winter week, e.g. a snowstorm. */
  badWeek: { from: string; to: string };
}

/** The demo's profile; two streets are picked from the city's own list so any city gets the same shape. */
export function demoProfile(streetCodes: readonly string[]): DemoProfile {
  const sorted = [...new Set(streetCodes)].sort();
  const pick = (share: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * share))];
  return {
    baseLate: 0.02,
    slowStreets: new Set(sorted.length >= 2 ? [pick(0.3), pick(0.75)] : []),
    slowDepartment: 'STHJ',
    slowCategory: '06013',
    badWeek: { from: '01-08', to: '01-14' },
  };
}

export interface CaseTraits {
  streetCode: string | null;
  departmentCode: string | null;
  categoryCode: string;
  /** Local date (YYYY-MM-DD) the case was reported. */
  day: string;
}

/** The chance that this case closes after its deadline. */
export function lateChance(p: DemoProfile, c: CaseTraits): number {
  let chance = p.baseLate;
  if (c.streetCode && p.slowStreets.has(c.streetCode)) chance *= 6;
  if (c.departmentCode === p.slowDepartment) chance *= 12;
  if (c.categoryCode === p.slowCategory) chance = Math.max(chance, 0.45);
  const md = c.day.slice(5);
  if (md >= p.badWeek.from && md <= p.badWeek.to) chance = Math.max(chance * 6, 0.4);
  return Math.min(chance, 0.9);
}

/**
 * The fraction of the handling limit at which the case closes: well inside it (45–95 %) when on
 * time, 5–120 % past it when late.
 */
export function closeFraction(late: boolean, rand: () => number): number {
  return late ? 1.05 + rand() * 1.15 : 0.45 + rand() * 0.5;
}

/** A callback's satisfaction: mostly satisfied, worse after a late case. */
export function drawSatisfaction(late: boolean, rand: () => number): Satisfaction {
  const r = rand();
  if (late) return r < 0.45 ? 'satisfied' : r < 0.75 ? 'basically_satisfied' : 'dissatisfied';
  return r < 0.82 ? 'satisfied' : r < 0.95 ? 'basically_satisfied' : 'dissatisfied';
}
