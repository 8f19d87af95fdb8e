import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../context.js';
import { ctxFor } from '../auth/auth.plugin.js';
import { ErrorBody } from '../http/schemas.js';
import { localDate } from '../time/zoned-time.js';
import { Type } from 'typebox';
import { indicatorRepository } from './indicator.repository.js';
import { presentIndicator } from './indicator.presenter.js';
import { IndicatorIn, IndicatorOut, IndicatorParams, IndicatorPatch, IndicatorValueIn, IndicatorValuesOut, IndicatorValuesQuery } from './indicator.schema.js';
import { createIndicator, getIndicator, listIndicators, recordIndicatorValue, updateIndicator } from './indicator.service.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

/** 城市体征: the indicator register (read: sensor.read; edit: sensor.write, admin). */
export const indicatorRoutes: FastifyPluginAsyncTypebox<{ app: AppContext }> = async (fastify, { app }) => {
  const one = async (ctx: ReturnType<typeof ctxFor>, code: string) => {
    const found = (await listIndicators(ctx)).find((x) => x.ind.code === code);
    return presentIndicator(found ?? { ind: await getIndicator(ctx, code), actual: null, asOf: null, onTrack: null, trend: null });
  };

  fastify.get('/indicators', {
    schema: { operationId: 'listIndicators', tags: ['sensors'], summary: 'The city indicators (城市体征): target with its year, actual, source, onTrack and trend', response: { 200: Type.Object({ items: Type.Array(IndicatorOut) }), ...errors } },
  }, async (request) => ({ items: (await listIndicators(ctxFor(app, request, 'sensor.read'))).map(presentIndicator) }));

  fastify.post('/indicators', {
    schema: { operationId: 'createIndicator', tags: ['sensors'], summary: 'Add an indicator (admin): manual, or computed by a known sourceRef', body: IndicatorIn, response: { 201: IndicatorOut, 409: ErrorBody, ...errors } },
  }, async (request, reply) => {
    const ctx = ctxFor(app, request, 'sensor.write');
    await createIndicator(ctx, request.body);
    reply.status(201);
    return one(ctx, request.body.code);
  });

  fastify.patch('/indicators/:code', {
    schema: { operationId: 'updateIndicator', tags: ['sensors'], summary: 'Change an indicator\'s name, target or target year (admin)', params: IndicatorParams, body: IndicatorPatch, response: { 200: IndicatorOut, ...errors } },
  }, async (request) => {
    const ctx = ctxFor(app, request, 'sensor.write');
    await updateIndicator(ctx, request.params.code, request.body);
    return one(ctx, request.params.code);
  });

  fastify.get('/indicators/:code/values', {
    schema: { operationId: 'listIndicatorValues', tags: ['sensors'], summary: 'An indicator\'s values as a time series (manual entries with evidence; daily snapshots of computed ones)', params: IndicatorParams, querystring: IndicatorValuesQuery, response: { 200: IndicatorValuesOut, ...errors } },
  }, async (request) => {
    const ctx = ctxFor(app, request, 'sensor.read');
    await getIndicator(ctx, request.params.code);
    const to = request.query.to ?? localDate(ctx.now, app.config.timeZone);
    const rows = await indicatorRepository.values(ctx.db, request.params.code, request.query.from ?? '0000-01-01', to);
    return { code: request.params.code, items: rows.map((v) => ({ asOf: v.as_of, value: v.value_class ?? v.value, evidence: v.evidence, recordedAt: v.recorded_at })) };
  });

  fastify.post('/indicators/:code/values', {
    schema: { operationId: 'recordIndicatorValue', tags: ['sensors'], summary: 'Record a manual indicator\'s value as of a date, with its evidence (admin)', params: IndicatorParams, body: IndicatorValueIn, response: { 201: IndicatorOut, ...errors } },
  }, async (request, reply) => {
    const ctx = ctxFor(app, request, 'sensor.write');
    await recordIndicatorValue(ctx, request.params.code, request.body);
    reply.status(201);
    return one(ctx, request.params.code);
  });
};
