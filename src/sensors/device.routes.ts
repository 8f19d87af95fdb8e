import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../context.js';
import { ctxFor } from '../auth/auth.plugin.js';
import { ErrorBody, Page } from '../http/schemas.js';
import { deviceRepository } from './device.repository.js';
import { createDeviceKind, deleteDevice, getDevice, registerDevice, updateDevice } from './device.service.js';
import { presentDevice, presentDeviceKind } from './device.presenter.js';
import { DeviceIn, DeviceKindIn, DeviceKindOut, DeviceOut, DeviceParams, DevicePatch, DeviceQuery } from './device.schema.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 422: ErrorBody };

/** The device register (城市运行监测): kinds, and devices of the actor's area. */
export const deviceRoutes: FastifyPluginAsyncTypebox<{ app: AppContext }> = async (fastify, { app }) => {
  fastify.get('/device-kinds', {
    schema: { operationId: 'listDeviceKinds', tags: ['sensors'], summary: 'Device kinds with their metrics and alarm category', response: { 200: Type.Object({ items: Type.Array(DeviceKindOut) }), ...errors } },
  }, async (request) => {
    const ctx = ctxFor(app, request, 'sensor.read');
    return { items: (await deviceRepository.listKinds(ctx.db)).map(presentDeviceKind) };
  });

  fastify.post('/device-kinds', {
    schema: { operationId: 'createDeviceKind', tags: ['sensors'], summary: 'Add a device kind (admin)', body: DeviceKindIn, response: { 201: DeviceKindOut, ...errors } },
  }, async (request, reply) => {
    const ctx = ctxFor(app, request, 'sensor.write');
    await createDeviceKind(ctx, request.body);
    reply.status(201);
    return presentDeviceKind((await deviceRepository.findKind(ctx.db, request.body.code))!);
  });

  fastify.get('/devices', {
    schema: { operationId: 'listDevices', tags: ['sensors'], summary: "Devices in the actor's area", querystring: DeviceQuery, response: { 200: Page(DeviceOut), ...errors } },
  }, async (request) => {
    const ctx = ctxFor(app, request, 'sensor.read');
    const page = { limit: request.query.limit ?? 50, offset: request.query.offset ?? 0 };
    const r = await deviceRepository.list(ctx.db, { orgPath: ctx.actor.orgPath, kind: request.query.kind, status: request.query.status }, page);
    return { items: r.items.map(presentDevice), total: r.total, ...page };
  });

  fastify.post('/devices', {
    schema: { operationId: 'registerDevice', tags: ['sensors'], summary: 'Register a device (admin): located to its grid', body: DeviceIn, response: { 201: DeviceOut, ...errors } },
  }, async (request, reply) => {
    const row = await registerDevice(ctxFor(app, request, 'sensor.write'), request.body);
    reply.status(201);
    return presentDevice(row);
  });

  fastify.get('/devices/:id', {
    schema: { operationId: 'getDevice', tags: ['sensors'], summary: 'One device', params: DeviceParams, response: { 200: DeviceOut, ...errors } },
  }, async (request) => presentDevice(await getDevice(ctxFor(app, request, 'sensor.read'), request.params.id)));

  fastify.patch('/devices/:id', {
    schema: { operationId: 'updateDevice', tags: ['sensors'], summary: "Move, rename, re-assign or change a device's status (admin)", params: DeviceParams, body: DevicePatch, response: { 200: DeviceOut, ...errors } },
  }, async (request) => presentDevice(await updateDevice(ctxFor(app, request, 'sensor.write'), request.params.id, request.body)));

  fastify.delete('/devices/:id', {
    schema: { operationId: 'deleteDevice', tags: ['sensors'], summary: 'Remove a device and its own alarm rules (readings stay) (admin)', params: DeviceParams, response: { 204: Type.Null(), ...errors } },
  }, async (request, reply) => {
    await deleteDevice(ctxFor(app, request, 'sensor.write'), request.params.id);
    reply.status(204);
    return null;
  });
};
