import type { AppContext, Ctx } from '../context.js';
import { AppError } from '../errors.js';
import { catalogueRepository } from '../catalogue/catalogue.repository.js';
import { orgRepository } from '../org/org.repository.js';
import { getOrgUnitInScope } from '../org/org.service.js';
import type { Actor } from './actor.js';
import { isRole, type Role } from './actor.js';
import { authRepository } from './auth.repository.js';
import { API_SCOPES, DEFAULT_API_SCOPES, formatScopes, isApiScope, parseScopes, type ApiScope } from './scopes.js';
import { DUMMY_HASH_PROMISE, hashPassword, newToken, tokenHash, verifyPassword } from './secrets.js';

const USERNAME = /^[A-Za-z0-9_.-]{3,64}$/;

/**
 * Creates a user. Validates username, password length, role, org unit (inside the actor's scope)
 * and department. Throws validation_failed, org_unit_not_found, department_not_found, already_exists.
 */
export async function addUser(ctx: Ctx, input: { username: string; password: string; role: string; orgCode: string; departmentId?: number | null; displayName?: string; phone?: string | null }): Promise<number> {
  if (!USERNAME.test(input.username)) throw new AppError('validation_failed', 'username must be 3–64 letters, digits, "_", "." or "-"', { field: 'username' });
  if (input.password.length < 8 || input.password.length > 256) throw new AppError('validation_failed', 'password must be 8–256 characters', { field: 'password' });
  if (!isRole(input.role)) throw new AppError('validation_failed', `role "${input.role}" is not one of the platform's roles`, { field: 'role' });
  const org = await getOrgUnitInScope(ctx, input.orgCode, 'org');
  if (input.departmentId != null) {
    if (!(await catalogueRepository.departmentExists(ctx.db, input.departmentId))) throw new AppError('department_not_found', `department ${input.departmentId} does not exist`, { field: 'department' });
  }
  return authRepository.insertUser(ctx.db, {
    username: input.username,
    password_hash: await hashPassword(input.password),
    display_name: input.displayName ?? input.username,
    role: input.role,
    org_code: org.code,
    department_id: input.departmentId ?? null,
    phone: input.phone ?? null,
    created_at: ctx.now.toISOString(),
  });
}

/**
 * Checks a username and password and opens a session. Throws invalid_credentials with the same
 * message and similar timing whether the user is unknown, disabled or the password is wrong.
 */
export async function login(app: AppContext, username: string, password: string): Promise<{ token: string; expiresAt: Date }> {
  const db = app.store.db;
  const user = await authRepository.findUserByUsername(db, username);
  const ok = user ? await verifyPassword(user.password_hash, password) : (await verifyPassword(await DUMMY_HASH_PROMISE, password), false);
  if (!user || !ok || user.disabled) throw new AppError('invalid_credentials', 'username or password is wrong');
  const now = app.clock();
  const token = newToken();
  const expiresAt = new Date(now.getTime() + app.config.sessionTtlHours * 3600_000);
  await authRepository.deleteExpiredSessions(db, now.toISOString());
  await authRepository.insertSession(db, { token_hash: tokenHash(token), user_id: user.id, created_at: now.toISOString(), expires_at: expiresAt.toISOString() });
  return { token, expiresAt };
}

export async function logout(app: AppContext, token: string): Promise<void> {
  await authRepository.deleteSession(app.store.db, tokenHash(token));
}

/** The actor behind a session token, or null if the session is unknown, expired or the user disabled. */
export async function actorFromSession(app: AppContext, token: string): Promise<Actor | null> {
  const hash = tokenHash(token);
  // Cached per session (cache/reference-cache.ts): any write to sessions, users or org units drops it.
  const found = await app.store.cache.get('auth', `session:${hash}`, () => sessionActor(app, hash));
  if (!found || found.expiresAt <= app.clock().toISOString()) return null;
  return found.actor;
}

async function sessionActor(app: AppContext, hash: string): Promise<{ actor: Actor; expiresAt: string } | null> {
  const db = app.store.db;
  const session = await authRepository.findSession(db, hash);
  if (!session) return null;
  const user = await authRepository.findUserById(db, session.user_id);
  if (!user || user.disabled || !isRole(user.role)) return null;
  const org = await orgRepository.findByCode(db, user.org_code);
  if (!org) return null;
  return { actor: { kind: 'user', id: user.id, name: user.username, role: user.role, orgCode: org.code, orgPath: org.path, departmentId: user.department_id }, expiresAt: session.expires_at };
}

/** The actor behind an API key, or null if the key is unknown or revoked. */
export function actorFromApiKey(app: AppContext, key: string): Promise<Actor | null> {
  const hash = tokenHash(key);
  return app.store.cache.get('auth', `apikey:${hash}`, () => apiKeyActor(app, hash));
}

async function apiKeyActor(app: AppContext, hash: string): Promise<Actor | null> {
  const db = app.store.db;
  const row = await authRepository.findApiKey(db, hash);
  if (!row || !isRole(row.role)) return null;
  const org = await orgRepository.findByCode(db, row.org_code);
  if (!org) return null;
  return { kind: 'apikey', id: row.id, name: row.name, role: row.role, orgCode: org.code, orgPath: org.path, departmentId: null, scopes: parseScopes(row.scopes) };
}

/**
 * Creates an API key for an org unit (default: the actor's) with scopes (default: the narrowest
 * useful set, `open311`). The key is returned once; only its SHA-256 is stored.
 * Throws validation_failed (name, unknown scope), org_unit_not_found.
 */
export async function createApiKey(ctx: Ctx, input: { name: string; orgCode?: string; role?: Role; scopes?: readonly string[] }): Promise<{ id: number; key: string; scopes: ApiScope[]; orgCode: string }> {
  const name = input.name.trim();
  if (!name || name.length > 100) throw new AppError('validation_failed', 'name must be 1–100 characters', { field: 'name' });
  const scopes = checkScopes(input.scopes ?? DEFAULT_API_SCOPES);
  const orgCode = input.orgCode ?? ctx.actor.orgCode;
  const org = await getOrgUnitInScope(ctx, orgCode, 'org');
  const key = `glk_${newToken(24)}`;
  const id = await authRepository.insertApiKey(ctx.db, { name, key_hash: tokenHash(key), prefix: key.slice(0, 8), role: input.role ?? 'api', org_code: org.code, scopes: formatScopes(scopes), created_at: ctx.now.toISOString() });
  return { id, key, scopes, orgCode: org.code };
}

/** Validates a requested scope list; answers it in catalogue order, without repeats. Throws validation_failed for an empty list or an unknown name. */
function checkScopes(requested: readonly string[]): ApiScope[] {
  const unknown = requested.filter((s) => !isApiScope(s));
  if (unknown.length) throw new AppError('validation_failed', `unknown scope ${unknown.map((s) => `"${s}"`).join(', ')}; known: ${API_SCOPES.join(', ')}`, { field: 'scopes' });
  if (!requested.length) throw new AppError('validation_failed', `a key needs at least one scope: ${API_SCOPES.join(', ')}`, { field: 'scopes' });
  return API_SCOPES.filter((s) => requested.includes(s));
}
