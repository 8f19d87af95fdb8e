import type { FastifyError, FastifyInstance } from 'fastify';
import type { AppError } from '../errors.js';
import { setRetryAfter, toAppError } from '../http/errors.js';
import { formatOf, sendResource } from './open311.format.js';

/** One entry of a GeoReport error list. `code` repeats the HTTP status, as in the spec's example. */
export type Open311ErrorItem = {
  code: number;
  description: string;
};

/** Several problems found at once (e.g. every bad attribute of a POST), each with its field. */
export interface Problem {
  field: string;
  message: string;
}

/**
 * The HTTP status GeoReport v2 allows for a domain error: 404 for a missing resource, 403 for a
 * bad or missing key, 400 for everything else; plus 429 (rate limits), 503 (database unavailable:
 * retry) and 500 (our fault).
 */
export function open311Status(error: AppError): number {
  if (error.status === 404) return 404;
  if (error.status === 401 || error.status === 403) return 403;
  if (error.status === 429 || error.status === 503) return error.status;
  if (error.status >= 500) return 500;
  return 400;
}

function problemsOf(details: unknown): Problem[] {
  if (!details || typeof details !== 'object' || !('problems' in details)) return [];
  const problems = (details as { problems: unknown }).problems;
  return Array.isArray(problems) ? problems.filter((p): p is Problem => typeof p?.message === 'string') : [];
}

/** The error list for a domain error: one entry per listed problem, else one for the error itself. */
export function open311Errors(error: AppError): Open311ErrorItem[] {
  const code = open311Status(error);
  const problems = problemsOf(error.details);
  if (problems.length > 0) return problems.map((p) => ({ code, description: p.message }));
  return [{ code, description: error.message }];
}

/**
 * Installs the adapter's error and 404 handlers on its encapsulated context: errors become an
 * `errors/error` list in the request's format; the REST API keeps its own format.
 */
export function installOpen311ErrorHandler(fastify: FastifyInstance): void {
  fastify.setErrorHandler((err: FastifyError, request, reply) => {
    const error = toAppError(err);
    if (error.code === 'internal_error') request.log.error({ err }, 'unhandled error in the Open311 adapter');
    const status = open311Status(error);
    setRetryAfter(reply, error);
    reply.status(status);
    return sendResource(reply, formatOf(request), 'errors', open311Errors(error));
  });
  fastify.setNotFoundHandler((request, reply) => {
    reply.status(404);
    return sendResource(reply, formatOf(request), 'errors', [{ code: 404, description: `no Open311 resource at ${request.method} ${request.url.split('?')[0]}` }]);
  });
}
