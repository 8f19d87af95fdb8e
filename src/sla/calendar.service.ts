import { inTransaction, type AppContext, type Ctx } from '../context.js';
import { AppError } from '../errors.js';
import { getCluster } from '../cluster/cluster.js';
import { getWorkCalendar, reloadWorkCalendar } from './calendar.loader.js';
import { presentCalendarDay, type CalendarDayView } from './calendar.presenter.js';
import { calendarRepository, type CalendarEntry, type CalendarSource } from './calendar.repository.js';
import { parseHolidayIcs } from './ics.js';
import { datesInRange, daysBetween, isIsoDate, isoWeekday } from '../time/local-date.js';
import { noticeEntries, type HolidayNotice } from './notice.js';
import { addWorkingTime, type TimeUnit } from './working-time.js';
import { parseInstant } from '../time/zoned-time.js';

/** The longest range GET /calendar/days lists at once. */
export const MAX_LIST_DAYS = 400;

/** National sources an import replaces; 'admin' rows (local exceptions) always stay. */
const NATIONAL: CalendarSource[] = ['chinese-days', 'notice', 'ics'];

function checkDate(date: string, field: string): void {
  if (!isIsoDate(date)) throw new AppError('validation_failed', `${field} "${date}" is not a date YYYY-MM-DD`, { field });
}

/**
 * Every date from `from` to `to` (both included, at most 400) with its workday flag, name and
 * source. Throws validation_failed naming from/to for bad dates, a reversed or too long range.
 */
export async function listCalendarDays(ctx: Ctx, from: string, to: string): Promise<CalendarDayView[]> {
  checkDate(from, 'from');
  checkDate(to, 'to');
  const span = daysBetween(from, to) + 1;
  if (span < 1 || span > MAX_LIST_DAYS) throw new AppError('validation_failed', `to must be on or after from and at most ${MAX_LIST_DAYS} days later`, { field: 'to' });
  const rows = new Map((await calendarRepository.listRange(ctx.db, from, to)).map((r) => [r.date, presentCalendarDay(r)]));
  return datesInRange(from, to).map((date) => rows.get(date) ?? { date, isWorkday: isoWeekday(date) <= 5, name: null, source: 'default' });
}

/** After a committed calendar change: this instance reloads its calendar, the others are told to. */
async function calendarChanged(app: AppContext): Promise<void> {
  await reloadWorkCalendar(app);
  await getCluster(app).publish('calendar');
}

/** Sets one date as a workday or a day off (source 'admin', a local exception no import overwrites), then reloads. */
export async function setCalendarDay(ctx: Ctx, date: string, input: { isWorkday: boolean; name?: string | null }): Promise<CalendarDayView> {
  checkDate(date, 'date');
  const entry: CalendarEntry = { date, isWorkday: input.isWorkday, name: input.name?.trim() || null };
  await inTransaction(ctx, (trx) => calendarRepository.upsert(trx.db, [entry], 'admin', trx.now.toISOString()));
  await calendarChanged(ctx.app);
  return { ...entry, source: 'admin' };
}

/** The dates among sorted `entries` that hold an admin row (local exceptions an import keeps). */
async function adminDates(ctx: Ctx, entries: CalendarEntry[]): Promise<Set<string>> {
  if (entries.length === 0) return new Set();
  const listed = new Set(entries.map((e) => e.date));
  const rows = await calendarRepository.listRange(ctx.db, entries[0].date, entries[entries.length - 1].date);
  return new Set(rows.filter((r) => r.source === 'admin' && listed.has(r.date)).map((r) => r.date));
}

function counts(entries: CalendarEntry[], kept: Set<string>) {
  const written = entries.filter((e) => !kept.has(e.date));
  return { written, offDays: written.filter((e) => !e.isWorkday).length, workdays: written.filter((e) => e.isWorkday).length, keptAdmin: kept.size };
}

/**
 * Imports a year's State Council notice: the year's national rows (chinese-days, earlier notice
 * or ics) are replaced by the notice's days off and make-up workdays (source 'notice'); admin
 * rows stay. Boot seeding never refills a year that has a notice. Throws validation_failed (see noticeEntries).
 */
export async function importHolidayNotice(ctx: Ctx, notice: HolidayNotice) {
  const entries = noticeEntries(notice);
  const result = await inTransaction(ctx, async (trx) => {
    const kept = await adminDates(trx, entries);
    const c = counts(entries, kept);
    const replaced = await calendarRepository.deleteRange(trx.db, `${notice.year}-01-01`, `${notice.year}-12-31`, NATIONAL);
    await calendarRepository.upsert(trx.db, c.written, 'notice', trx.now.toISOString());
    return { year: notice.year, offDays: c.offDays, workdays: c.workdays, keptAdmin: c.keptAdmin, replaced };
  });
  await calendarChanged(ctx.app);
  return result;
}

/**
 * Imports an iCalendar holiday file: each listed date is written (source 'ics') over national
 * rows; admin rows stay and dates the file does not list are untouched. Throws import_failed for
 * text that is not a usable holiday calendar.
 */
export async function importHolidayIcs(ctx: Ctx, text: string) {
  const { entries, skipped } = parseHolidayIcs(text, ctx.app.config.timeZone);
  const result = await inTransaction(ctx, async (trx) => {
    const c = counts(entries, await adminDates(trx, entries));
    await calendarRepository.upsert(trx.db, c.written, 'ics', trx.now.toISOString());
    return { offDays: c.offDays, workdays: c.workdays, keptAdmin: c.keptAdmin, skippedEvents: skipped };
  });
  await calendarChanged(ctx.app);
  return result;
}

/**
 * GET /calendar/deadline: the deadline of `amount` `unit` from `start` on the city's calendar.
 * `start` is ISO-8601 with Z or an offset, or local wall time of the city without one.
 * Throws validation_failed naming start, amount or unit.
 */
export function deadlineFor(app: AppContext, input: { start: string; amount: number; unit: TimeUnit }): Date {
  const start = parseInstant(input.start, app.config.timeZone);
  if (!start) throw new AppError('validation_failed', 'start must be YYYY-MM-DDTHH:MM[:SS[.mmm]] with Z, an offset, or none (city time)', { field: 'start' });
  return addWorkingTime(start, input.amount, input.unit, getWorkCalendar(app));
}
