import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../context.js';
import { AppError } from '../errors.js';
import { checkUrlEncodedUtf8, utf8BodyParser } from '../http/input.js';
import { BATCH_QUEUE, BatchQueue } from './open311.batch.js';
import { rateKey, refuseInvalidKey, resolveKeyParam } from './open311.caller.js';
import { seedOpen311Defaults } from './open311.catalogue.js';
import { installOpen311ErrorHandler } from './open311.errors.js';
import { parseFormBody, queryFields, type FormFields } from './open311.form.js';
import { registerOpen311Routes } from './open311.routes.js';
import { loadOpen311Settings, type Open311Settings } from './open311.settings.js';

export interface Open311PluginOptions {
  app: AppContext;
  /** Overrides of the settings read from the environment (tests pass small rate limits). */
  settings?: Partial<Open311Settings>;
}

function installRateLimit(fastify: FastifyInstance, app: AppContext, settings: Open311Settings): void {
  // One budget per caller across every Open311 route: its API key, else its IP address.
  const limiter = fastify.rateLimit({
    timeWindow: 60_000,
    // Prefixed: with several instances the counters of every limiter share one table.
    keyGenerator: (request) => `open311:${rateKey(request)}`,
    max: (request) => (request.actor?.kind === 'apikey' ? settings.perKeyPerMinute : settings.perIpPerMinute),
    errorResponseBuilder: (_request, context) => new AppError('too_many_requests', `rate limit exceeded: at most ${(context as { max?: number }).max ?? '?'} requests per minute; retry after the Retry-After delay`),
  });
  fastify.addHook('preHandler', async (request, reply) => {
    const fields: FormFields = { ...queryFields(request.query), ...queryFields(request.body) };
    await resolveKeyParam(app, request, fields);
    await limiter.call(fastify, request, reply);
    refuseInvalidKey(request);
  });
}

/**
 * The Open311 GeoReport v2 adapter (mount it at /open311/v2): form bodies, its own error format,
 * rate limits per key and per IP, the batch-token queue (pending tokens are resumed when the
 * server is ready) and every route. Applies the shipped service defaults once.
 */
export const open311Plugin: FastifyPluginAsync<Open311PluginOptions> = async (fastify, opts) => {
  const { app } = opts;
  const settings = loadOpen311Settings(process.env, opts.settings);
  await seedOpen311Defaults(app);

  fastify.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'buffer' }, utf8BodyParser((_request, text, done) => {
    try {
      checkUrlEncodedUtf8(text, 'body');
    } catch (err) {
      return done(err as Error);
    }
    done(null, parseFormBody(text));
  }));
  installOpen311ErrorHandler(fastify);
  installRateLimit(fastify, app, settings);

  const queue = new BatchQueue(app, fastify.log);
  const previous = app.services.get(BATCH_QUEUE);
  app.services.set(BATCH_QUEUE, queue);
  fastify.addHook('onReady', async () => {
    const pending = await queue.enqueuePending();
    if (pending > 0) fastify.log.info({ pending }, 'Open311: resuming pending batch tokens');
  });
  fastify.addHook('onClose', async () => {
    await queue.stop();
    // Another HTTP app over the same context (tests) gets its queue back.
    if (app.services.get(BATCH_QUEUE) === queue) {
      if (previous) app.services.set(BATCH_QUEUE, previous);
      else app.services.delete(BATCH_QUEUE);
    }
  });

  registerOpen311Routes(fastify, app, settings, queue);
  // The web app's history fallback (`GET /*` at the root) would otherwise catch unknown Open311
  // paths and answer them with the root's JSON 404; this more specific wildcard keeps them here.
  fastify.all('/*', { schema: { hide: true } }, (_request, reply) => reply.callNotFound());
};
