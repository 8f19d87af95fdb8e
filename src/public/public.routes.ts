import type { FastifyRequest } from 'fastify';
import { readSingleFile } from '../cases/attachment.upload.js';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { makeCtx, type AppContext, type Ctx } from '../context.js';
import { publicActor, systemActor } from '../auth/actor.js';
import { screenOutlines } from '../screen/screen.service.js';
import { OutlinesSchema } from '../screen/screen.schema.js';
import { AppError } from '../errors.js';
import { eventLogFor } from '../cluster/shared-limits.js';
import { ErrorBody } from '../http/schemas.js';
import { loadPortalLimits, type PortalLimits } from './public.limits.js';
import { attachPublicPhoto, submitPublicReport } from './public.report.js';
import { evaluateTrackedCase, findTrackedCase, reopenTrackedCase, trackCase, TrackGuard } from './public.track.js';
import { publicStatus, PUBLIC_STATUS } from './public.presenter.js';
import { getRiverBoard, listRiverBoards } from '../patrols/river.board.js';
import { EvaluationBody, NumberParams, PhotoOut, ReachParams, RiverBoardOut, PublicReportBody, PublicReportOut, ReopenBody, TrackBody, TrackOut, TrackQuery } from './public.schema.js';

const errors = { 400: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 413: ErrorBody, 415: ErrorBody, 422: ErrorBody, 429: ErrorBody };
const UploadHeaders = Type.Object({ 'x-upload-token': Type.Optional(Type.String({ maxLength: 200 })) });

/** The portal acts as the signed-in citizen (their report is theirs), else as the anonymous public. */
function portalCtx(app: AppContext, request: FastifyRequest): Ctx {
  const actor = request.actor;
  return makeCtx(app, actor && actor.kind === 'user' && actor.role === 'citizen' ? actor : publicActor());
}

/** The caller's own ctx (signed-in or not) for tracking: a signed-in reporter needs no phone digits. */
function trackerCtx(app: AppContext, request: FastifyRequest): Ctx {
  return makeCtx(app, request.actor ?? publicActor());
}

/**
 * The citizen portal's API, usable without an account: report (same intake, validation and
 * request budget as an anonymous Open311 caller), add photos with the report's upload token, and
 * track a report by its number and the phone's last 4 digits (rate, or ask to reopen, once closed).
 */
export const publicRoutes: FastifyPluginAsyncTypebox<{ app: AppContext; limits?: Partial<PortalLimits> }> = async (fastify, { app, limits: overrides }) => {
  const limits = loadPortalLimits(process.env, overrides);
  const guard = new TrackGuard(limits, eventLogFor(app));
  const budget = fastify.rateLimit({
    timeWindow: 60_000,
    max: limits.perMinute,
    keyGenerator: (request) => (request.actor?.kind === 'user' ? `portal:user:${request.actor.id}` : `portal:ip:${request.ip}`),
    errorResponseBuilder: (_request, context) => new AppError('too_many_requests', `rate limit exceeded: at most ${(context as { max?: number }).max ?? '?'} requests per minute; retry after the Retry-After delay`),
  });
  const proof = (request: FastifyRequest, phone4: string | undefined) => ({ phone4, address: request.ip });

  fastify.post('/public/reports', {
    onRequest: budget,
    schema: {
      tags: ['public'], security: [], operationId: 'createPublicReport',
      summary: 'Report a problem from the citizen portal (no account needed); answers the tracking number and a photo upload token',
      body: PublicReportBody,
      response: { 201: PublicReportOut, ...errors },
    },
  }, async (request, reply) => {
    const ctx = portalCtx(app, request);
    const { case: row, uploadToken, uploadExpiresAt } = await submitPublicReport(ctx, request.body, limits);
    const status = publicStatus(row.status, row.workflow);
    reply.status(201);
    return {
      number: row.number, status, statusText: PUBLIC_STATUS[status], createdAt: row.created_at, expectedBy: row.deadline,
      uploadToken, uploadExpiresAt, photoLimit: limits.photoLimit, mine: ctx.actor.kind === 'user',
    };
  });

  fastify.post('/public/reports/:number/photos', {
    onRequest: budget,
    schema: {
      tags: ['public'], security: [], operationId: 'addPublicReportPhoto',
      summary: 'Add a photo to your report (multipart field "file"; header X-Upload-Token from the report)',
      params: NumberParams, headers: UploadHeaders, consumes: ['multipart/form-data'],
      response: { 201: PhotoOut, ...errors },
    },
  }, async (request, reply) => {
    const file = await readSingleFile(request, app.config.attachments.maxBytes);
    const saved = await attachPublicPhoto(portalCtx(app, request), request.params.number, request.headers['x-upload-token'], file, limits);
    reply.status(201);
    return saved;
  });

  fastify.get('/public/outlines', {
    onRequest: budget,
    schema: {
      tags: ['public'], security: [], operationId: 'getPublicOutlines',
      summary: "The city's outline and its districts as GeoJSON (public geography, for the portal's map)",
      response: { 200: OutlinesSchema, ...errors },
    },
  }, async (_request, reply) => {
    reply.header('cache-control', 'public, max-age=300');
    return screenOutlines(makeCtx(app, systemActor()), { org: app.config.cityCode });
  });

  fastify.get('/public/river-boards', {
    onRequest: budget,
    schema: { tags: ['public', 'rivers'], security: [], operationId: 'listRiverBoards', summary: '河长公示牌 of every reach in the city (public): chiefs by level, office phone, quality target', response: { 200: Type.Object({ items: Type.Array(RiverBoardOut) }), ...errors } },
  }, async (_request, reply) => {
    reply.header('cache-control', 'public, max-age=300');
    return { items: await listRiverBoards(makeCtx(app, systemActor())) };
  });

  fastify.get('/public/river-boards/:code', {
    onRequest: budget,
    schema: { tags: ['public', 'rivers'], security: [], operationId: 'getRiverBoard', summary: "One reach's 河长公示牌 (public; the page behind the board's QR code)", params: ReachParams, response: { 200: RiverBoardOut, ...errors } },
  }, async (request, reply) => {
    reply.header('cache-control', 'public, max-age=300');
    return getRiverBoard(makeCtx(app, systemActor()), request.params.code);
  });

  fastify.get('/track/:number', {
    onRequest: budget,
    schema: {
      tags: ['public'], security: [], operationId: 'getTracking',
      summary: "Track a report: needs the last 4 digits of the reporter's phone (or being its signed-in reporter); guesses are throttled",
      params: NumberParams, querystring: TrackQuery, response: { 200: TrackOut, ...errors },
    },
  }, async (request) => {
    const ctx = trackerCtx(app, request);
    return trackCase(ctx, await findTrackedCase(ctx, guard, request.params.number, proof(request, request.query.phone4)));
  });

  fastify.post('/track/:number', {
    onRequest: budget,
    schema: { tags: ['public'], security: [], operationId: 'postTracking', summary: 'The same as GET /track/{number}, with the phone digits in the body', params: NumberParams, body: TrackBody, response: { 200: TrackOut, ...errors } },
  }, async (request) => {
    const ctx = trackerCtx(app, request);
    return trackCase(ctx, await findTrackedCase(ctx, guard, request.params.number, proof(request, request.body.phone4)));
  });

  fastify.post('/track/:number/evaluation', {
    onRequest: budget,
    schema: {
      tags: ['public'], security: [], operationId: 'evaluateTrackedReport',
      summary: 'Rate a closed report once: solved or not, 满意 / 基本满意 / 不满意 (counts in 三率)',
      params: NumberParams, body: EvaluationBody, response: { 200: TrackOut, ...errors },
    },
  }, async (request) => {
    const ctx = trackerCtx(app, request);
    const row = await findTrackedCase(ctx, guard, request.params.number, proof(request, request.body.phone4));
    return trackCase(ctx, await evaluateTrackedCase(ctx, row, request.body));
  });

  fastify.post('/track/:number/reopen', {
    onRequest: budget,
    schema: { tags: ['public'], security: [], operationId: 'reopenTrackedReport', summary: 'Ask to reopen a closed report, saying why', params: NumberParams, body: ReopenBody, response: { 200: TrackOut, ...errors } },
  }, async (request) => {
    const ctx = trackerCtx(app, request);
    const row = await findTrackedCase(ctx, guard, request.params.number, proof(request, request.body.phone4));
    return trackCase(ctx, await reopenTrackedCase(ctx, row, request.body.note));
  });
};
