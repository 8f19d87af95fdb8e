import fp from 'fastify-plugin';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.js';
import type { AppContext, Ctx } from '../context.js';
import { makeCtx } from '../context.js';
import { AppError } from '../errors.js';
import type { Actor } from './actor.js';
import { actorFromApiKey, actorFromSession } from './auth.service.js';
import { can, type Permission } from './policy.js';

export const SESSION_COOKIE = 'gridloop_session';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
  }
}

/** The API key a machine client sent: `Authorization: Bearer …` or `X-Api-Key`. */
export function presentedApiKey(request: FastifyRequest): string | undefined {
  const auth = request.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice(7).trim();
  const header = request.headers['x-api-key'];
  return typeof header === 'string' ? header : undefined;
}

/** Resolves the actor of every request from its session cookie or API key (null when anonymous). */
export const authPlugin = fp<{ app: AppContext }>(async (fastify, { app }) => {
  fastify.decorateRequest('actor', null);
  fastify.addHook('onRequest', async (request) => {
    const key = presentedApiKey(request);
    if (key) {
      request.actor = await actorFromApiKey(app, key);
      if (!request.actor) throw new AppError('unauthenticated', 'the API key is unknown or revoked');
      return;
    }
    const token = request.cookies?.[SESSION_COOKIE];
    if (token) request.actor = await actorFromSession(app, token);
  });
});

/** The request's actor; throws unauthenticated when there is none. */
export function requireActor(request: FastifyRequest): Actor {
  if (!request.actor) throw new AppError('unauthenticated', 'log in or send an API key');
  return request.actor;
}

/** A domain Ctx for the request's actor after checking one permission. Throws unauthenticated/forbidden. */
export function ctxFor(app: AppContext, request: FastifyRequest, permission: Permission): Ctx {
  const actor = requireActor(request);
  if (!can(actor, permission)) throw new AppError('forbidden', `your role (${actor.role}) may not do this`, { permission });
  return makeCtx(app, actor);
}

/**
 * The session cookie's attributes: HttpOnly, SameSite=Lax (sent on top-level navigation from a
 * link, never on a cross-site POST or fetch), path /, and Secure over HTTPS (the request's
 * protocol as seen through a trusted proxy) or always/never as GRIDLOOP_COOKIE_SECURE says.
 */
export function sessionCookieOptions(config: Config, request: FastifyRequest) {
  const secure = config.cookieSecure === 'always' || (config.cookieSecure === 'auto' && request.protocol === 'https');
  return { httpOnly: true, sameSite: 'lax' as const, path: '/', secure };
}

export function setSessionCookie(config: Config, request: FastifyRequest, reply: FastifyReply, token: string, expiresAt: Date): void {
  reply.setCookie(SESSION_COOKIE, token, { ...sessionCookieOptions(config, request), expires: expiresAt });
}
