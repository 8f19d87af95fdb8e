import type { CalendarDayRow, CalendarSource } from './calendar.repository.js';

/** One date as the API shows it; source 'default' means no row: the Mon–Fri rule applies. */
export interface CalendarDayView {
  date: string;
  isWorkday: boolean;
  name: string | null;
  source: CalendarSource | 'default';
}

/** A stored calendar row as the API shows it. */
export function presentCalendarDay(row: CalendarDayRow): CalendarDayView {
  return { date: row.date, isWorkday: row.is_workday === 1, name: row.name, source: row.source as CalendarSource };
}
