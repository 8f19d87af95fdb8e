import { AppError } from '../errors.js';

/**
 * KPI formula settings: composite weights, the 基本满意 factor and the A–E grade bands.
 *
 * Every default below comes from an implementation or a secondary source, not from the official
 * standard text (GB/T 30428.4 / CJ/T 292, 北京市接诉即办工作条例), so each is UNVERIFIED and meant to
 * be overridden per city. Source: /work/shared/reference/cn-governance-rules.md §1.7 and §3.
 */

export type Grade = 'A' | 'B' | 'C' | 'D' | 'E';

/** A score ≥ `min` (0–100) earns `grade`, unless a band listed earlier already matched. */
export interface GradeBand {
  readonly grade: Grade;
  readonly min: number;
}

/** Weights of the 12345 三率 composite (响应率, 解决率, 满意率); they must sum to 1. */
export interface HotlineWeights {
  readonly response: number;
  readonly resolution: number;
  readonly satisfaction: number;
}

/**
 * Weights of the urban-case (数字城管) composite, used where there are no citizen callbacks; they
 * must sum to 1. `noRework` scores 1 − 返工率, so fewer reworks raise the score.
 */
export interface UrbanWeights {
  readonly closure: number;
  readonly onTimeClosure: number;
  readonly noRework: number;
}

export interface KpiConfig {
  readonly weights: HotlineWeights;
  /** Share of a 基本满意 answer that counts as 满意 in 满意率. */
  readonly basicSatisfiedWeight: number;
  readonly urbanWeights: UrbanWeights;
  /** Ordered from the highest `min` down; the last band is the floor and must start at 0. */
  readonly gradeBands: readonly GradeBand[];
  /** 按期结案: closed by the case's deadline (`deadline`) or with every stage within its limit (`stages`). */
  readonly onTimeClosure: 'deadline' | 'stages';
}

/** The shipped defaults. Deep-frozen: build a new object to override. */
export const DEFAULT_KPI_CONFIG: KpiConfig = Object.freeze({
  // UNVERIFIED: 10 % 响应 + 50 % 解决 + 40 % 满意, from the 12345 implementation S1mpleLIAO/12345 (reference §3).
  weights: Object.freeze({ response: 0.1, resolution: 0.5, satisfaction: 0.4 }),
  // UNVERIFIED: 满意率 = (满意 + 0.9 × 基本满意) / 有效回访, same implementation (reference §3).
  basicSatisfiedWeight: 0.9,
  // UNVERIFIED and not sourced at all: the only region formula found (reference §1.7) is incomplete
  // (its weights sum to 70 %), so these are a platform placeholder until GB/T 30428.4 is read.
  urbanWeights: Object.freeze({ closure: 0.4, onTimeClosure: 0.4, noRework: 0.2 }),
  // Most evaluation schemes count a case closed by its own deadline as on time; `stages` is the stricter reading.
  onTimeClosure: 'deadline',
  // UNVERIFIED: A ≥ 90, B 75–<90, C 60–<75, D 40–<60, E < 40, from the CJ/T 292 implementation (reference §1.7).
  gradeBands: Object.freeze([
    Object.freeze({ grade: 'A', min: 90 }),
    Object.freeze({ grade: 'B', min: 75 }),
    Object.freeze({ grade: 'C', min: 60 }),
    Object.freeze({ grade: 'D', min: 40 }),
    Object.freeze({ grade: 'E', min: 0 }),
  ] as const),
});

const WEIGHT_SUM_TOLERANCE = 1e-9;

function checkWeights(name: string, weights: object, problems: string[]): void {
  const entries = Object.entries(weights) as [string, unknown][];
  let sum = 0;
  for (const [key, value] of entries) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1) {
      problems.push(`${name}.${key} must be a number between 0 and 1, got ${String(value)}`);
      continue;
    }
    sum += value;
  }
  if (Math.abs(sum - 1) > WEIGHT_SUM_TOLERANCE) {
    const terms = entries.map(([key, value]) => `${key} ${String(value)}`).join(' + ');
    problems.push(`${name} must sum to 1 (±${WEIGHT_SUM_TOLERANCE}), got ${sum} (${terms})`);
  }
}

function checkBands(bands: readonly GradeBand[], problems: string[]): void {
  if (bands.length === 0) {
    problems.push('gradeBands must list at least one band');
    return;
  }
  const seen = new Set<string>();
  bands.forEach((band, i) => {
    if (seen.has(band.grade)) problems.push(`gradeBands lists grade ${band.grade} twice`);
    seen.add(band.grade);
    if (!Number.isFinite(band.min) || band.min < 0 || band.min > 100) {
      problems.push(`gradeBands[${i}] (${band.grade}) min must be between 0 and 100, got ${band.min}`);
    }
    const previous = bands[i - 1];
    if (previous && !(band.min < previous.min)) {
      problems.push(`gradeBands must be strictly descending by min: ${previous.grade} ${previous.min} is followed by ${band.grade} ${band.min}`);
    }
  });
  const floor = bands[bands.length - 1];
  if (floor.min !== 0) problems.push(`the last grade band (${floor.grade}) must start at 0 so every score has a grade, got ${floor.min}`);
}

/**
 * Checks a KPI configuration and returns it unchanged: both weight sets non-negative and summing
 * to 1 ± 1e-9, basicSatisfiedWeight within 0–1, grade bands unique, within 0–100, strictly
 * descending and ending at 0. Throws config_invalid listing every problem found.
 */
export function validateKpiConfig(config: KpiConfig): KpiConfig {
  const problems: string[] = [];
  checkWeights('weights', config.weights, problems);
  checkWeights('urbanWeights', config.urbanWeights, problems);
  const basic = config.basicSatisfiedWeight;
  if (!Number.isFinite(basic) || basic < 0 || basic > 1) {
    problems.push(`basicSatisfiedWeight must be between 0 and 1, got ${basic}`);
  }
  checkBands(config.gradeBands, problems);
  if (problems.length > 0) {
    throw new AppError('config_invalid', `invalid KPI config: ${problems.join('; ')}`, { problems });
  }
  return config;
}
