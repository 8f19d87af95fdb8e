import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../context.js';
import { AppError } from '../errors.js';
import { DEFAULT_THROTTLE_RULES, LoginThrottle } from './login-throttle.js';
import { eventLogFor } from '../cluster/shared-limits.js';
import { ErrorBody, Page, PageQuery, StringEnum } from '../http/schemas.js';
import { ROLES } from './actor.js';
import { API_SCOPES, splitList } from './scopes.js';
import { authRepository } from './auth.repository.js';
import { addUser, createApiKey, login, logout } from './auth.service.js';
import { SESSION_COOKIE, ctxFor, requireActor, sessionCookieOptions, setSessionCookie } from './auth.plugin.js';
import { presentApiKeyRow, presentUser, presentUserRow } from './user.presenter.js';
import { orgRepository } from '../org/org.repository.js';
import { subtreeRange } from '../db/dialect.js';

const Me = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  kind: Type.String(),
  roles: Type.Array(Type.String()),
  orgUnit: Type.Object({ code: Type.String(), name: Type.String(), level: Type.String() }),
  departmentId: Type.Union([Type.Integer(), Type.Null()]),
});

const UserOut = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  displayName: Type.String(),
  role: Type.String(),
  orgCode: Type.String(),
  departmentId: Type.Union([Type.Integer(), Type.Null()]),
  phone: Type.Union([Type.String(), Type.Null()]),
  disabled: Type.Boolean(),
});

const ApiKeyOut = Type.Object({
  id: Type.Integer(), name: Type.String(), prefix: Type.String(), role: Type.String(), orgCode: Type.String(),
  scopes: Type.Array(Type.String()), createdAt: Type.String(), revokedAt: Type.Union([Type.String(), Type.Null()]),
});

/** Login, logout, the current user, users and API keys. */
export const authRoutes: FastifyPluginAsyncTypebox<{ app: AppContext }> = async (fastify, { app }) => {
  // Failures are counted in PostgreSQL when several instances share the store, else in memory.
  const throttle = new LoginThrottle(DEFAULT_THROTTLE_RULES, eventLogFor(app));

  fastify.post('/auth/login', {
    schema: {
      operationId: 'login',
      tags: ['auth'],
      summary: 'Log in with username and password; sets an HTTP-only session cookie',
      body: Type.Object({ username: Type.String({ minLength: 1, maxLength: 64 }), password: Type.String({ minLength: 1, maxLength: 256 }) }, { additionalProperties: false }),
      response: { 200: Type.Object({ ok: Type.Boolean(), expiresAt: Type.String() }), 401: ErrorBody, 429: ErrorBody },
    },
    // A flood cap per address; password guessing is slowed by the failed-login throttle below.
    config: { rateLimit: { max: 300, timeWindow: '1 minute' } },
  }, async (request, reply) => {
    // request.ip is the real client when GRIDLOOP_TRUST_PROXY names the proxies in front of us.
    const { username, password } = request.body;
    await throttle.check(request.ip, username, app.clock().getTime());
    try {
      const { token, expiresAt } = await login(app, username, password);
      await throttle.succeeded(request.ip, username, app.clock().getTime());
      // Rotation: the session this browser had before (if any) ends; the new one has a new id.
      const previous = request.cookies[SESSION_COOKIE];
      if (previous) await logout(app, previous);
      setSessionCookie(app.config, request, reply, token, expiresAt);
      return { ok: true, expiresAt: expiresAt.toISOString() };
    } catch (err) {
      // Timed after the password check, so the backoff runs from the end of the failed attempt.
      if (err instanceof AppError && err.code === 'invalid_credentials') await throttle.failed(request.ip, username, app.clock().getTime());
      throw err;
    }
  });

  fastify.post('/auth/logout', { schema: { operationId: 'logout', tags: ['auth'], summary: 'End the current session', response: { 200: Type.Object({ ok: Type.Boolean() }) } } }, async (request, reply) => {
    const token = request.cookies[SESSION_COOKIE];
    if (token) await logout(app, token);
    reply.clearCookie(SESSION_COOKIE, sessionCookieOptions(app.config, request));
    return { ok: true };
  });

  fastify.get('/me', { schema: { operationId: 'getMe', tags: ['auth'], summary: 'The current user, roles and org unit', response: { 200: Me, 401: ErrorBody } } }, async (request) => {
    const actor = requireActor(request);
    const org = await orgRepository.findByCode(app.store.db, actor.orgCode);
    return presentUser(actor, org);
  });

  fastify.get('/users', {
    schema: { operationId: 'listUsers', tags: ['auth'], summary: 'Users in your area (phone numbers masked)', querystring: Type.Object({ ...PageQuery }, { additionalProperties: false }), response: { 200: Page(UserOut), 401: ErrorBody, 403: ErrorBody } },
  }, async (request) => {
    const ctx = ctxFor(app, request, 'user.read');
    const page = { limit: request.query.limit ?? 50, offset: request.query.offset ?? 0 };
    const result = await authRepository.listUsers(ctx.db, subtreeRange(ctx.actor.orgPath), page);
    return { items: result.items.map(presentUserRow), total: result.total, ...page };
  });

  fastify.post('/users', {
    schema: {
      operationId: 'createUser',
      tags: ['auth'],
      summary: 'Create a user in your area',
      body: Type.Object({
        username: Type.String(), password: Type.String(), role: StringEnum(ROLES), orgCode: Type.String(),
        departmentId: Type.Optional(Type.Union([Type.Integer(), Type.Null()])), displayName: Type.Optional(Type.String({ maxLength: 100 })), phone: Type.Optional(Type.String({ pattern: '^[0-9+\\- ]{5,20}$' })),
      }, { additionalProperties: false }),
      response: { 201: Type.Object({ id: Type.Integer() }), 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody },
    },
  }, async (request, reply) => {
    const ctx = ctxFor(app, request, 'user.write');
    const id = await addUser(ctx, request.body);
    reply.status(201);
    return { id };
  });

  fastify.get('/api-keys', {
    schema: { tags: ['auth'], summary: 'API keys of your area with their scopes (never the keys themselves)', response: { 200: Type.Object({ items: Type.Array(ApiKeyOut) }), 401: ErrorBody, 403: ErrorBody } },
  }, async (request) => {
    const ctx = ctxFor(app, request, 'apikey.write');
    return { items: (await authRepository.listApiKeys(ctx.db, subtreeRange(ctx.actor.orgPath))).map(presentApiKeyRow) };
  });

  fastify.post('/api-keys', {
    schema: {
      operationId: 'createApiKey',
      tags: ['auth'],
      summary: 'Create an API key for a machine client (shown once); scopes default to ["open311"]',
      body: Type.Object({
        name: Type.String({ minLength: 1, maxLength: 100 }),
        scopes: Type.Optional(Type.Union([Type.Array(Type.String({ maxLength: 40 }), { maxItems: 20 }), Type.String({ maxLength: 400, description: 'comma-separated, like the CLI' })], { description: `what the key may do: ${API_SCOPES.join(', ')}` })),
        orgCode: Type.Optional(Type.String({ maxLength: 40 })),
        org: Type.Optional(Type.String({ maxLength: 40, description: 'the same as orgCode (the CLI\'s --org)' })),
      }, { additionalProperties: false }),
      response: { 201: Type.Object({ id: Type.Integer(), key: Type.String(), scopes: Type.Array(Type.String()), orgCode: Type.String() }), 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody },
    },
  }, async (request, reply) => {
    const ctx = ctxFor(app, request, 'apikey.write');
    const { name, scopes, orgCode, org } = request.body;
    if (orgCode !== undefined && org !== undefined && orgCode !== org) throw new AppError('validation_failed', 'give the org unit once: orgCode or org', { field: 'org' });
    const created = await createApiKey(ctx, { name, orgCode: orgCode ?? org, scopes: typeof scopes === 'string' ? splitList(scopes) : scopes });
    reply.status(201);
    return created;
  });

  fastify.delete('/api-keys/:id', {
    schema: { operationId: 'revokeApiKey', tags: ['auth'], summary: 'Revoke an API key', params: Type.Object({ id: Type.Integer() }), response: { 200: Type.Object({ revoked: Type.Boolean() }), 401: ErrorBody, 403: ErrorBody, 404: ErrorBody } },
  }, async (request) => {
    const ctx = ctxFor(app, request, 'apikey.write');
    const result = await authRepository.revokeApiKey(ctx.db, request.params.id, ctx.now.toISOString(), subtreeRange(ctx.actor.orgPath));
    if (Number(result.numUpdatedRows) === 0) {
      throw new AppError('not_found', `API key ${request.params.id} does not exist, is revoked or is outside your area`);
    }
    return { revoked: true };
  });
};
