import { localParts } from '../time/zoned-time.js';

/** Wall-clock fields read from a file, before the time zone makes them an instant. */
interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  ms: number;
}

const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;
const YMD = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?$/;
const US = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?: (\d{1,2}):(\d{2})(?::(\d{2}))?(?: ?([AaPp][Mm]))?)?$/;

function hour12(hour: number, ampm: string | undefined): number | null {
  if (ampm === undefined) return hour;
  if (hour < 1 || hour > 12) return null;
  const pm = ampm.toLowerCase() === 'pm';
  return (hour % 12) + (pm ? 12 : 0);
}

/** Reads the three formats real exports use: `YYYY-MM-DD[ T]HH:mm[:ss[.fff]]`, `YYYY-MM-DD`, `MM/DD/YYYY[ hh:mm[:ss] [AM|PM]]`. */
function readWallClock(text: string): WallClock | null {
  let m = YMD.exec(text);
  if (m) return { year: +m[1], month: +m[2], day: +m[3], hour: +(m[4] ?? 0), minute: +(m[5] ?? 0), second: +(m[6] ?? 0), ms: Math.floor(Number(`0.${m[7] ?? '0'}`) * 1000) };
  m = US.exec(text);
  if (m) {
    const hour = hour12(+(m[4] ?? 0), m[7]);
    if (hour === null) return null;
    return { year: +m[3], month: +m[1], day: +m[2], hour, minute: +(m[5] ?? 0), second: +(m[6] ?? 0), ms: 0 };
  }
  return null;
}

const TOKENS: Record<string, [string, keyof WallClock | 'ampm']> = {
  YYYY: ['(\\d{4})', 'year'], MM: ['(\\d{1,2})', 'month'], DD: ['(\\d{1,2})', 'day'], HH: ['(\\d{1,2})', 'hour'], hh: ['(\\d{1,2})', 'hour'],
  mm: ['(\\d{2})', 'minute'], ss: ['(\\d{2})', 'second'], SSS: ['(\\d{3})', 'ms'], A: ['([AaPp][Mm])', 'ampm'],
};

/**
 * Compiles a `timeFormat` such as `DD.MM.YYYY HH:mm` (tokens YYYY MM DD HH hh mm ss SSS A; anything
 * else literal) into a reader. Throws Error naming the format when it has no YYYY, MM or DD.
 */
export function compileTimeFormat(format: string): (text: string) => WallClock | null {
  const fields: (keyof WallClock | 'ampm')[] = [];
  const source = format.replace(/YYYY|SSS|MM|DD|HH|hh|mm|ss|A|[.*+?^${}()|[\]\\]/g, (t) => {
    const token = TOKENS[t];
    if (!token) return `\\${t}`;
    fields.push(token[1]);
    return token[0];
  });
  for (const need of ['year', 'month', 'day'] as const) if (!fields.includes(need)) throw new Error(`timeFormat "${format}" lacks ${need === 'year' ? 'YYYY' : need === 'month' ? 'MM' : 'DD'}`);
  const re = new RegExp(`^${source}$`);
  return (text) => {
    const m = re.exec(text);
    if (!m) return null;
    const w: WallClock = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0, ms: 0 };
    let ampm: string | undefined;
    fields.forEach((f, i) => (f === 'ampm' ? (ampm = m[i + 1]) : (w[f] = Number(m[i + 1]))));
    const h = hour12(w.hour, ampm);
    if (h === null) return null;
    w.hour = h;
    return w;
  };
}

function valid(w: WallClock): boolean {
  if (w.month < 1 || w.month > 12 || w.day < 1 || w.hour > 23 || w.minute > 59 || w.second > 59) return false;
  const d = new Date(Date.UTC(w.year, w.month - 1, w.day));
  return d.getUTCDate() === w.day && d.getUTCMonth() === w.month - 1;
}

// Offsets change at most twice a year: cache them per zone and local hour.
const offsets = new Map<string, number>();

/** The instant a wall-clock time in `timeZone` denotes (a time skipped by DST moves forward; a repeated one takes the first). */
export function zonedInstant(w: WallClock, timeZone: string): Date {
  const wall = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second, w.ms);
  const key = `${timeZone}|${Math.floor(wall / 3_600_000)}`;
  const cached = offsets.get(key);
  if (cached !== undefined) return new Date(wall - cached);
  let guess = wall;
  for (let i = 0; i < 3; i++) {
    const p = localParts(new Date(guess), timeZone);
    const offset = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(guess / 1000) * 1000;
    const next = wall - offset;
    if (next === guess) break;
    guess = next;
  }
  if (offsets.size > 100_000) offsets.clear();
  offsets.set(key, wall - guess);
  return new Date(guess);
}

/**
 * Parses a time from a history file: ISO-8601 with a zone as it says; ISO-8601 without one,
 * `YYYY-MM-DD HH:mm:ss` and `MM/DD/YYYY hh:mm:ss AM` (seconds and AM/PM optional) as wall-clock
 * time in `timeZone`; or, when given, `format` (see compileTimeFormat). Returns null when the text
 * is none of these or names an impossible date.
 */
export function parseHistoryTime(text: string, timeZone: string, format?: (text: string) => WallClock | null): Date | null {
  const t = text.trim();
  if (!t) return null;
  if (!format && ISO_WITH_ZONE.test(t)) {
    const ms = Date.parse(t);
    return Number.isFinite(ms) ? new Date(ms) : null;
  }
  const w = format ? format(t) : readWallClock(t);
  if (!w || !valid(w)) return null;
  return zonedInstant(w, timeZone);
}
