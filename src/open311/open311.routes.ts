import { promises as fs } from 'node:fs';
import { bytesFor, downloadHeaders, seesOriginalPhotos } from '../cases/attachment.download.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.js';
import { makeCtx } from '../context.js';
import { AppError } from '../errors.js';
import { blobPath } from '../cases/attachment.store.js';
import type { BatchQueue } from './open311.batch.js';
import { requireServiceRight, requireWriter } from './open311.caller.js';
import { presentDiscovery } from './open311.discovery.js';
import { formatOf, sendResource, splitSuffix, type Format } from './open311.format.js';
import { field, queryFields, readPostBody, type FormFields } from './open311.form.js';
import { submitRequest } from './open311.intake.js';
import { readScope, resolveJurisdiction } from './open311.jurisdiction.js';
import { presentService, presentServiceDefinition, presentSubmitResult } from './open311.presenter.js';
import { open311Repository } from './open311.repository.js';
import { findRequest, findRequests, parseRequestQuery } from './open311.requests.js';
import { findService, listServices } from './open311.services.js';
import type { Open311Settings } from './open311.settings.js';
import { parseSubmission } from './open311.submission.js';
import { listUpdates, postUpdate } from './open311.updates.js';

type Handler = (request: FastifyRequest, reply: FastifyReply, format: Format) => Promise<FastifyReply>;
const SUFFIXES = ['.json', '.xml', ''] as const;

// The OpenAPI operationId of each documented resource (the `.json` and `/{file}` forms; the
// `.xml` and bare twins are hidden). Stable: client generators name their functions after them.
const OPERATION_IDS: Record<string, string> = {
  'GET /discovery': 'getOpen311Discovery',
  'GET /services': 'listOpen311Services',
  'GET /services/:file': 'getOpen311ServiceDefinition',
  'POST /requests': 'createOpen311Request',
  'GET /requests': 'listOpen311Requests',
  'GET /requests/:file': 'getOpen311Request',
  'GET /tokens/:file': 'getOpen311Token',
  'GET /servicerequestupdates': 'listOpen311Updates',
  'POST /servicerequestupdates': 'createOpen311Update',
};

/** Registers `path.json`, `path.xml` and the bare `path` (format from Accept) for one handler. */
function everyFormat(fastify: FastifyInstance, method: 'GET' | 'POST', path: string, summary: string, handler: Handler): void {
  for (const suffix of SUFFIXES) {
    fastify.route({
      method, url: `${path}${suffix}`,
      schema: { tags: ['open311'], summary, hide: suffix !== '.json', ...(suffix === '.json' ? { operationId: OPERATION_IDS[`${method} ${path}`] } : {}) },
      handler: (request, reply) => handler(request, reply, formatOf(request)),
    });
  }
}

/** Registers `path/:file` where the last segment is `<id>.json`, `<id>.xml` or a bare id. */
function byId(fastify: FastifyInstance, path: string, summary: string, handler: (request: FastifyRequest, reply: FastifyReply, id: string, format: Format) => Promise<FastifyReply>): void {
  fastify.get<{ Params: { file: string } }>(`${path}/:file`, { schema: { tags: ['open311'], summary, operationId: OPERATION_IDS[`GET ${path}/:file`] } }, (request, reply) => {
    const parsed = splitSuffix(request.params.file, request);
    if (!parsed || !parsed.id) throw new AppError('not_found', `no Open311 resource at ${request.url.split('?')[0]}: use .xml or .json`);
    return handler(request, reply, parsed.id, parsed.format);
  });
}

/** Base URL of the adapter as clients reach it (configured, else this request's host). */
export function baseUrlOf(settings: Open311Settings, request: FastifyRequest, prefix: string): string {
  return settings.publicBaseUrl ?? `${request.protocol}://${request.host}${prefix}`;
}

/**
 * Every GeoReport v2 resource plus the mySociety update channel and the photo endpoint. Handlers
 * only parse, call one domain function and present.
 */
export function registerOpen311Routes(fastify: FastifyInstance, app: AppContext, settings: Open311Settings, queue: BatchQueue): void {
  const base = (request: FastifyRequest) => baseUrlOf(settings, request, fastify.prefix);
  const tz = app.config.timeZone;
  const query = (request: FastifyRequest): FormFields => queryFields(request.query);
  const jurisdictionOf = (fields: FormFields) => resolveJurisdiction(app.store.db, field(fields, 'jurisdiction_id'), settings.jurisdictionAliases);

  everyFormat(fastify, 'GET', '/discovery', 'Service discovery (GeoReport v2 endpoints, formats, contact)', async (request, reply, format) =>
    sendResource(reply, format, 'discovery', await presentDiscovery(app, settings, base(request))));

  everyFormat(fastify, 'GET', '/services', 'Service list: the categories of the catalogue', async (request, reply, format) => {
    await jurisdictionOf(query(request));
    return sendResource(reply, format, 'services', (await listServices(app.store.db)).map(presentService));
  });

  byId(fastify, '/services', 'Service definition: the extra questions of a category', async (request, reply, code, format) => {
    await jurisdictionOf(query(request));
    return sendResource(reply, format, 'service_definition', presentServiceDefinition(await findService(app.store.db, code)));
  });

  everyFormat(fastify, 'POST', '/requests', 'Submit a service request (form-urlencoded or multipart with a media file; api_key required)', async (request, reply, format) => {
    const { fields, files } = await readPostBody(request, { maxFileBytes: app.config.attachments.maxBytes, maxFiles: 3 });
    const jurisdiction = await jurisdictionOf(fields);
    const actor = await requireWriter(app, request, fields, jurisdiction, ['open311.submit', 'reading.write']);
    const code = field(fields, 'service_code');
    if (!code) throw new AppError('validation_failed', 'service_code is required', { field: 'service_code' });
    const service = await findService(app.store.db, code);
    requireServiceRight(actor, service);
    const sub = parseSubmission(fields, service, tz);
    const result = await submitRequest(makeCtx(app, actor), jurisdiction, service, sub, files, (token) => queue.enqueue(token));
    return sendResource(reply, format, 'service_requests', [presentSubmitResult(result, service, field(fields, 'account_id') ?? null)]);
  });

  everyFormat(fastify, 'GET', '/requests', 'Service requests, filtered and paged (public view unless staff)', async (request, reply, format) => {
    const fields = query(request);
    const scope = readScope(request.actor, await jurisdictionOf(fields));
    const q = parseRequestQuery(fields, settings, tz, app.clock());
    const { items, total } = await findRequests(app, scope, q, base(request));
    reply.header('x-total-count', String(total));
    return sendResource(reply, format, 'service_requests', items);
  });

  byId(fastify, '/requests', 'One service request (an array of one); a resolved batch token works too', async (request, reply, id, format) => {
    const fields = query(request);
    const scope = readScope(request.actor, await jurisdictionOf(fields));
    const item = await findRequest(app, scope, id, field(fields, 'extensions')?.toLowerCase() === 'true', base(request));
    return sendResource(reply, format, 'service_requests', [item]);
  });

  byId(fastify, '/tokens', 'The service_request_id behind a batch token (null until the case exists)', async (request, reply, token, format) => {
    await jurisdictionOf(query(request));
    const row = await open311Repository.findToken(app.store.db, token);
    if (!row) throw new AppError('not_found', `token ${token} is unknown`);
    if (row.status === 'failed') throw new AppError('validation_failed', `the request behind token ${token} was refused: ${row.error ?? 'unknown reason'}`);
    return sendResource(reply, format, 'service_requests', [{ service_request_id: row.case_id === null ? null : String(row.case_id), token: row.token }]);
  });

  everyFormat(fastify, 'GET', '/servicerequestupdates', 'mySociety: status updates of requests between start_date and end_date', async (request, reply, format) => {
    const fields = query(request);
    const scope = readScope(request.actor, await jurisdictionOf(fields));
    return sendResource(reply, format, 'service_request_updates', await listUpdates(app, scope, fields, settings, base(request)));
  });

  everyFormat(fastify, 'POST', '/servicerequestupdates', 'mySociety: post an update (comment or status) on a request', async (request, reply, format) => {
    const { fields } = await readPostBody(request, { maxFileBytes: app.config.attachments.maxBytes, maxFiles: 0 });
    const jurisdiction = await jurisdictionOf(fields);
    const actor = await requireWriter(app, request, fields, jurisdiction);
    const { updateId, accountId } = await postUpdate(makeCtx(app, actor), fields);
    return sendResource(reply, format, 'service_request_updates', [{ update_id: updateId, account_id: accountId }]);
  });

  fastify.get<{ Params: { caseId: string; attachmentId: string } }>('/media/:caseId/:attachmentId', { schema: { operationId: 'getOpen311Media', tags: ['open311'], summary: 'A photo of a request the reader may see' } }, async (request, reply) => {
    const fields = query(request);
    const scope = readScope(request.actor, await jurisdictionOf(fields));
    const [caseId, attachmentId] = [Number(request.params.caseId), Number(request.params.attachmentId.replace(/\.\w+$/, ''))];
    const photo = Number.isInteger(caseId) && Number.isInteger(attachmentId) ? await open311Repository.findPhoto(app.store.db, scope, caseId, attachmentId) : undefined;
    if (!photo) throw new AppError('not_found', 'no such photo');
    const bytes = await fs.readFile(blobPath(app.config.attachments.dir, photo.sha256));
    // Staff see the original; the public (and public front ends' keys) get it without EXIF/XMP.
    const original = seesOriginalPhotos(request.actor);
    return reply.headers(downloadHeaders(photo.filename, photo.mime)).header('cache-control', original ? 'private, no-store' : 'public, max-age=3600').send(bytesFor(request.actor, bytes, photo.mime));
  });
}
