import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../context.js';
import { ctxFor } from '../auth/auth.plugin.js';
import { ErrorBody } from '../http/schemas.js';
import { AppError } from '../errors.js';
import { csvField } from '../cases/case.csv.js';
import { complianceReport } from './patrol.compliance.service.js';
import { createPlan, listPlans, updatePlan } from './patrol.plans.js';
import { presentPatrol, presentPlan, presentTarget, presentTrack } from './patrol.presenter.js';
import { getPatrol, listPatrols } from './patrol.query.js';
import { recordPatrol } from './patrol.record.js';
import { addPatrolPhoto, presentPhoto, readPatrolPhoto } from './patrol.photos.js';
import { readSingleFile } from '../cases/attachment.upload.js';
import { bytesFor, downloadHeaders } from '../cases/attachment.download.js';
import { patrolRepository } from './patrol.repository.js';
import { ReachQualityOut } from './river.schema.js';
import { ComplianceOut, ComplianceQuery, PatrolDetailOut, PatrolPhotoOut, PatrolPhotoQuery, PatrolIn, PatrolListQuery, PatrolOut, PlanIn, PlanListQuery, PlanOut, PlanPatchIn, TargetIn, TargetOut } from './patrol.schema.js';
import { createTarget, listTargets } from './patrol.targets.js';
import { listRivers } from './river.register.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 422: ErrorBody };
const tags = ['patrols'];

/** Patrols: the register of things to look after, plans, patrol records with tracks, compliance. */
export const patrolRoutes: FastifyPluginAsyncTypebox<{ app: AppContext }> = async (fastify, { app }) => {
  fastify.get('/patrol-targets', {
    schema: { operationId: 'listPatrolTargets', tags, summary: 'Things to look after in your area (grids, river reaches, risk points, routes)', querystring: PlanListQuery, response: { 200: Type.Object({ items: Type.Array(TargetOut) }), ...errors } },
  }, async (request) => {
    const ctx = ctxFor(app, request, 'patrol.read');
    return { items: (await listTargets(ctx, request.query)).map(presentTarget) };
  });

  fastify.post('/patrol-targets', {
    schema: { operationId: 'createPatrolTarget', tags, summary: 'Add a thing to look after at an org unit in your area', body: TargetIn, response: { 201: TargetOut, ...errors } },
  }, async (request, reply) => {
    const ctx = ctxFor(app, request, 'patrol.plan');
    reply.status(201);
    return presentTarget(await createTarget(ctx, request.body));
  });

  fastify.get('/patrol-plans', {
    schema: { operationId: 'listPatrolPlans', tags, summary: 'Patrol plans of targets in your area: who patrols what, how often, with which minimums', querystring: PlanListQuery, response: { 200: Type.Object({ items: Type.Array(PlanOut) }), ...errors } },
  }, async (request) => {
    const ctx = ctxFor(app, request, 'patrol.read');
    return { items: (await listPlans(ctx, request.query)).map(presentPlan) };
  });

  fastify.post('/patrol-plans', {
    schema: { operationId: 'createPatrolPlan', tags, summary: 'Plan patrols of a target: a person or a role at an org unit, a frequency rule, minimums', body: PlanIn, response: { 201: PlanOut, ...errors } },
  }, async (request, reply) => {
    const ctx = ctxFor(app, request, 'patrol.plan');
    reply.status(201);
    return presentPlan(await createPlan(ctx, request.body));
  });

  fastify.patch('/patrol-plans/:id', {
    schema: { operationId: 'updatePatrolPlan', tags, summary: 'Change a plan in your area (frequency, minimums, level, note) or retire it (active: false)', params: Type.Object({ id: Type.Integer({ minimum: 1 }) }), body: PlanPatchIn, response: { 200: PlanOut, ...errors } },
  }, async (request) => {
    const ctx = ctxFor(app, request, 'patrol.plan');
    return presentPlan(await updatePlan(ctx, request.params.id, request.body));
  });

  fastify.post('/patrols', {
    schema: {
      operationId: 'recordPatrol', tags,
      summary: 'Record a patrol, or add a batch to one (same clientId, or same target and startedAt): points are merged by their timestamps, findings become cases (channel patrol)',
      body: PatrolIn, response: { 200: PatrolOut, 201: PatrolOut, ...errors },
    },
  }, async (request, reply) => {
    const ctx = ctxFor(app, request, 'patrol.record');
    const { patrol, created } = await recordPatrol(ctx, request.body);
    reply.status(created ? 201 : 200);
    return presentPatrol(patrol, await patrolRepository.findings(ctx.db, [patrol.id]));
  });

  fastify.get('/patrols', {
    schema: { operationId: 'listPatrols', tags, summary: 'Patrol records of targets in your area over a period (default this month), newest first', querystring: PatrolListQuery, response: { 200: Type.Object({ items: Type.Array(PatrolOut), limit: Type.Integer(), offset: Type.Integer() }), ...errors } },
  }, async (request) => {
    const ctx = ctxFor(app, request, 'patrol.read');
    const q = { ...request.query, limit: request.query.limit ?? 50, offset: request.query.offset ?? 0 };
    const rows = await listPatrols(ctx, q);
    const findings = await patrolRepository.findings(ctx.db, rows.map((r) => r.id));
    return { items: rows.map((r) => presentPatrol(r, findings)), limit: q.limit, offset: q.offset };
  });

  fastify.get('/patrols/compliance', {
    schema: { operationId: 'getPatrolCompliance', tags, summary: 'Required, done and missed patrols per person and target over a period (default this month), with a drill-down by org level', querystring: ComplianceQuery, response: { 200: ComplianceOut, ...errors } },
  }, async (request) => {
    const ctx = ctxFor(app, request, 'patrol.read');
    return complianceReport(ctx, request.query);
  });

  fastify.get('/patrols/compliance.csv', {
    schema: { operationId: 'exportPatrolComplianceCsv', tags, summary: 'The compliance rows of GET /patrols/compliance as CSV (UTF-8 with BOM)', querystring: ComplianceQuery, produces: ['text/csv'] },
  }, async (request, reply) => {
    const ctx = ctxFor(app, request, 'patrol.read');
    const report = await complianceReport(ctx, request.query);
    const head = ['person', 'target', 'target_name', 'kind', 'org', 'level', 'frequency', 'required', 'done', 'missed', 'rate', 'too_short', 'flagged'];
    const lines = report.rows.map((r) => [r.person, r.target, r.targetName, r.kind, r.orgName, r.level, r.frequency, r.required, r.done, r.missed, r.rate === null ? '' : r.rate.toFixed(3), r.tooShort, r.flagged].map(csvField).join(','));
    reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="patrol-compliance-${report.from}-${report.to}.csv"`);
    return `\uFEFF${[head.join(','), ...lines].join('\r\n')}\r\n`;
  });

  fastify.get('/rivers', {
    schema: {
      operationId: 'listRivers', tags: ['rivers'], summary: '河长制: water bodies with reaches in your area, each reach with its geometry and its chiefs by level (with their patrol frequency)',
      querystring: Type.Object({ org: Type.Optional(Type.String({ pattern: '^\\d{4,20}$' })) }, { additionalProperties: false }),
      response: {
        200: Type.Object({ items: Type.Array(Type.Object({
          code: Type.String(), name: Type.String(), kind: Type.String(), qualityTarget: Type.Union([Type.String(), Type.Null()]), officePhone: Type.Union([Type.String(), Type.Null()]), demoGeometry: Type.Boolean(),
          department: Type.Union([Type.Object({ code: Type.String(), name: Type.String() }), Type.Null()], { description: 'the responsible department' }),
          reaches: Type.Array(Type.Object({
            code: Type.String(), name: Type.String(), orgCode: Type.String(), geometry: Type.Unknown(),
            chiefs: Type.Array(Type.Object({ level: Type.Union([Type.String(), Type.Null()]), name: Type.String(), org: Type.String(), orgName: Type.String(), person: Type.Union([Type.String(), Type.Null()]), frequency: Type.String(), rule: Type.Object({ period: Type.String(), times: Type.Integer() }) })),
            quality: Type.Union([ReachQualityOut, Type.Null()]),
          })),
        })) }),
        ...errors,
      },
    },
  }, async (request) => {
    const ctx = ctxFor(app, request, 'patrol.read');
    return { items: await listRivers(ctx, request.query) };
  });

  fastify.get('/patrols/:id', {
    schema: { operationId: 'getPatrol', tags, summary: 'One patrol record with its track (GeoJSON, a time per position) and its target', params: Type.Object({ id: Type.Integer({ minimum: 1 }) }), response: { 200: PatrolDetailOut, ...errors } },
  }, async (request) => {
    const ctx = ctxFor(app, request, 'patrol.read');
    const row = await getPatrol(ctx, request.params.id);
    const [findings, points, target, photos] = await Promise.all([patrolRepository.findings(ctx.db, [row.id]), patrolRepository.points(ctx.db, row.id), patrolRepository.findTargetById(ctx.db, row.target_id), patrolRepository.photos(ctx.db, row.id)]);
    return { ...presentPatrol(row, findings), photos: photos.map(presentPhoto), track: presentTrack(points), targetGeometry: target?.geometry ? (JSON.parse(target.geometry) as unknown) : null };
  });

  fastify.post('/patrols/:id/photos', {
    schema: {
      operationId: 'addPatrolPhoto', tags,
      summary: 'Add a photo to a patrol in your area (multipart field "file"; photos only, judged by content; where and when it was taken optional). The same photo again adds nothing (200)',
      params: Type.Object({ id: Type.Integer({ minimum: 1 }) }), querystring: PatrolPhotoQuery, consumes: ['multipart/form-data'],
      response: { 200: PatrolPhotoOut, 201: PatrolPhotoOut, 413: ErrorBody, 415: ErrorBody, ...errors },
    },
  }, async (request, reply) => {
    const ctx = ctxFor(app, request, 'patrol.record');
    const file = await readSingleFile(request, app.config.attachments.maxBytes);
    const { photo, created } = await addPatrolPhoto(ctx, request.params.id, file, request.query);
    if (!photo) throw new AppError('not_found', `patrol ${request.params.id} has no such photo`);
    reply.status(created ? 201 : 200);
    return presentPhoto(photo);
  });

  fastify.get('/patrols/:id/photos/:photoId', {
    schema: { operationId: 'downloadPatrolPhoto', tags, summary: 'A photo of a patrol in your area', params: Type.Object({ id: Type.Integer({ minimum: 1 }), photoId: Type.Integer({ minimum: 1 }) }) },
  }, async (request, reply) => {
    const ctx = ctxFor(app, request, 'patrol.read');
    const file = await readPatrolPhoto(ctx, request.params.id, request.params.photoId);
    return reply.headers(downloadHeaders(file.filename, file.mime)).send(bytesFor(ctx.actor, file.bytes, file.mime));
  });
};
