import { dateOfDayNumber, dayNumber, isIsoDate } from './local-date.js';

/**
 * The one time-zone module: local wall-clock time in an IANA zone ↔ UTC instants, computed with
 * Intl for any zone (no fixed +08:00), so the maths is right whatever the process TZ is and for
 * zones with daylight saving; the local parts, dates and offsets of instants; the W3C datetimes
 * Open311 clients send and the zoned ISO text it answers with.
 */

const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();
const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', weekday: 'short',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The named parts of an instant's wall clock in `timeZone` (whole seconds). */
function partsOf(at: Date, timeZone: string): Record<string, string> {
  const parts: Record<string, string> = {};
  for (const p of formatter(timeZone).formatToParts(at)) if (p.type !== 'literal') parts[p.type] = p.value;
  return parts;
}

/** The wall clock of `instantMs` in `timeZone` by Intl (slow: formatToParts). */
function wallMsExact(instantMs: number, timeZone: string): number {
  const ms = ((instantMs % 1000) + 1000) % 1000;
  const p = partsOf(new Date(instantMs - ms), timeZone);
  return Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second)) + ms;
}

/** Wall-clock parts of an instant in an IANA time zone. Weekday is ISO: Monday 1 … Sunday 7. */
export interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: number;
}

/** The local calendar date and time of `at` in `timeZone`. */
export function localParts(at: Date, timeZone: string): LocalParts {
  const ms = at.getTime();
  if (Number.isFinite(ms)) {
    // The wall clock through the cached offset (wallMs): no Intl call in the common case.
    const w = new Date(wallMs(ms, timeZone));
    return { year: w.getUTCFullYear(), month: w.getUTCMonth() + 1, day: w.getUTCDate(), hour: w.getUTCHours(), minute: w.getUTCMinutes(), second: w.getUTCSeconds(), weekday: w.getUTCDay() || 7 };
  }
  const p = partsOf(at, timeZone);
  return {
    year: Number(p.year),
    month: Number(p.month),
    day: Number(p.day),
    hour: Number(p.hour),
    minute: Number(p.minute),
    second: Number(p.second),
    weekday: WEEKDAYS[p.weekday],
  };
}

/** The local date "YYYY-MM-DD" of `at` in `timeZone`. */
export function localDate(at: Date, timeZone: string): string {
  const p = localParts(at, timeZone);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

/** Formats an instant as ISO-8601 with the zone's offset, e.g. 2026-11-26T16:00:00+08:00. */
export function toZonedIso(at: Date, timeZone: string): string {
  const p = localParts(at, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  const offsetMin = Math.round((asUtc - Math.floor(at.getTime() / 1000) * 1000) / 60000);
  const sign = offsetMin >= 0 ? '+' : '-';
  const abs = Math.abs(offsetMin);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** An instant stored as ISO UTC text, shown with the city's offset (2026-11-26T10:00:00+08:00); null stays null. */
export function zoned(iso: string | null | undefined, timeZone: string): string | null {
  return iso ? toZonedIso(new Date(iso), timeZone) : null;
}

const BUCKET_MS = 15 * 60_000;
const MAX_BUCKETS = 20_000;
const steadyOffsets = new Map<string, number>();

/**
 * The wall clock of `instantMs` in `timeZone`, encoded as if it were a UTC timestamp. The zone's
 * offset is kept per UTC day when it is the same at both ends of the day, else per 15-minute bucket of UTC when it is the same at both ends of the bucket (zones
 * change offset at most once in hours), so SLA maths costs a map lookup instead of an Intl call;
 * a bucket holding an offset change is computed exactly every time.
 */
function wallMs(instantMs: number, timeZone: string): number {
  // Most UTC days hold no offset change: one entry serves the whole day.
  const day = Math.floor(instantMs / DAY_MS);
  const dayKey = `${timeZone}|d${day}`;
  let steadyDay = steadyOffsets.get(dayKey);
  if (steadyDay === undefined) {
    const start = day * DAY_MS;
    const end = start + DAY_MS - 1000;
    const offset = wallMsExact(start, timeZone) - start;
    steadyDay = wallMsExact(end, timeZone) - end === offset ? offset : NaN;
    if (steadyOffsets.size >= MAX_BUCKETS) steadyOffsets.clear();
    steadyOffsets.set(dayKey, steadyDay);
  }
  if (!Number.isNaN(steadyDay)) return instantMs + steadyDay;
  const bucket = Math.floor(instantMs / BUCKET_MS);
  const key = `${timeZone}|${bucket}`;
  const known = steadyOffsets.get(key);
  if (known !== undefined) return instantMs + known;
  const start = bucket * BUCKET_MS;
  const offset = wallMsExact(start, timeZone) - start;
  const end = start + BUCKET_MS - 1000;
  if (wallMsExact(end, timeZone) - end !== offset) return wallMsExact(instantMs, timeZone);
  if (steadyOffsets.size >= MAX_BUCKETS) steadyOffsets.clear();
  steadyOffsets.set(key, offset);
  return instantMs + offset;
}

/** The zone's offset from UTC at an instant, in ms (+8 h for Asia/Shanghai). */
export function zoneOffsetMs(instantMs: number, timeZone: string): number {
  return wallMs(instantMs, timeZone) - instantMs;
}

/** The local date ('YYYY-MM-DD') and milliseconds since local midnight of an instant. */
export function toLocal(instant: Date | number, timeZone: string): { date: string; msOfDay: number } {
  const wall = wallMs(typeof instant === 'number' ? instant : instant.getTime(), timeZone);
  const day = Math.floor(wall / DAY_MS);
  return { date: dateOfDayNumber(day), msOfDay: wall - day * DAY_MS };
}

/**
 * The zone's offset over a whole local date when it does not change that day (the common case),
 * else null. Lets callers convert many times of one day with two Intl calls.
 */
export function steadyOffsetOn(date: string, timeZone: string): number | null {
  const midnight = dayNumber(date) * DAY_MS;
  const before = zoneOffsetMs(midnight - DAY_MS, timeZone);
  return before === zoneOffsetMs(midnight + 2 * DAY_MS, timeZone) ? before : null;
}

/**
 * The UTC instant (ms) of a local wall-clock time. A time repeated by a backward DST shift maps
 * to its first occurrence; a time skipped by a forward shift maps to the same distance after the
 * shift (Temporal's "compatible" disambiguation).
 */
export function fromLocal(date: string, msOfDay: number, timeZone: string): number {
  const local = dayNumber(date) * DAY_MS + msOfDay;
  const before = zoneOffsetMs(local - DAY_MS, timeZone);
  const after = zoneOffsetMs(local + DAY_MS, timeZone);
  if (before === after) return local - before;
  const candidates = [local - before, local - after].filter((t) => wallMs(t, timeZone) === local);
  return candidates.length > 0 ? Math.min(...candidates) : local - before;
}

const INSTANT_RE = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+-]\d{2}:\d{2})?$/;

/**
 * Parses 'YYYY-MM-DDTHH:MM[:SS[.mmm]]' with 'Z' or '±HH:MM'; without an offset the text is local
 * wall-clock time in `timeZone`. Returns null for anything else, including impossible dates.
 */
export function parseInstant(text: string, timeZone: string): Date | null {
  const m = INSTANT_RE.exec(text);
  if (!m || !isIsoDate(m[1])) return null;
  const [h, min, s] = [Number(m[2]), Number(m[3]), Number(m[4] ?? 0)];
  if (h > 23 || min > 59 || s > 59) return null;
  const msOfDay = ((h * 60 + min) * 60 + s) * 1000 + Number((m[5] ?? '0').padEnd(3, '0'));
  const zone = m[6];
  if (!zone) return new Date(fromLocal(m[1], msOfDay, timeZone));
  let offset = 0;
  if (zone !== 'Z') {
    const [oh, om] = [Number(zone.slice(1, 3)), Number(zone.slice(4, 6))];
    if (oh > 23 || om > 59) return null;
    offset = (zone[0] === '-' ? -1 : 1) * (oh * 60 + om) * 60_000;
  }
  return new Date(dayNumber(m[1]) * DAY_MS + msOfDay - offset);
}

/**
 * Parses a W3C datetime as Open311 clients send it: `YYYY-MM-DD`, `YYYY-MM-DDThh:mm[:ss[.fff…]]`
 * with `Z`, `±hh:mm` or `±hhmm`, or no offset (the city's local time). A `+` that a query string
 * turned into a space is read back as `+`. Returns null when the text is not such a datetime.
 */
export function parseW3cDatetime(text: string, timeZone: string): Date | null {
  let t = text.trim().replace(/ (\d{2}:?\d{2})$/, '+$1');
  if (/^\d{4}-\d{2}-\d{2}$/.test(t)) t += 'T00:00:00';
  t = t.replace(/(\.\d{3})\d+/, '$1').replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  return parseInstant(t, timeZone);
}
