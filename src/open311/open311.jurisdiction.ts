import type { Actor } from '../auth/actor.js';
import { can } from '../auth/policy.js';
import type { Db } from '../db/database.js';
import { AppError } from '../errors.js';
import { caseScopeFor, publicCaseScope } from '../cases/case.scope.js';
import { open311Repository, type Open311Scope } from './open311.repository.js';

/** A city served by this endpoint: a top-level org unit. `jurisdiction_id` is its code. */
export interface Jurisdiction {
  code: string;
  name: string;
  path: string;
}

/**
 * The jurisdiction a call addresses, by code or alias. With one top-level unit `jurisdiction_id`
 * is optional (but must name it when given); with several it is required. Throws
 * validation_failed (missing), not_found (unknown). Null only while the store has no org units.
 */
export async function resolveJurisdiction(db: Db, jurisdictionId: string | undefined, aliases: Record<string, string> = {}): Promise<Jurisdiction | null> {
  const units = await open311Repository.topLevelUnits(db);
  if (jurisdictionId !== undefined) {
    const code = aliases[jurisdictionId] ?? jurisdictionId;
    const unit = units.find((u) => u.code === code);
    if (!unit) throw new AppError('not_found', `jurisdiction_id "${jurisdictionId}" is not served here; known: ${units.map((u) => u.code).join(', ') || 'none'}`, { field: 'jurisdiction_id' });
    return unit;
  }
  if (units.length > 1) {
    throw new AppError('validation_failed', `jurisdiction_id is required: this endpoint serves ${units.map((u) => `${u.code} (${u.name})`).join(', ')}`, { field: 'jurisdiction_id' });
  }
  return units[0] ?? null;
}

/**
 * What a reader sees in a jurisdiction. Everybody sees the public view: the whole jurisdiction,
 * never a case marked private. Staff who may see personal data see their own case scope inside the
 * jurisdiction instead, private cases included. No API key may see personal data (auth/scopes.ts). Throws
 * forbidden when such a caller belongs to another jurisdiction.
 */
export function readScope(actor: Actor | null, jurisdiction: Jurisdiction | null): Open311Scope {
  const root = jurisdiction?.path ?? '/';
  if (!actor || !can(actor, 'case.read_personal')) return publicCaseScope(root);
  const own = caseScopeFor(actor);
  if (own.orgPath.startsWith(root)) return own;
  if (root.startsWith(own.orgPath)) return { ...own, orgPath: root };
  throw new AppError('forbidden', `your account belongs to another jurisdiction than ${jurisdiction?.code ?? 'this one'}`, { field: 'jurisdiction_id' });
}
