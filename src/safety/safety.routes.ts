import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../context.js';
import { ctxFor } from '../auth/auth.plugin.js';
import { ErrorBody } from '../http/schemas.js';
import { createEnterprise, createRiskPoint, getEnterprise, listEnterprises } from './enterprise.service.js';
import { presentEnterprise, presentRiskPoint } from './safety.presenter.js';
import { safetyRepository } from './safety.repository.js';
import { EnterpriseIn, EnterpriseListQuery, EnterpriseOut, RiskMapOut, RiskPointIn, RiskPointOut } from './safety.schema.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 422: ErrorBody };
const tags = ['safety'];
const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });

/** 双重预防: enterprises, their graded risk points, and the four-colour risk map. */
export const safetyRoutes: FastifyPluginAsyncTypebox<{ app: AppContext }> = async (fastify, { app }) => {
  fastify.get('/enterprises', {
    schema: { operationId: 'listEnterprises', tags, summary: 'Enterprises in your area with their risk points and colour (the worst point)', querystring: EnterpriseListQuery, response: { 200: Type.Object({ items: Type.Array(EnterpriseOut) }), ...errors } },
  }, async (request) => {
    const ctx = ctxFor(app, request, 'patrol.read');
    return { items: (await listEnterprises(ctx, request.query)).map((x) => presentEnterprise(x.enterprise, x.points)) };
  });

  fastify.post('/enterprises', {
    schema: { operationId: 'createEnterprise', tags, summary: 'Register an enterprise (统一社会信用代码 checked, location placed in a grid of your area)', body: EnterpriseIn, response: { 201: EnterpriseOut, ...errors } },
  }, async (request, reply) => {
    const ctx = ctxFor(app, request, 'patrol.plan');
    reply.status(201);
    return presentEnterprise(await createEnterprise(ctx, request.body), []);
  });

  fastify.get('/enterprises/:id', {
    schema: { operationId: 'getEnterprise', tags, summary: 'One enterprise with its risk points', params: IdParams, response: { 200: EnterpriseOut, ...errors } },
  }, async (request) => {
    const ctx = ctxFor(app, request, 'patrol.read');
    const e = await getEnterprise(ctx, request.params.id);
    return presentEnterprise(e, await safetyRepository.riskPoints(ctx.db, [e.id]));
  });

  fastify.post('/enterprises/:id/risk-points', {
    schema: { operationId: 'createRiskPoint', tags, summary: 'Add a graded risk point (LEC, matrix, 5 grades or a colour); it gets an inspection plan at its colour\'s frequency', params: IdParams, body: RiskPointIn, response: { 201: RiskPointOut, ...errors } },
  }, async (request, reply) => {
    const ctx = ctxFor(app, request, 'patrol.plan');
    reply.status(201);
    return presentRiskPoint(await createRiskPoint(ctx, request.params.id, request.body));
  });

  fastify.get('/risk-map', {
    schema: { operationId: 'getRiskMap', tags, summary: 'The four-colour risk map of your area (or an org unit in it): enterprises as points coloured by their worst risk, and counts per colour', querystring: EnterpriseListQuery, response: { 200: RiskMapOut, ...errors } },
  }, async (request) => {
    const ctx = ctxFor(app, request, 'patrol.read');
    const list = (await listEnterprises(ctx, request.query)).map((x) => presentEnterprise(x.enterprise, x.points));
    const counts = { red: 0, orange: 0, yellow: 0, blue: 0, none: 0 };
    for (const e of list) counts[(e.level ?? 'none') as keyof typeof counts]++;
    return {
      counts,
      features: list.map((e) => ({ type: 'Feature' as const, geometry: { type: 'Point' as const, coordinates: [e.lon, e.lat] }, properties: { id: e.id, name: e.name, level: e.level, points: e.riskPoints.length } })),
    };
  });
};
