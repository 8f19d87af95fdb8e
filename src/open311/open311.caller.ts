import type { FastifyRequest } from 'fastify';
import type { Actor } from '../auth/actor.js';
import { actorFromApiKey } from '../auth/auth.service.js';
import { can, type Permission } from '../auth/policy.js';
import type { AppContext } from '../context.js';
import { AppError } from '../errors.js';
import { field, type FormFields } from './open311.form.js';
import type { Jurisdiction } from './open311.jurisdiction.js';

// Requests whose `api_key` parameter named no valid key; refused after the rate limiter has counted them.
const invalidKeys = new WeakSet<FastifyRequest>();

/**
 * Resolves an `api_key` query or form parameter to the request's actor (a Bearer or X-Api-Key
 * header was already resolved by the auth plugin). An unknown key is remembered, not thrown, so
 * that guessing keys is rate-limited like everything else.
 */
export async function resolveKeyParam(app: AppContext, request: FastifyRequest, fields: FormFields): Promise<void> {
  if (request.actor?.kind === 'apikey') return;
  const key = field(fields, 'api_key');
  if (!key) return;
  const actor = await actorFromApiKey(app, key);
  if (actor) request.actor = actor;
  else invalidKeys.add(request);
}

/** Throws forbidden when the request presented an `api_key` that is unknown or revoked. */
export function refuseInvalidKey(request: FastifyRequest): void {
  if (invalidKeys.has(request)) throw new AppError('forbidden', "Invalid api_key received -- can't proceed.", { field: 'api_key' });
}

/** The rate-limit bucket of a request: its API key, else its IP address. */
export function rateKey(request: FastifyRequest): string {
  return request.actor?.kind === 'apikey' ? `key:${request.actor.id}` : `ip:${request.ip}`;
}

/**
 * The API key a write needs (form field `api_key`, or `Authorization: Bearer`), holding one of
 * `rights` (`open311.submit`; for POST requests also `reading.write`, narrowed per service by
 * requireServiceRight), in the addressed jurisdiction. Throws forbidden (403 on the wire) otherwise.
 */
export async function requireWriter(app: AppContext, request: FastifyRequest, fields: FormFields, jurisdiction: Jurisdiction | null, rights: readonly Permission[] = ['open311.submit']): Promise<Actor> {
  await resolveKeyParam(app, request, fields);
  refuseInvalidKey(request);
  const actor = request.actor;
  if (!actor || actor.kind !== 'apikey') throw new AppError('forbidden', 'api_key is required: send it as a form field or as Authorization: Bearer', { field: 'api_key' });
  if (!rights.some((r) => can(actor, r))) throw scopeRefusal(actor);
  const root = jurisdiction?.path ?? '/';
  if (!root.startsWith(actor.orgPath) && !actor.orgPath.startsWith(root)) {
    throw new AppError('forbidden', `this API key belongs to another jurisdiction than ${jurisdiction?.code}`, { field: 'api_key' });
  }
  return actor;
}

/** Whether the writer may submit to this service: any with `open311`, batch (sensor) services with `readings:write`. Throws forbidden. */
export function requireServiceRight(actor: Actor, service: { type: string }): void {
  if (can(actor, 'open311.submit') || (service.type === 'batch' && can(actor, 'reading.write'))) return;
  throw scopeRefusal(actor);
}

function scopeRefusal(actor: Actor): AppError {
  return new AppError('forbidden', `this API key's scopes (${(actor.scopes ?? []).join(', ') || 'none'}) do not allow this Open311 write`, { field: 'api_key' });
}
