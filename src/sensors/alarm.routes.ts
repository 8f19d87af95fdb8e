import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../context.js';
import { ctxFor } from '../auth/auth.plugin.js';
import { ErrorBody } from '../http/schemas.js';
import { alarmRepository, type AlarmRuleRow } from './alarm.repository.js';
import { createAlarmRule, deleteAlarmRule, getAlarmRule, updateAlarmRule } from './alarm.service.js';
import { AlarmRuleIn, AlarmRuleOut, AlarmRuleParams, AlarmRulePatch } from './alarm.schema.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

function presentRule(r: AlarmRuleRow) {
  return {
    id: r.id, type: r.type, deviceId: r.device_id, kind: r.kind, metric: r.metric, op: r.op, threshold: r.threshold, forMinutes: r.for_minutes,
    categoryCode: r.category_code, enabled: r.enabled === 1, createdAt: r.created_at, updatedAt: r.updated_at,
  };
}

/** Alarm rules (data): reading them needs sensor.read, writing them sensor.write (admin). */
export const alarmRoutes: FastifyPluginAsyncTypebox<{ app: AppContext }> = async (fastify, { app }) => {
  fastify.get('/alarm-rules', {
    schema: { operationId: 'listAlarmRules', tags: ['sensors'], summary: 'Alarm rules written in your area', response: { 200: Type.Object({ items: Type.Array(AlarmRuleOut) }), ...errors } },
  }, async (request) => {
    const ctx = ctxFor(app, request, 'sensor.read');
    return { items: (await alarmRepository.listRules(ctx.db, ctx.actor.orgPath)).map(presentRule) };
  });

  fastify.post('/alarm-rules', {
    schema: { operationId: 'createAlarmRule', tags: ['sensors'], summary: 'Add an alarm rule for a device or a kind (admin): a firing opens one sensor case', body: AlarmRuleIn, response: { 201: AlarmRuleOut, ...errors } },
  }, async (request, reply) => {
    const row = await createAlarmRule(ctxFor(app, request, 'sensor.write'), request.body);
    reply.status(201);
    return presentRule(row);
  });

  fastify.get('/alarm-rules/:id', {
    schema: { operationId: 'getAlarmRule', tags: ['sensors'], summary: 'One alarm rule', params: AlarmRuleParams, response: { 200: AlarmRuleOut, ...errors } },
  }, async (request) => presentRule(await getAlarmRule(ctxFor(app, request, 'sensor.read'), request.params.id)));

  fastify.patch('/alarm-rules/:id', {
    schema: { operationId: 'updateAlarmRule', tags: ['sensors'], summary: "Change a rule's op, threshold, duration or enabled flag (admin)", params: AlarmRuleParams, body: AlarmRulePatch, response: { 200: AlarmRuleOut, ...errors } },
  }, async (request) => presentRule(await updateAlarmRule(ctxFor(app, request, 'sensor.write'), request.params.id, request.body)));

  fastify.delete('/alarm-rules/:id', {
    schema: { operationId: 'deleteAlarmRule', tags: ['sensors'], summary: 'Remove an alarm rule (admin)', params: AlarmRuleParams, response: { 204: Type.Null(), ...errors } },
  }, async (request, reply) => {
    await deleteAlarmRule(ctxFor(app, request, 'sensor.write'), request.params.id);
    reply.status(204);
    return null;
  });
};
