import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext, Ctx } from '../context.js';
import { ctxFor } from '../auth/auth.plugin.js';
import { AppError } from '../errors.js';
import { ErrorBody, StringEnum } from '../http/schemas.js';
import { caseRepository, type CaseRow } from './case.repository.js';
import { caseScopeFor } from './case.scope.js';
import { intakeCase } from './case.intake.js';
import { transitionCase } from './case.transition.js';
import { Readable } from 'node:stream';
import { countQueues, listCases, streamCases } from './case.query.js';
import { casesCsv } from './case.csv.js';
import { presentCase, presentCaseSummary, presentEvent } from './case.presenter.js';
import { revealReporter } from '../privacy/reporter.js';
import { catalogueRepository } from '../catalogue/catalogue.repository.js';
import { findDuplicates } from './case.duplicates.js';
import { slaView } from './case.sla-view.js';
import { attachFile, listAttachments, PHASES, readAttachment } from './attachment.service.js';
import { bytesFor, downloadHeaders } from './attachment.download.js';
import { readSingleFile } from './attachment.upload.js';
import { AttachmentOut, CasePage, CaseCreateBody, CaseCreatedOut, CaseCsvQuery, CaseListQuery, CaseOut, CaseSummaryOut, EventOut, QueueCountsOut, TransitionBody } from './case.schema.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 413: ErrorBody, 415: ErrorBody, 422: ErrorBody };
const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });
const NotificationOut = Type.Object({
  id: Type.Integer(), caseId: Type.Integer(), orgCode: Type.String(), role: Type.String(), kind: Type.String(), message: Type.String(), createdAt: Type.String(), readAt: Type.Union([Type.String(), Type.Null()]),
});

/** A case as its detail view shows it; `fresh`: created by this request, so it has no attachments yet. */
async function detail(ctx: Ctx, row: CaseRow, fresh = false) {
  const attachments = (fresh ? [] : await listAttachments(ctx, row.id)).map((a) => ({
    id: a.id, sha256: a.sha256, mime: a.mime, size: a.size, filename: a.filename, phase: a.phase, createdAt: a.created_at, url: `/api/v1/cases/${row.id}/attachments/${a.id}`,
  }));
  // Object.assign keeps the presented case a fast object (a spread of its ~50 fields costs ~30 µs).
  return Object.assign(presentCase(row, ctx.actor, (r) => revealReporter(ctx.app, r)), { attachments, sla: slaView(ctx.app, row, ctx.now) });
}

/** The closed loop over HTTP: intake, list/export, detail, transitions, timeline, attachments. */
export const caseRoutes: FastifyPluginAsyncTypebox<{ app: AppContext }> = async (fastify, { app }) => {
  fastify.post('/cases', {
    schema: {
      operationId: 'createCase',
      tags: ['cases'],
      summary: 'Report a case from any channel; an Idempotency-Key header makes a retry return the original',
      headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 200 })) }),
      body: CaseCreateBody,
      response: { 200: CaseCreatedOut, 201: CaseCreatedOut, ...errors },
    },
  }, async (request, reply) => {
    const ctx = ctxFor(app, request, 'case.create');
    const result = await intakeCase(ctx, request.body, request.headers['idempotency-key']);
    reply.status(result.replayed ? 200 : 201);
    return Object.assign(await detail(ctx, result.case, !result.replayed), { duplicates: result.duplicates.map(presentCaseSummary), replayed: result.replayed });
  });

  fastify.get('/cases', {
    schema: { operationId: 'listCases', tags: ['cases'], summary: 'Cases in your area, filtered and paged (reporters masked)', querystring: CaseListQuery, response: { 200: CasePage(CaseSummaryOut), ...errors } },
  }, async (request) => {
    const ctx = ctxFor(app, request, 'case.read');
    const result = await listCases(ctx, request.query);
    return { ...result, items: result.items.map(presentCaseSummary) };
  });

  fastify.get('/cases/queues', {
    schema: { tags: ['cases'], summary: 'Your workbench queues (待核实, 待派遣, 超期 …) with how many cases in your area wait in each', response: { 200: QueueCountsOut, ...errors } },
  }, async (request) => {
    const ctx = ctxFor(app, request, 'case.read');
    return { items: await countQueues(ctx) };
  });

  fastify.get('/cases.csv', {
    schema: { operationId: 'exportCasesCsv', tags: ['cases'], summary: 'Every case matching the filters of GET /cases (no paging), streamed as CSV: UTF-8 with BOM, header row, newest first', querystring: CaseCsvQuery, produces: ['text/csv'] },
  }, async (request, reply) => {
    const ctx = ctxFor(app, request, 'case.read');
    const rows = streamCases(ctx, request.query);
    // Pull the first batch before answering, so that a bad filter (an org outside scope) is still a 4xx.
    const first = await rows.next();
    async function* all() {
      if (!first.done) yield first.value;
      yield* rows;
    }
    reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="cases.csv"');
    return reply.send(Readable.from(casesCsv(all())));
  });

  fastify.get('/cases/:id', {
    schema: { operationId: 'getCase', tags: ['cases'], summary: 'One case with its version and the actions you may take now', params: IdParams, response: { 200: CaseOut, ...errors } },
  }, async (request) => {
    const ctx = ctxFor(app, request, 'case.read');
    const row = await caseRepository.findInScope(ctx.db, request.params.id, caseScopeFor(ctx.actor));
    if (!row) throw new AppError('case_not_found', `case ${request.params.id} does not exist or is outside your area`);
    return detail(ctx, row);
  });

  fastify.post('/cases/:id/transitions', {
    schema: { operationId: 'transitionCase', tags: ['cases'], summary: 'Take a workflow action; `version` must be the version you read', params: IdParams, body: TransitionBody, response: { 200: CaseOut, ...errors } },
  }, async (request) => {
    const ctx = ctxFor(app, request, 'case.write');
    const row = await transitionCase(ctx, request.params.id, request.body);
    return detail(ctx, row);
  });

  fastify.get('/cases/:id/duplicates', {
    schema: { operationId: 'listCaseDuplicates', tags: ['cases'], summary: 'Duplicate candidates of a case: same category, within its radius and time window', params: IdParams, response: { 200: Type.Object({ items: Type.Array(CaseSummaryOut), total: Type.Integer() }), ...errors } },
  }, async (request) => {
    const ctx = ctxFor(app, request, 'case.read');
    const row = await caseRepository.findInScope(ctx.db, request.params.id, caseScopeFor(ctx.actor));
    if (!row) throw new AppError('case_not_found', `case ${request.params.id} does not exist or is outside your area`);
    const category = await catalogueRepository.findCategoryById(ctx.db, row.category_id);
    const items = category ? (await findDuplicates(ctx, row, category)).map(presentCaseSummary) : [];
    return { items, total: items.length };
  });

  fastify.get('/notifications', {
    schema: {
      operationId: 'listNotifications',
      tags: ['cases'],
      summary: 'Notifications in your area: overdue cases, escalations, supervision, merged reports closed',
      querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })) }, { additionalProperties: false }),
      response: { 200: Type.Object({ items: Type.Array(NotificationOut), total: Type.Integer() }), ...errors },
    },
  }, async (request) => {
    const ctx = ctxFor(app, request, 'kpi.read');
    const rows = await caseRepository.listNotifications(ctx.db, ctx.actor.orgPath, request.query.limit ?? 100);
    const items = rows.map((n) => ({ id: n.id, caseId: n.case_id, orgCode: n.org_code, role: n.role, kind: n.kind, message: n.message, createdAt: n.created_at, readAt: n.read_at }));
    return { items, total: items.length };
  });

  fastify.get('/cases/:id/timeline', {
    schema: { operationId: 'getCaseTimeline', tags: ['cases'], summary: 'The append-only timeline of a case: an array of events in order', params: IdParams, response: { 200: Type.Array(EventOut), ...errors } },
  }, async (request) => {
    const ctx = ctxFor(app, request, 'case.read');
    const row = await caseRepository.findInScope(ctx.db, request.params.id, caseScopeFor(ctx.actor));
    if (!row) throw new AppError('case_not_found', `case ${request.params.id} does not exist or is outside your area`);
    return (await caseRepository.timeline(ctx.db, row.id)).map(presentEvent);
  });

  fastify.post('/cases/:id/attachments', {
    schema: {
      operationId: 'uploadCaseAttachment',
      tags: ['cases'],
      summary: 'Upload a photo or document (multipart field "file"); the type is checked by content',
      params: IdParams,
      querystring: Type.Object({ phase: Type.Optional(StringEnum(PHASES)) }, { additionalProperties: false }),
      consumes: ['multipart/form-data'],
      response: { 201: AttachmentOut, ...errors },
    },
  }, async (request, reply) => {
    const ctx = ctxFor(app, request, 'case.write');
    const file = await readSingleFile(request, app.config.attachments.maxBytes);
    const saved = await attachFile(ctx, request.params.id, file, request.query.phase ?? 'other');
    reply.status(201);
    return { ...saved, url: `/api/v1/cases/${request.params.id}/attachments/${saved.id}` };
  });

  fastify.get('/cases/:id/attachments/:attachmentId', {
    schema: { operationId: 'downloadCaseAttachment', tags: ['cases'], summary: 'Download an attachment (only for users who may see the case); photos lose their EXIF/XMP metadata for citizens and API keys', params: Type.Object({ id: Type.Integer({ minimum: 1 }), attachmentId: Type.Integer({ minimum: 1 }) }) },
  }, async (request, reply) => {
    const ctx = ctxFor(app, request, 'case.read');
    const file = await readAttachment(ctx, request.params.id, request.params.attachmentId);
    return reply.headers(downloadHeaders(file.filename, file.mime)).send(bytesFor(ctx.actor, file.bytes, file.mime));
  });
};
