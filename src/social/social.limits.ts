import type { Config } from '../config.js';
import type { TimeLimits } from '../catalogue/time-limits.js';

/** 信访工作条例: days to decide on acceptance, to conclude, to extend at most, and for 复查 / 复核. */
export const PETITION_DAYS = { acceptance: 15, conclude: 60, extension: 30, review: 30, recheck: 30, reviewWindow: 30, recheckWindow: 30 } as const;

/** 人民调解法 §33: the parties may jointly apply for 司法确认 within 30 days; the mediator is reminded 5 days before. */
export const JUDICIAL_CONFIRMATION = { windowDays: 30, remindDaysBefore: 5 } as const;

/**
 * The stage limits of a case: for 信访 the statute's (in the configured day unit), for 调解 the
 * configured court or default term; other flows keep their category's limits.
 */
export function workflowTimeLimits(config: Config, workflow: string, channel: string, categoryLimits: TimeLimits): TimeLimits {
  if (workflow === 'petition') {
    const unit = config.social.petitionDayUnit;
    return {
      acceptance: { amount: PETITION_DAYS.acceptance, unit },
      conclude: { amount: PETITION_DAYS.conclude, unit },
      review: { amount: PETITION_DAYS.review, unit },
      recheck: { amount: PETITION_DAYS.recheck, unit },
    };
  }
  if (workflow === 'mediation') {
    const m = config.social.mediation;
    return {
      ...categoryLimits,
      mediate: { amount: channel === 'court' ? m.courtDays : m.defaultDays, unit: 'calendar_days' },
    };
  }
  return categoryLimits;
}
