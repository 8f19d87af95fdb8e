import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../context.js';
import { makeCtx } from '../context.js';
import { ctxFor, requireActor } from '../auth/auth.plugin.js';
import { ErrorBody, commonErrors } from '../http/schemas.js';
import { utf8BodyParser } from '../http/input.js';
import { CalendarDayOut, DateParams, DayIn, DaysQuery, DeadlineOut, DeadlineQuery, IcsIn, IcsOut, NoticeIn, NoticeOut } from './calendar.schema.js';
import { deadlineFor, importHolidayIcs, importHolidayNotice, listCalendarDays, setCalendarDay } from './calendar.service.js';

/**
 * The working-day calendar and deadline maths. Reading the calendar needs a login; changing it
 * needs 'calendar.write'. GET /calendar/deadline is public: it exposes only calendar maths.
 */
export const calendarRoutes: FastifyPluginAsyncTypebox<{ app: AppContext }> = async (fastify, { app }) => {
  fastify.addContentTypeParser('text/calendar', { parseAs: 'buffer' }, utf8BodyParser((_request, text, done) => done(null, text)));

  fastify.get('/calendar/days', {
    schema: {
      operationId: 'listCalendarDays',
      tags: ['calendar'],
      summary: 'Each date of a range (at most 400 days) with workday flag, holiday name and source',
      querystring: DaysQuery,
      response: { 200: Type.Object({ items: Type.Array(CalendarDayOut) }), 400: ErrorBody, 401: ErrorBody },
    },
  }, async (request) => {
    const ctx = makeCtx(app, requireActor(request));
    return { items: await listCalendarDays(ctx, request.query.from, request.query.to) };
  });

  fastify.put('/calendar/days/:date', {
    schema: {
      operationId: 'setCalendarDay',
      tags: ['calendar'],
      summary: 'Make one date a workday or a day off (a local exception kept across imports)',
      params: DateParams,
      body: DayIn,
      response: { 200: CalendarDayOut, ...commonErrors },
    },
  }, async (request) => setCalendarDay(ctxFor(app, request, 'calendar.write'), request.params.date, request.body));

  fastify.post('/calendar/notices', {
    schema: {
      operationId: 'importHolidayNotice',
      tags: ['calendar'],
      summary: "Import a year's State Council holiday notice (replaces that year's national days)",
      body: NoticeIn,
      response: { 200: NoticeOut, ...commonErrors },
    },
  }, async (request) => importHolidayNotice(ctxFor(app, request, 'calendar.write'), request.body));

  fastify.post('/calendar/ics', {
    schema: {
      operationId: 'importHolidayIcs',
      tags: ['calendar'],
      summary: 'Import holiday days off and 补班 workdays from an .ics text (text/calendar, or JSON {ics})',
      body: IcsIn,
      response: { 200: IcsOut, ...commonErrors, 415: ErrorBody, 422: ErrorBody },
    },
  }, async (request) => {
    const ctx = ctxFor(app, request, 'calendar.write');
    return importHolidayIcs(ctx, typeof request.body === 'string' ? request.body : request.body.ics);
  });

  fastify.get('/calendar/deadline', {
    schema: {
      operationId: 'getCalendarDeadline',
      tags: ['calendar'],
      summary: 'The deadline of a time limit started at `start`, on the city calendar (public)',
      security: [],
      querystring: DeadlineQuery,
      response: { 200: DeadlineOut, 400: ErrorBody },
    },
  }, async (request) => ({ deadline: deadlineFor(app, request.query).toISOString() }));
};
