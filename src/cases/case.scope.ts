import type { Actor } from '../auth/actor.js';
import { subtreeRange } from '../db/dialect.js';
import type { CaseScope } from './case.repository.js';

/**
 * The cases an actor may see and act on: its org subtree; a department's staff only their
 * department's cases; a citizen only the cases they reported.
 */
export function caseScopeFor(actor: Actor): CaseScope {
  return {
    orgPath: actor.orgPath,
    departmentId: actor.role === 'handler' && actor.departmentId != null ? actor.departmentId : null,
    reporterUserId: actor.role === 'citizen' ? actor.id : null,
  };
}

/**
 * The in-memory twin of the scope query (case.repository's `scoped`): whether a case with these
 * scope fields is visible under `scope`. Used where cases arrive without a query (the live feed).
 * API keys never see private cases.
 */
export function inCaseScope(scope: CaseScope, c: { orgPath: string; departmentId: number | null; reporterUserId: number | null; private: boolean }, actor: Pick<Actor, 'kind'>): boolean {
  const range = subtreeRange(scope.orgPath);
  if (c.orgPath < range.from || c.orgPath >= range.to) return false;
  if (scope.departmentId != null && c.departmentId !== scope.departmentId) return false;
  if (scope.reporterUserId != null && c.reporterUserId !== scope.reporterUserId) return false;
  if (actor.kind === 'apikey' && c.private) return false;
  return true;
}
