import { parseInstant } from '../sla/zoned-time.js';
import { toZonedIso } from '../time/zone.js';

/**
 * Parses a W3C datetime as clients send it: `YYYY-MM-DD`, `YYYY-MM-DDThh:mm[:ss[.fff…]]` with
 * `Z`, `±hh:mm` or `±hhmm`, or no offset (the city's local time). A `+` that a query string turned
 * into a space is read back as `+`. Returns null when the text is not such a datetime.
 */
export function parseW3cDatetime(text: string, timeZone: string): Date | null {
  let t = text.trim().replace(/ (\d{2}:?\d{2})$/, '+$1');
  if (/^\d{4}-\d{2}-\d{2}$/.test(t)) t += 'T00:00:00';
  t = t.replace(/(\.\d{3})\d+/, '$1').replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  return parseInstant(t, timeZone);
}

/** An instant stored as ISO UTC text, shown with the city's offset (2026-11-26T10:00:00+08:00); null stays null. */
export function zoned(iso: string | null | undefined, timeZone: string): string | null {
  return iso ? toZonedIso(new Date(iso), timeZone) : null;
}
