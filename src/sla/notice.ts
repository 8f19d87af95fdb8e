import { AppError } from '../errors.js';
import type { CalendarEntry } from './calendar.repository.js';
import { daysBetween, datesInRange, isIsoDate } from '../time/local-date.js';

/**
 * A year's 国务院办公厅关于 YYYY 年部分节假日安排的通知, as data: each holiday's days off (weekends
 * inside the range included) and the 调休 make-up workdays.
 */
export interface HolidayNotice {
  year: number;
  holidays: { name: string; from: string; to: string }[];
  workdays: string[];
}

const MAX_HOLIDAY_DAYS = 31;

function checkDate(notice: HolidayNotice, date: string, field: string): void {
  if (!isIsoDate(date)) throw new AppError('validation_failed', `${field} "${date}" is not a date YYYY-MM-DD`, { field });
  if (date.slice(0, 4) !== String(notice.year)) throw new AppError('validation_failed', `${field} ${date} is not in ${notice.year}`, { field });
}

/** The holiday nearest to a make-up workday names it: 2026-10-10 → 国庆节补班. */
function workdayName(notice: HolidayNotice, date: string): string {
  let best: { name: string; distance: number } | null = null;
  for (const h of notice.holidays) {
    const distance = Math.min(Math.abs(daysBetween(date, h.from)), Math.abs(daysBetween(date, h.to)));
    if (!best || distance < best.distance) best = { name: h.name, distance };
  }
  return best ? `${best.name}补班` : '调休上班';
}

/**
 * The calendar entries of a notice: every day of every holiday off, every listed workday on.
 * Throws validation_failed naming the field (holidays.2.to, workdays.0 …) for a date that is not
 * real or not in `year`, a reversed or over-long range, overlapping holidays, or a workday inside a holiday.
 */
export function noticeEntries(notice: HolidayNotice): CalendarEntry[] {
  const byDate = new Map<string, CalendarEntry>();
  notice.holidays.forEach((h, i) => {
    checkDate(notice, h.from, `holidays.${i}.from`);
    checkDate(notice, h.to, `holidays.${i}.to`);
    const span = daysBetween(h.from, h.to) + 1;
    if (span < 1 || span > MAX_HOLIDAY_DAYS) throw new AppError('validation_failed', `holidays.${i} must run forward over 1–${MAX_HOLIDAY_DAYS} days`, { field: `holidays.${i}.to` });
    for (const date of datesInRange(h.from, h.to)) {
      if (byDate.has(date)) throw new AppError('validation_failed', `holidays.${i} overlaps another holiday on ${date}`, { field: `holidays.${i}` });
      byDate.set(date, { date, isWorkday: false, name: h.name });
    }
  });
  notice.workdays.forEach((date, i) => {
    checkDate(notice, date, `workdays.${i}`);
    if (byDate.get(date)?.isWorkday === false) throw new AppError('validation_failed', `workdays.${i} ${date} is inside a holiday`, { field: `workdays.${i}` });
    byDate.set(date, { date, isWorkday: true, name: workdayName(notice, date) });
  });
  return [...byDate.values()].sort((a, b) => a.date.localeCompare(b.date));
}
