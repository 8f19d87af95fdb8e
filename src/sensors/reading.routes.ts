import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../context.js';
import { ctxFor } from '../auth/auth.plugin.js';
import { ErrorBody, Page } from '../http/schemas.js';
import { getOrgUnitInScope } from '../org/org.service.js';
import { getDevice } from './device.service.js';
import { ingestHttpBatch } from './reading.service.js';
import { readingRepository } from './reading.repository.js';
import { DeadLetterOut, DeadLetterQuery, ReadingsIn, ReadingsOut, SeriesOut, SeriesQuery } from './reading.schema.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

/** Sensor readings over HTTP (API keys with readings:write), rollup series and dead letters. */
export const readingRoutes: FastifyPluginAsyncTypebox<{ app: AppContext }> = async (fastify, { app }) => {
  fastify.post('/readings', {
    schema: {
      operationId: 'postReadings',
      tags: ['sensors'],
      summary: 'Readings from devices that speak HTTP (API key with readings:write): each item stored, a duplicate, or refused into the dead letters',
      body: ReadingsIn,
      response: { 200: ReadingsOut, ...errors },
    },
  }, async (request) => {
    const outcomes = await ingestHttpBatch(ctxFor(app, request, 'reading.write'), request.body);
    return {
      stored: outcomes.filter((o) => o.status === 'stored').length,
      duplicates: outcomes.filter((o) => o.status === 'duplicate').length,
      refused: outcomes.flatMap((o, index) => (o.status === 'refused' ? [{ index, reason: o.reason }] : [])),
    };
  });

  fastify.get('/readings/series', {
    schema: {
      operationId: 'getReadingSeries',
      tags: ['sensors'],
      summary: 'A metric per hour or city day from the rollups: of one device, or of the devices (of a kind) in an area',
      querystring: SeriesQuery,
      response: { 200: SeriesOut, ...errors },
    },
  }, async (request) => {
    const ctx = ctxFor(app, request, 'sensor.read');
    const q = request.query;
    let orgPath = ctx.actor.orgPath;
    if (q.deviceId) orgPath = (await getDevice(ctx, q.deviceId)).org_path;
    if (q.orgCode) orgPath = (await getOrgUnitInScope(ctx, q.orgCode, 'orgCode')).path;
    const rows = await readingRepository.series(ctx.db, { metric: q.metric, period: q.period, from: q.from, to: q.to, deviceId: q.deviceId, kind: q.kind, orgPath });
    return {
      metric: q.metric, period: q.period,
      items: rows.map((r) => ({ bucket: r.bucket, n: Number(r.n), avg: Number(r.sum) / Number(r.n), min: Number(r.min), max: Number(r.max), devices: Number(r.devices) })),
    };
  });

  fastify.get('/readings/dead-letters', {
    schema: {
      operationId: 'listReadingDeadLetters',
      tags: ['sensors'],
      summary: 'Refused reading payloads with the reason, newest first (admin): of your devices; of unknown devices for a city-wide admin',
      querystring: DeadLetterQuery,
      response: { 200: Page(DeadLetterOut), ...errors },
    },
  }, async (request) => {
    const ctx = ctxFor(app, request, 'sensor.write');
    const page = { limit: request.query.limit ?? 50, offset: request.query.offset ?? 0 };
    const all = ctx.actor.orgPath.split('/').filter(Boolean).length <= 1;
    const r = await readingRepository.listDeadLetters(ctx.db, { orgPath: ctx.actor.orgPath, all }, page);
    return {
      items: r.items.map((d) => ({ id: d.id, receivedAt: d.received_at, source: d.source, topic: d.topic, deviceId: d.device_id, reason: d.reason, payload: d.payload })),
      total: r.total, ...page,
    };
  });
};
