import type { Ajv } from 'ajv';
import { isIsoDate } from '../time/local-date.js';
import { parseInstant } from '../time/zoned-time.js';

const DATE_TIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})$/;

/** Whether `text` is a real calendar date 'YYYY-MM-DD' (2026-02-30 is not). */
export const isCalendarDate = isIsoDate;

/** Whether `text` is a real instant 'YYYY-MM-DDTHH:MM[:SS[.mmm]]' with 'Z' or '±HH:MM' (no 2026-02-30T…, no 24:00). */
export function isDateTime(text: string): boolean {
  return DATE_TIME_RE.test(text) && parseInstant(text, 'UTC') !== null;
}

/**
 * The one date validator of the HTTP schemas: `format: 'date'`, `'date-time'` and
 * `'date-or-date-time'` (a city date or an instant) all check that the date exists, so an
 * impossible date is refused at validation wherever a date is taken.
 */
export function addDateFormats(ajv: Ajv): Ajv {
  ajv.addFormat('date', { type: 'string', validate: isCalendarDate });
  ajv.addFormat('date-time', { type: 'string', validate: isDateTime });
  ajv.addFormat('date-or-date-time', { type: 'string', validate: (t: string) => isCalendarDate(t) || isDateTime(t) });
  return ajv;
}
