/** Display formatting in the city's time zone: one place for dates and durations. */

const formatters = new Map<string, Intl.DateTimeFormat>();

function partsIn(date: Date, timeZone: string): Record<string, string> {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, f);
  }
  return Object.fromEntries(f.formatToParts(date).map((p) => [p.type, p.value]));
}

/** `YYYY-MM-DD HH:mm` in `timeZone`; an empty string for a missing or invalid value. */
export function formatDateTime(value: string | number | Date | null | undefined, timeZone: string): string {
  if (value === null || value === undefined || value === '') return '';
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) return '';
  const p = partsIn(date, timeZone);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

/** `YYYY-MM-DD` in `timeZone`. */
export function formatDate(value: string | number | Date | null | undefined, timeZone: string): string {
  return formatDateTime(value, timeZone).slice(0, 10);
}

/** Splits a signed duration in minutes into whole hours and minutes of its absolute value. */
export function splitMinutes(minutes: number): { negative: boolean; hours: number; minutes: number } {
  const abs = Math.abs(Math.round(minutes));
  return { negative: minutes < 0, hours: Math.floor(abs / 60), minutes: abs % 60 };
}
