import { createRequire } from 'node:module';
import type { AppContext } from '../context.js';
import { calendarRepository, type CalendarEntry } from './calendar.repository.js';

const require = createRequire(import.meta.url);

interface ChineseDaysData {
  /** date → "English name,中文名,days": statutory days off, weekends inside a holiday included. */
  holidays: Record<string, string>;
  /** date → same: 调休 make-up workdays (a Saturday or Sunday worked). */
  workdays: Record<string, string>;
}

function chineseName(value: string): string {
  return value.split(',')[1]?.trim() || value;
}

/**
 * The national holidays and 调休 make-up workdays shipped by the `chinese-days` package (2004 to
 * its last published year), as calendar entries: 国庆节 off, 国庆节补班 a workday.
 */
export function chineseDaysEntries(): CalendarEntry[] {
  const data: ChineseDaysData = require('chinese-days/dist/chinese-days.json');
  const off = Object.entries(data.holidays).map(([date, v]) => ({ date, isWorkday: false, name: chineseName(v) }));
  const work = Object.entries(data.workdays).map(([date, v]) => ({ date, isWorkday: true, name: `${chineseName(v)}补班` }));
  return [...off, ...work].sort((a, b) => a.date.localeCompare(b.date));
}

/**
 * Boot step: inserts the chinese-days entries whose date has no row yet. Idempotent; never
 * overwrites a row, and skips whole years for which a State Council notice was imported (the
 * notice is authoritative there, even for dates it deliberately left plain). Returns rows added.
 */
export async function seedCalendarDays(app: AppContext): Promise<number> {
  const db = app.store.db;
  const existing = await calendarRepository.listAll(db);
  const present = new Set(existing.map((r) => r.date));
  const noticeYears = new Set(existing.filter((r) => r.source === 'notice').map((r) => r.date.slice(0, 4)));
  const missing = chineseDaysEntries().filter((e) => !present.has(e.date) && !noticeYears.has(e.date.slice(0, 4)));
  if (missing.length === 0) return 0;
  return calendarRepository.insertMissing(db, missing, 'chinese-days', app.clock().toISOString());
}
