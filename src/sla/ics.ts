import { AppError } from '../errors.js';
import { addDays, daysBetween, isIsoDate } from '../time/local-date.js';
import type { CalendarEntry } from './calendar.repository.js';
import { toLocal } from '../time/zoned-time.js';

/**
 * Reads a holiday calendar in iCalendar (RFC 5545) form, such as chinese-days' holidays.ics or
 * holiday-cn's .ics. Each VEVENT covers DTSTART up to DTEND (exclusive; one day when absent) and
 * is classified from its SUMMARY, DESCRIPTION and X-APPLE-SPECIAL-DAY:
 * - make-up workday (补班): "国庆节(班)", "补班", "上班", "(Workday)", DESCRIPTION 班, ALTERNATE-WORKDAY;
 * - day off: "国庆节(休)", "假期", "休", "(Holiday)", DESCRIPTION 休, WORK-HOLIDAY.
 * Workday markers are checked first because "调休上班" contains 休. Events with neither are
 * skipped and reported; a file with no usable event is refused. The name is the SUMMARY without its marker ("国庆节(休)" → 国庆节).
 */

const MAX_EVENT_DAYS = 62;
const MAX_ENTRIES = 20_000;

/** The result of reading an .ics text: entries by date, plus events that could not be classified. */
export interface IcsReadResult {
  entries: CalendarEntry[];
  skipped: string[];
}

function unfold(text: string): string[] {
  return text.replace(/\r\n?/g, '\n').replace(/\n[ \t]/g, '').split('\n');
}

function unescapeText(value: string): string {
  return value.replace(/\\n/gi, ' ').replace(/\\([,;\\])/g, '$1').trim();
}

/** One property line: NAME;PARAM=…:VALUE → { name, params, value }. */
function property(line: string): { name: string; params: string; value: string } | null {
  const colon = line.indexOf(':');
  if (colon < 0) return null;
  const head = line.slice(0, colon);
  const semi = head.indexOf(';');
  return { name: (semi < 0 ? head : head.slice(0, semi)).toUpperCase(), params: semi < 0 ? '' : head.slice(semi + 1), value: line.slice(colon + 1) };
}

/** DTSTART/DTEND value → local date. UTC date-times ("…Z") are converted to the city's zone. */
function icsDate(value: string, timeZone: string): string | null {
  const m = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z)?)?$/.exec(value.trim());
  if (!m) return null;
  const date = `${m[1]}-${m[2]}-${m[3]}`;
  if (!isIsoDate(date)) return null;
  if (m[7] !== 'Z') return date;
  return toLocal(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])), timeZone).date;
}

function classify(summary: string, description: string, special: string): boolean | null {
  const text = `${summary} ${description}`;
  if (/ALTERNATE-WORKDAY/i.test(special) || /补班|上班|[(（]\s*班\s*[)）]|workday/i.test(text) || description.trim() === '班') return true;
  if (/WORK-HOLIDAY/i.test(special) || /[(（]\s*休\s*[)）]|假期|放假|休|holiday/i.test(text)) return false;
  return null;
}

function cleanName(summary: string): string | null {
  const name = summary
    .replace(/\s*[(（]\s*(休|班|holiday|workday)\s*[)）]\s*$/i, '')
    .replace(/\s*(假期|补班|休息|放假|上班).*$/, '')
    .trim();
  return name ? name.slice(0, 40) : null;
}

type RawEvent = Record<string, { params: string; value: string }>;

function eventDays(event: RawEvent, timeZone: string): string[] {
  const start = event.DTSTART ? icsDate(event.DTSTART.value, timeZone) : null;
  if (!start) throw new AppError('import_failed', `an event has a missing or invalid DTSTART "${event.DTSTART?.value ?? ''}"`, { field: 'DTSTART' });
  const endRaw = event.DTEND?.value;
  const end = endRaw === undefined ? addDays(start, 1) : icsDate(endRaw, timeZone);
  if (!end) throw new AppError('import_failed', `an event has an invalid DTEND "${endRaw}"`, { field: 'DTEND' });
  // A date-time DTEND at or before midnight of its day still covers the start day.
  const count = Math.max(1, daysBetween(start, end));
  if (count > MAX_EVENT_DAYS) throw new AppError('import_failed', `an event spans ${count} days (at most ${MAX_EVENT_DAYS})`, { field: 'DTEND' });
  return Array.from({ length: count }, (_, i) => addDays(start, i));
}

function readEvents(text: string): RawEvent[] {
  const lines = unfold(text);
  if (!lines.some((l) => l.trim().toUpperCase() === 'BEGIN:VCALENDAR')) throw new AppError('import_failed', 'the text is not an iCalendar file (no BEGIN:VCALENDAR)');
  const events: RawEvent[] = [];
  let current: RawEvent | null = null;
  for (const line of lines) {
    const p = property(line.trim());
    if (!p) continue;
    if (p.name === 'BEGIN' && p.value.toUpperCase() === 'VEVENT') current = {};
    else if (p.name === 'END' && p.value.toUpperCase() === 'VEVENT' && current) {
      events.push(current);
      current = null;
    } else if (current && !(p.name in current)) current[p.name] = { params: p.params, value: p.value };
  }
  return events;
}

/**
 * Parses holiday .ics text into calendar entries (later events win for the same date). Throws
 * import_failed for a text that is not iCalendar, has no events, has bad dates or is too large.
 */
export function parseHolidayIcs(text: string, timeZone: string): IcsReadResult {
  const events = readEvents(text);
  if (events.length === 0) throw new AppError('import_failed', 'the calendar has no VEVENT');
  const byDate = new Map<string, CalendarEntry>();
  const skipped: string[] = [];
  for (const event of events) {
    const summary = unescapeText(event.SUMMARY?.value ?? '');
    const isWorkday = classify(summary, unescapeText(event.DESCRIPTION?.value ?? ''), event['X-APPLE-SPECIAL-DAY']?.value ?? '');
    if (isWorkday === null) {
      skipped.push(summary || '(no summary)');
      continue;
    }
    const name = cleanName(summary);
    for (const date of eventDays(event, timeZone)) byDate.set(date, { date, isWorkday, name: isWorkday && name ? `${name}补班` : name });
    if (byDate.size > MAX_ENTRIES) throw new AppError('import_failed', `the calendar covers more than ${MAX_ENTRIES} days`);
  }
  if (byDate.size === 0) throw new AppError('import_failed', 'no event is marked as a day off (休) or a make-up workday (班)', { skipped });
  return { entries: [...byDate.values()].sort((a, b) => a.date.localeCompare(b.date)), skipped };
}
