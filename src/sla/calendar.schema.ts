import { Type } from 'typebox';
import { StringEnum } from '../http/schemas.js';
import { TIME_UNITS } from './working-time.js';

const IsoDate = Type.String({ format: 'date', description: 'YYYY-MM-DD, a date in the city' });
const Name = Type.String({ minLength: 1, maxLength: 40 });

export const CalendarDayOut = Type.Object({
  date: Type.String(),
  isWorkday: Type.Boolean(),
  name: Type.Union([Type.String(), Type.Null()]),
  source: Type.String({ description: "chinese-days | notice | ics | admin | default (no row: Mon–Fri rule)" }),
});

export const DaysQuery = Type.Object({ from: IsoDate, to: IsoDate }, { additionalProperties: false });
export const DateParams = Type.Object({ date: IsoDate });

export const DayIn = Type.Object({
  isWorkday: Type.Boolean(),
  name: Type.Optional(Type.Union([Name, Type.Null()])),
}, { additionalProperties: false });

export const NoticeIn = Type.Object({
  year: Type.Integer({ minimum: 2000, maximum: 2100 }),
  holidays: Type.Array(Type.Object({ name: Name, from: IsoDate, to: IsoDate }, { additionalProperties: false }), { minItems: 1, maxItems: 40 }),
  workdays: Type.Array(IsoDate, { maxItems: 40, description: '调休 make-up workdays' }),
}, { additionalProperties: false });

export const NoticeOut = Type.Object({ year: Type.Integer(), offDays: Type.Integer(), workdays: Type.Integer(), keptAdmin: Type.Integer(), replaced: Type.Integer() });

/** An .ics text: the raw body (text/calendar or text/plain) or JSON {ics}. */
export const IcsIn = Type.Union([Type.String({ minLength: 1 }), Type.Object({ ics: Type.String({ minLength: 1 }) }, { additionalProperties: false })]);

export const IcsOut = Type.Object({ offDays: Type.Integer(), workdays: Type.Integer(), keptAdmin: Type.Integer(), skippedEvents: Type.Array(Type.String()) });

export const DeadlineQuery = Type.Object({
  start: Type.String({ minLength: 1, maxLength: 40, description: 'ISO-8601 instant with Z or offset; without one, city wall-clock time' }),
  amount: Type.Number({ minimum: 0, maximum: 100_000 }),
  unit: StringEnum(TIME_UNITS),
}, { additionalProperties: false });

export const DeadlineOut = Type.Object({ deadline: Type.String({ description: 'ISO-8601 UTC instant' }) });
