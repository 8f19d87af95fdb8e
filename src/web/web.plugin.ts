import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { DIST_DIR } from './web.build.js';

const IMMUTABLE = 'public, max-age=31536000, immutable';
// Paths that belong to the APIs or to hashed assets never fall back to the app's index.html.
const NO_FALLBACK = /^\/(api|open311|assets)(\/|$)/;

/** The Cache-Control header for a file of the built app: hashed assets forever, the rest revalidated. */
export function cacheControlFor(filePath: string, distDir = DIST_DIR): string {
  const relative = path.relative(distDir, filePath).split(path.sep).join('/');
  if (relative.startsWith('assets/')) return IMMUTABLE;
  return 'no-cache';
}

/**
 * Serves the built web app (web/dist): files as they are, and index.html for any other GET that is
 * not an API path (vue-router history mode). Without a build, pages answer a 503 saying how to build.
 */
export const webPlugin: FastifyPluginAsync<{ distDir?: string }> = async (fastify, opts) => {
  const distDir = opts.distDir ?? DIST_DIR;
  const built = existsSync(path.join(distDir, 'index.html'));
  if (built) {
    await fastify.register(fastifyStatic, {
      root: distDir,
      wildcard: false,
      index: false,
      cacheControl: false,
      serve: true,
      allowedPath: (pathName) => !pathName.startsWith('/.'),
      setHeaders: (res, filePath) => res.setHeader('cache-control', cacheControlFor(filePath, distDir)),
    });
  }
  const page = async (request: FastifyRequest, reply: FastifyReply) => {
    const url = request.url.split('?')[0];
    if (NO_FALLBACK.test(url)) return reply.callNotFound();
    if (!built) {
      return reply.status(503).type('text/plain; charset=utf-8').send('web app not built: run npm run build:web\n');
    }
    return reply.header('cache-control', 'no-cache').sendFile('index.html', distDir, { cacheControl: false });
  };
  fastify.get('/', { schema: { hide: true } }, page);
  fastify.get('/*', { schema: { hide: true } }, page);
};
