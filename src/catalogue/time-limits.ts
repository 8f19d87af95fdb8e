import { AppError } from '../errors.js';

import { TIME_UNITS, type TimeLimit, type TimeUnit } from '../sla/working-time.js';

/** Units a time limit can be expressed in (工作时, 工作日, 自然日, hours, minutes): the SLA engine's. */
export const LIMIT_UNITS = TIME_UNITS;
export type LimitUnit = TimeUnit;
export type { TimeLimit };

/** Workflow stages that carry a time limit. */
export const STAGES = ['verify', 'register', 'dispatch', 'handle', 'check', 'close', 'reply', 'callback', 'acceptance', 'conclude', 'review', 'recheck', 'mediate'] as const;
export type StageKey = (typeof STAGES)[number];


export type TimeLimits = Partial<Record<StageKey, TimeLimit>>;

/** Parses and validates a category's per-stage time limits. Throws validation_failed naming the stage. */
export function parseTimeLimits(value: unknown): TimeLimits {
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new AppError('validation_failed', 'timeLimits must be an object keyed by stage', { field: 'timeLimits' });
  const out: TimeLimits = {};
  for (const [stage, limit] of Object.entries(value as Record<string, unknown>)) {
    if (!(STAGES as readonly string[]).includes(stage)) throw new AppError('validation_failed', `timeLimits has unknown stage "${stage}"`, { field: `timeLimits.${stage}` });
    const l = limit as Partial<TimeLimit> | null;
    if (!l || typeof l.amount !== 'number' || !(l.amount > 0) || l.amount > 100_000 || !(LIMIT_UNITS as readonly string[]).includes(String(l.unit))) {
      throw new AppError('validation_failed', `timeLimits.${stage} must be {amount > 0, unit in ${LIMIT_UNITS.join('|')}}`, { field: `timeLimits.${stage}` });
    }
    out[stage as StageKey] = { amount: l.amount, unit: l.unit as LimitUnit };
  }
  return out;
}

/** Stage limits every urban (数字城管) category starts with; `handle` is overridden per category. */
export const URBAN_DEFAULT_LIMITS: TimeLimits = {
  verify: { amount: 2, unit: 'work_hours' },
  register: { amount: 1, unit: 'work_hours' },
  dispatch: { amount: 1, unit: 'work_hours' },
  handle: { amount: 1, unit: 'work_days' },
  check: { amount: 2, unit: 'work_hours' },
  close: { amount: 1, unit: 'work_hours' },
};

/** Stage limits of the 12345 hotline flow (一般诉求: 7 days to handle). */
export const HOTLINE_DEFAULT_LIMITS: TimeLimits = {
  dispatch: { amount: 2, unit: 'hours' },
  handle: { amount: 7, unit: 'calendar_days' },
  callback: { amount: 2, unit: 'work_days' },
  close: { amount: 1, unit: 'work_days' },
};

/**
 * 矛盾纠纷 categories: 回访 within 15 days of the agreement, 结案 within 3 working days after it.
 * The 调解 term itself is configuration (court-referred or not: social/social.limits.ts).
 */
export const MEDIATION_DEFAULT_LIMITS: TimeLimits = {
  mediate: { amount: 30, unit: 'calendar_days' },
  callback: { amount: 15, unit: 'calendar_days' },
  close: { amount: 3, unit: 'work_days' },
};

/** 信访 categories show the statute's limits; the running clocks take them from configuration. */
export const PETITION_DEFAULT_LIMITS: TimeLimits = {
  acceptance: { amount: 15, unit: 'calendar_days' },
  conclude: { amount: 60, unit: 'calendar_days' },
  review: { amount: 30, unit: 'calendar_days' },
  recheck: { amount: 30, unit: 'calendar_days' },
};

/**
 * Stage limits of the hazard flow (隐患排查治理): 派遣 within a working day, 验收 within 3 working
 * days, 销号 within one; `handle` (整改) is the category's, and a 重大隐患's 治理方案 sets its own
 * deadline. UNVERIFIED defaults, editable per category.
 */
export const HAZARD_DEFAULT_LIMITS: TimeLimits = {
  dispatch: { amount: 1, unit: 'work_days' },
  handle: { amount: 10, unit: 'work_days' },
  check: { amount: 3, unit: 'work_days' },
  close: { amount: 1, unit: 'work_days' },
};
