import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';
import { SESSION_COOKIE, presentedApiKey } from '../auth/auth.plugin.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function originOf(url: string): string | null {
  try {
    const origin = new URL(url).origin;
    return origin === 'null' ? null : origin;
  } catch {
    return null;
  }
}

/** The origin the client used to reach us: protocol and Host as seen through trusted proxies. */
export function ownOrigin(request: FastifyRequest): string | null {
  return originOf(`${request.protocol}://${request.host}`);
}

/**
 * Where a request says it comes from: its Origin header, else the origin of its Referer.
 * `undefined` when it sends neither; 'foreign' for an opaque (`null`) or unparsable value.
 */
export function claimedOrigin(request: FastifyRequest): string | undefined {
  const header = request.headers.origin ?? request.headers.referer;
  if (header === undefined || header === '') return undefined;
  return originOf(header) ?? 'foreign';
}

/**
 * The CSRF rule for one request, or null when it passes. Safe methods and API-key (Bearer /
 * X-Api-Key) requests pass: a browser never adds those on its own. An unsafe request passes when
 * its Origin (or Referer) is our own origin or a trusted one; a foreign one is refused; one
 * sending neither is refused only when it carries a session cookie (curl and server-to-server
 * clients without a cookie have no ambient authority to abuse).
 */
export function csrfProblem(request: FastifyRequest, trustedOrigins: readonly string[]): string | null {
  if (SAFE_METHODS.has(request.method) || presentedApiKey(request)) return null;
  const claimed = claimedOrigin(request);
  const hasSession = Boolean(request.cookies?.[SESSION_COOKIE]);
  if (claimed === undefined) return hasSession ? 'a cookie-authenticated write must send an Origin or Referer header' : null;
  if (claimed === ownOrigin(request) || trustedOrigins.includes(claimed)) return null;
  return `writes from ${claimed === 'foreign' ? 'an opaque origin' : claimed} are not accepted`;
}

/**
 * Installs the CSRF check (run after the auth plugin has resolved the actor). Under /open311/ a
 * failing request is not refused but loses its session: Open311 writes are authorised by API
 * keys (which CORS lets browser clients send), so a cookie must never lend them authority.
 * Elsewhere it is refused with 403 csrf_rejected. SameSite=Lax on the cookie is the first line.
 */
export function installCsrfCheck(fastify: FastifyInstance, trustedOrigins: readonly string[]): void {
  fastify.addHook('onRequest', async (request) => {
    const problem = csrfProblem(request, trustedOrigins);
    if (!problem) return;
    if (request.url.startsWith('/open311/')) {
      if (request.actor?.kind === 'user') request.actor = null;
      return;
    }
    throw new AppError('csrf_rejected', `cross-site request refused: ${problem}`);
  });
}
