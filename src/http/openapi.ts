import type { FastifyInstance, RouteOptions } from 'fastify';

const API_PREFIXES = /^\/(api\/v1|open311\/v2)(?=\/)/;

/**
 * The operationId a documented route gets when it declares none: its method and path in
 * camelCase, a parameter as `By<Name>` (GET /api/v1/cases/:id/timeline → getCasesByIdTimeline).
 * Deterministic, so it stays stable while the route does.
 */
export function defaultOperationId(method: string, url: string): string {
  const words = url.replace(API_PREFIXES, '').split(/[/.\-_]+/).filter(Boolean)
    .map((w) => (w.startsWith(':') ? `by${w[1].toUpperCase()}${w.slice(2)}` : w));
  return [method.toLowerCase(), ...words].map((w, i) => (i === 0 ? w : w[0].toUpperCase() + w.slice(1))).join('');
}

/**
 * Gives every documented route an operationId (client generators name their functions after it):
 * its own, else defaultOperationId. test/openapi.test.ts checks they are unique and camelCase.
 * Install on the root instance before any route plugin.
 */
export function installOperationIds(fastify: FastifyInstance): void {
  fastify.addHook('onRoute', (route: RouteOptions) => {
    const schema = route.schema as { hide?: boolean; operationId?: string } | undefined;
    const method = Array.isArray(route.method) ? route.method[0] : route.method;
    if (schema?.hide || schema?.operationId || method === 'HEAD') return;
    route.schema = { ...schema, operationId: defaultOperationId(method, route.url) } as RouteOptions['schema'];
  });
}
