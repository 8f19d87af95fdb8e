import type { AppContext } from '../context.js';
import { AppError } from '../errors.js';
import type { Db } from '../db/database.js';
import { calendarFromConfig, type CalendarDay, type WorkCalendar } from './calendar.js';
import { calendarRepository } from './calendar.repository.js';
import { seedCalendarDays } from './calendar.seed.js';

/** The key of the in-memory WorkCalendar in `app.services`. */
export const WORK_CALENDAR_SERVICE = 'sla.workCalendar';

/**
 * The city's current WorkCalendar (config periods and zone + the calendar_days rows), kept in
 * memory. Throws config_invalid when the calendar boot step has not run.
 */
export function getWorkCalendar(app: AppContext): WorkCalendar {
  const cal = app.services.get(WORK_CALENDAR_SERVICE) as WorkCalendar | undefined;
  if (!cal) throw new AppError('config_invalid', 'the work calendar is not loaded (calendarBootStep did not run)');
  return cal;
}

/**
 * Rebuilds the in-memory WorkCalendar from calendar_days and returns it. Call after every commit
 * that changes the calendar, and tell the other instances (cluster topic `calendar`, which makes
 * them call this too); deadlines already stored are not recomputed.
 */
export async function reloadWorkCalendar(app: AppContext, db: Db = app.store.db): Promise<WorkCalendar> {
  const rows = await calendarRepository.listAll(db);
  const overrides = rows.map((r): [string, CalendarDay] => [r.date, { isWorkday: r.is_workday === 1, name: r.name }]);
  const cal = calendarFromConfig(app.config, overrides);
  app.services.set(WORK_CALENDAR_SERVICE, cal);
  return cal;
}

/** Boot step of the sla area: seed calendar_days from chinese-days, then load the WorkCalendar. */
export async function calendarBootStep(app: AppContext): Promise<void> {
  await seedCalendarDays(app);
  await reloadWorkCalendar(app);
}
