import { readFileSync } from 'node:fs';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from './context.js';
import { installErrorHandler } from './http/errors.js';
import { validatorCompiler } from './http/validation.js';
import { installInputGuards } from './http/input.js';
import { installOperationIds } from './http/openapi.js';
import { authPlugin } from './auth/auth.plugin.js';
import { authRoutes } from './auth/auth.routes.js';
import { orgRoutes } from './org/org.routes.js';
import { apiRoutePlugins } from './routes.js';
import { open311Plugin } from './open311/open311.plugin.js';
import { webPlugin } from './web/web.plugin.js';
import { installSecurityHeaders } from './security/headers.js';
import { installCsrfCheck } from './security/csrf.js';
import { allowCrossOrigin } from './security/cors.js';
import { fastifyTrustProxy } from './security/proxy.js';
import { serializeRequest } from './security/log.js';
import { sharedRateLimitStore } from './cluster/shared-limits.js';
import { logDestination } from './http/log-destination.js';
import { storeRepository } from './db/store.repository.js';
import { demoStatus } from './demo/demo.status.js';
import { followStoreChanges } from './cache/store-changes.js';

export const VERSION: string = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;

const HealthSchema = Type.Object({
  status: Type.Literal('ok'),
  db: Type.Union([Type.Literal('sqlite'), Type.Literal('postgres')]),
  version: Type.String(),
  demo: Type.Object({
    state: Type.Union(['off', 'building', 'stopped', 'failed', 'done'].map((s) => Type.Literal(s)), { description: 'the demo history build: off (none), building (in this process), stopped (part-way; continues on the next start or `gridloop demo --history`), failed, done' }),
    day: Type.Integer({ description: 'simulated days written' }),
    days: Type.Integer({ description: 'simulated days in all' }),
    cases: Type.Integer({ description: 'cases written so far' }),
  }),
});

/** Builds the HTTP application over an AppContext: plugins, error handling, OpenAPI and every route. */
export async function buildHttpApp(app: AppContext, opts: { logger?: boolean; webDistDir?: string; logStream?: NodeJS.WritableStream; logFd?: number } = {}): Promise<FastifyInstance> {
  const stream = opts.logStream ?? (opts.logger || opts.logFd !== undefined ? logDestination(opts.logFd ?? 1) : undefined);
  const fastify = Fastify({
    // Request lines carry no headers and no secret query values (api_key=…): see security/log.ts.
    logger: stream ? { level: app.config.logLevel, stream, serializers: { req: serializeRequest } } : false,
    // One line per request (written when it completes) instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: app.config.bodyLimitBytes,
    trustProxy: fastifyTrustProxy(app.config.trustProxy),
    ajv: { customOptions: { removeAdditional: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();
  fastify.setValidatorCompiler(validatorCompiler);
  installErrorHandler(fastify);
  installInputGuards(fastify);
  installSecurityHeaders(fastify);
  installOperationIds(fastify);
  // SQLite: what a CLI in another process wrote (an import) is reloaded before the request reads it.
  if (app.store.dialect === 'sqlite') fastify.addHook('onRequest', async () => void (await followStoreChanges(app)));
  if (stream) fastify.addHook('onResponse', async (request, reply) => {
    request.log.info({ req: request, res: { statusCode: reply.statusCode }, responseTime: Math.round(reply.elapsedTime * 10) / 10 }, 'request completed');
  });

  await fastify.register(cookie);
  await fastify.register(multipart, { limits: { fileSize: app.config.attachments.maxBytes, files: 1, fields: 20 } });
  // Counters in PostgreSQL when several instances share the store (cluster/shared-limits.ts), else in memory.
  const rateStore = sharedRateLimitStore(app);
  await fastify.register(rateLimit, { global: false, ...(rateStore ? { store: rateStore } : {}) });
  await fastify.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Gridloop API', version: VERSION, description: 'Gridloop (网格闭环) city operations and grid governance: REST API v1.' },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'gridloop_session' },
          apiKey: { type: 'http', scheme: 'bearer' },
        },
      },
      security: [{ session: [] }, { apiKey: [] }],
    },
  });
  await fastify.register(swaggerUi, { routePrefix: '/api/docs' });
  await fastify.register(authPlugin, { app });
  installCsrfCheck(fastify, app.config.trustedOrigins);

  await fastify.register(async (api) => {
    api.get('/health', {
      schema: {
        operationId: 'getHealth',
        tags: ['system'],
        summary: 'Liveness, the store in use and the demo history build\'s progress',
        security: [],
        response: { 200: HealthSchema },
      },
    }, async () => {
      await storeRepository.ping(app.store.db);
      return { status: 'ok' as const, db: app.store.dialect, version: VERSION, demo: await demoStatus(app) };
    });
    await api.register(authRoutes, { app });
    await api.register(orgRoutes, { app });
    for (const plugin of apiRoutePlugins) await api.register(plugin, { app });
  }, { prefix: '/api/v1' });
  await fastify.register(async (open311) => {
    await allowCrossOrigin(open311, app.config.corsOrigins);
    await open311.register(open311Plugin, { app });
  }, { prefix: '/open311/v2' });

  fastify.get('/api/openapi.json', { schema: { hide: true } }, async () => fastify.swagger());
  await fastify.register(webPlugin, { distDir: opts.webDistDir });
  return fastify;
}
