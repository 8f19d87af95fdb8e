import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext, Ctx } from '../context.js';
import { ctxFor } from '../auth/auth.plugin.js';
import { ErrorBody } from '../http/schemas.js';
import { LEVEL_NAMES } from './warning.rule.js';
import { warningRepository } from './warning.repository.js';
import { AssessIn, AssessOut, LiftIn, PlanIn, PlanOut, WarningIn, WarningOut, WarningParams } from './warning.schema.js';
import { assessWarning, getWarning, issueWarning, liftWarning, replaceResponsePlan, responsePlan } from './warning.service.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 422: ErrorBody };

async function present(ctx: Ctx, id: number) {
  const { warning: w, tasks, completion } = await getWarning(ctx, id);
  return {
    id: w.id, level: w.level, levelName: LEVEL_NAMES[w.level], status: w.status, trigger: w.trigger, reason: w.reason,
    issuedAt: w.issued_at, upgradedAt: w.upgraded_at, liftedAt: w.lifted_at, liftNote: w.lift_note, completion, tasks,
    jointZone: ctx.app.config.sensors.jointZone,
  };
}

/** 重污染天气 warnings (city-wide): reading needs sensor.read; issuing, lifting and the plan sensor.write (admin). */
export const warningRoutes: FastifyPluginAsyncTypebox<{ app: AppContext }> = async (fastify, { app }) => {
  fastify.get('/pollution-warnings', {
    schema: { operationId: 'listPollutionWarnings', tags: ['sensors'], summary: '重污染天气 warnings, newest first, with their response\'s completion', response: { 200: Type.Object({ items: Type.Array(WarningOut) }), ...errors } },
  }, async (request) => {
    const ctx = ctxFor(app, request, 'sensor.read');
    const items = [];
    for (const w of await warningRepository.list(ctx.db, 50)) items.push(await present(ctx, w.id));
    return { items };
  });

  fastify.post('/pollution-warnings', {
    schema: { operationId: 'issuePollutionWarning', tags: ['sensors'], summary: 'Issue a 重污染天气 warning (or raise the active one): a task case per department of the response plan up to its level (admin)', body: WarningIn, response: { 201: WarningOut, ...errors } },
  }, async (request, reply) => {
    const ctx = ctxFor(app, request, 'sensor.write');
    const r = await issueWarning(ctx, request.body);
    reply.status(201);
    return present(ctx, r.id);
  });

  fastify.post('/pollution-warnings/assess', {
    schema: { operationId: 'assessPollutionWarning', tags: ['sensors'], summary: 'The warning rule on the measured daily AQI of the last days and a forecast: issues or raises the warning it calls for (admin)', body: AssessIn, response: { 200: AssessOut, ...errors } },
  }, async (request) => assessWarning(ctxFor(app, request, 'sensor.write'), request.body));

  fastify.get('/pollution-warnings/:id', {
    schema: { operationId: 'getPollutionWarning', tags: ['sensors'], summary: 'A warning with its tasks (case, due, done, overdue) and completion', params: WarningParams, response: { 200: WarningOut, ...errors } },
  }, async (request) => present(ctxFor(app, request, 'sensor.read'), request.params.id));

  fastify.post('/pollution-warnings/:id/lift', {
    schema: { operationId: 'liftPollutionWarning', tags: ['sensors'], summary: 'Lift (解除) the active warning (admin); its task cases go on to their end', params: WarningParams, body: LiftIn, response: { 200: WarningOut, ...errors } },
  }, async (request) => {
    const ctx = ctxFor(app, request, 'sensor.write');
    await liftWarning(ctx, request.params.id, request.body.note ?? null);
    return present(ctx, request.params.id);
  });

  fastify.get('/pollution-response-plan', {
    schema: { operationId: 'getPollutionResponsePlan', tags: ['sensors'], summary: 'The 重污染天气 response plan: per level, the departments and their tasks with a deadline', response: { 200: PlanOut, ...errors } },
  }, async (request) => ({ items: await responsePlan(ctxFor(app, request, 'sensor.read')) }));

  fastify.put('/pollution-response-plan', {
    schema: { operationId: 'replacePollutionResponsePlan', tags: ['sensors'], summary: 'Replace the response plan (admin); each task applies at its level and above', body: PlanIn, response: { 200: PlanOut, ...errors } },
  }, async (request) => ({ items: await replaceResponsePlan(ctxFor(app, request, 'sensor.write'), request.body) }));
};
