import { AppError } from '../errors.js';

/** The four colours of 风险分级管控: 重大 (红) / 较大 (橙) / 一般 (黄) / 低 (蓝). */
export const RISK_LEVELS = ['red', 'orange', 'yellow', 'blue'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];
export const RISK_LABELS: Record<RiskLevel, string> = { red: '重大风险', orange: '较大风险', yellow: '一般风险', blue: '低风险' };

/** 管控层级. */
export const CONTROL_LEVELS = ['company', 'workshop', 'team', 'post'] as const;

/**
 * Score thresholds (red, orange, yellow; below yellow is blue). UNVERIFIED defaults from memory
 * (cn-governance-rules §6): LEC D = L×E×C with >320 / 160–320 / 70–160 / <70; a 5×5 risk matrix
 * L×S with ≥20 / ≥15 / ≥9 / below. Configurable per city.
 */
export interface RiskThresholds {
  lec: [number, number, number];
  matrix: [number, number, number];
}
export const DEFAULT_RISK_THRESHOLDS: RiskThresholds = { lec: [320, 160, 70], matrix: [20, 15, 9] };

export type RiskAssessment =
  | { method: 'lec'; l: number; e: number; c: number }
  | { method: 'matrix'; l: number; s: number }
  /** A 5-grade scheme (1 级 红 … 5 级 蓝): grades 4 and 5 are both blue. */
  | { method: 'grade5'; grade: number }
  | { method: 'direct'; level: RiskLevel };

/**
 * The score and colour of an assessment. LEC: D = L×E×C, the larger the worse; matrix: L×S (1–5
 * each). Throws validation_failed for factors out of range.
 */
export function assessRisk(a: RiskAssessment, t: RiskThresholds = DEFAULT_RISK_THRESHOLDS): { score: number | null; level: RiskLevel } {
  const colour = (score: number, [red, orange, yellow]: [number, number, number], strictRed: boolean): RiskLevel =>
    (strictRed ? score > red : score >= red) ? 'red' : score >= orange ? 'orange' : score >= yellow ? 'yellow' : 'blue';
  switch (a.method) {
    case 'lec': {
      if (![a.l, a.e, a.c].every((v) => v > 0 && v <= 100)) throw new AppError('validation_failed', 'LEC factors L, E, C must be > 0 and ≤ 100', { field: 'assessment' });
      const d = Math.round(a.l * a.e * a.c * 100) / 100;
      return { score: d, level: colour(d, t.lec, true) };
    }
    case 'matrix': {
      if (![a.l, a.s].every((v) => Number.isInteger(v) && v >= 1 && v <= 5)) throw new AppError('validation_failed', 'risk matrix L and S must be integers 1–5', { field: 'assessment' });
      const r = a.l * a.s;
      return { score: r, level: colour(r, t.matrix, false) };
    }
    case 'grade5': {
      if (!Number.isInteger(a.grade) || a.grade < 1 || a.grade > 5) throw new AppError('validation_failed', 'grade must be 1–5', { field: 'assessment' });
      return { score: a.grade, level: (['red', 'orange', 'yellow', 'blue', 'blue'] as const)[a.grade - 1] };
    }
    case 'direct':
      return { score: null, level: a.level };
  }
}

/** The worst of some levels (an enterprise's colour is its worst risk point's); null for none. */
export function worstLevel(levels: readonly RiskLevel[]): RiskLevel | null {
  for (const l of RISK_LEVELS) if (levels.includes(l)) return l;
  return null;
}
