import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../context.js';
import { ctxFor } from '../auth/auth.plugin.js';
import { ErrorBody } from '../http/schemas.js';
import { AreasQuerySchema, AreasSchema, CardsSchema, OrgQuerySchema, OutlinesSchema, PinsSchema, RankingsSchema, ScreenQuerySchema, TrendsSchema, VitalsSchema } from './screen.schema.js';
import { screenVitals } from './vitals.service.js';
import { screenAreas, screenCards, screenOutlines, screenPins, screenRankings, screenTrends } from './screen.service.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

/**
 * The big screen's panels (一屏观全城), one endpoint per panel, each for an org unit (default: the
 * actor's) and a period (`today`, `7d`, `30d`, `year`) or explicit local dates. Every figure comes
 * from the KPI counters or an aggregate query; no case list reaches the browser.
 */
export const screenRoutes: FastifyPluginAsyncTypebox<{ app: AppContext }> = async (fastify, { app }) => {
  fastify.get('/screen/cards', {
    schema: { tags: ['screen'], operationId: 'getScreenCards', summary: 'KPI cards of an area and period, with the period before and open cases now', querystring: ScreenQuerySchema, response: { 200: CardsSchema, ...errors } },
  }, async (request) => screenCards(ctxFor(app, request, 'kpi.read'), request.query));

  fastify.get('/screen/areas', {
    schema: { tags: ['screen'], operationId: 'getScreenAreas', summary: 'Choropleth: the units one level down with a measure (open, overdue, density, onTimeClosure, satisfaction)', querystring: AreasQuerySchema, response: { 200: AreasSchema, ...errors } },
  }, async (request) => screenAreas(ctxFor(app, request, 'kpi.read'), request.query));

  fastify.get('/screen/rankings', {
    schema: { tags: ['screen'], operationId: 'getScreenRankings', summary: 'Sub-areas and departments with composite scores and grades', querystring: ScreenQuerySchema, response: { 200: RankingsSchema, ...errors } },
  }, async (request) => screenRankings(ctxFor(app, request, 'kpi.read'), request.query));

  fastify.get('/screen/trends', {
    schema: { tags: ['screen'], operationId: 'getScreenTrends', summary: 'Daily intake and closure, top categories, channels, weekday × hour, 督办 and 提级 lists', querystring: ScreenQuerySchema, response: { 200: TrendsSchema, ...errors } },
  }, async (request) => screenTrends(ctxFor(app, request, 'kpi.read'), request.query));

  fastify.get('/screen/pins', {
    schema: { tags: ['screen'], operationId: 'getScreenPins', summary: 'Open cases of an area as map pins (at most 500)', querystring: OrgQuerySchema, response: { 200: PinsSchema, ...errors } },
  }, async (request) => screenPins(ctxFor(app, request, 'kpi.read'), request.query));

  fastify.get('/screen/vitals', {
    schema: { tags: ['screen'], operationId: 'getScreenVitals', summary: '城市体征 of an area: AQI now, today and its trend (HJ 633-2012), 优良天数 this year, water class per station against its target (GB 3838-2002), firing sensor alarms, devices online', querystring: OrgQuerySchema, response: { 200: VitalsSchema, ...errors } },
  }, async (request) => screenVitals(ctxFor(app, request, 'kpi.read'), request.query));

  fastify.get('/screen/outlines', {
    schema: { tags: ['screen'], operationId: 'getScreenOutlines', summary: 'GeoJSON outlines of an area and its units one level down (unions of grids, computed when grids change)', querystring: OrgQuerySchema, response: { 200: OutlinesSchema, ...errors } },
  }, async (request, reply) => {
    reply.header('cache-control', 'private, max-age=300');
    return screenOutlines(ctxFor(app, request, 'kpi.read'), request.query);
  });
};
