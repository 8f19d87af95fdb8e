import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { AppError, isAppError } from '../errors.js';
import { translateDbError } from '../db/errors.js';
import { validationError } from './validation.js';

/** Maps anything thrown in a request to the catalogue's `{error, message, details}` shape. */
export function toAppError(err: unknown): AppError {
  const translated = translateDbError(err);
  if (isAppError(translated)) return translated;
  const e = err as FastifyError & { validation?: unknown[]; validationContext?: string };
  if (e?.validation) return validationError(e.validation as never, e.validationContext ?? 'request');
  switch (e?.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError('invalid_json', 'the request body is not valid JSON');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
    case 'FST_REQ_FILE_TOO_LARGE':
      return new AppError('payload_too_large', 'the request body is too large');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return new AppError('unsupported_media_type', 'unsupported content type');
  }
  if (e instanceof SyntaxError || e?.statusCode === 400) return new AppError('validation_failed', e.message);
  if (e?.statusCode === 404) return new AppError('not_found', 'no such resource');
  if (e?.statusCode === 429) return new AppError('too_many_requests', 'too many requests, slow down');
  if (e?.statusCode === 413) return new AppError('payload_too_large', 'the request body is too large');
  if (e?.statusCode === 415) return new AppError('unsupported_media_type', 'unsupported content type');
  return new AppError('internal_error', 'internal error');
}

/**
 * Tells the client when to retry a refusal that is not its fault: a rate limit (its own delay, else
 * 60 s unless the limiter set one) or an unavailable database (5 s).
 */
export function setRetryAfter(reply: FastifyReply, appError: AppError): void {
  if (appError.code === 'too_many_requests' && !reply.getHeader('retry-after')) {
    const seconds = (appError.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds;
    reply.header('retry-after', String(seconds ?? 60));
  }
  if (appError.code === 'database_unavailable') reply.header('retry-after', '5');
}

/** Installs the one error handler and the 404 handler. Unknown errors are logged and leak nothing. */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err, request, reply) => {
    const appError = toAppError(err);
    if (appError.code === 'internal_error') request.log.error({ err }, 'unhandled error');
    if (appError.code === 'database_unavailable') request.log.warn({ err }, 'database unavailable');
    setRetryAfter(reply, appError);
    const body: Record<string, unknown> = { error: appError.code, message: appError.message };
    if (appError.details !== undefined) body.details = appError.details;
    reply.status(appError.status).send(body);
  });
  app.setNotFoundHandler((request, reply) => {
    reply.status(404).send({ error: 'not_found', message: `no route ${request.method} ${request.url.split('?')[0]}` });
  });
}
