import type { SelectQueryBuilder } from 'kysely';
import type { Actor } from '../auth/actor.js';
import { subtreeRange } from '../db/dialect.js';
import type { Database } from '../db/tables.js';

/**
 * Which cases a reader may see: an org subtree, optionally one department's, optionally only one
 * reporter's, and whether cases marked private count.
 */
export interface CaseScope {
  orgPath: string;
  departmentId?: number | null;
  reporterUserId?: number | null;
  includePrivate: boolean;
}

/**
 * The cases an actor may see and act on: its org subtree; a handler only their department's cases;
 * a citizen only the cases they reported; an API key never a private case, whatever its role.
 */
export function caseScopeFor(actor: Actor): CaseScope {
  return {
    orgPath: actor.orgPath,
    departmentId: actor.role === 'handler' && actor.departmentId != null ? actor.departmentId : null,
    reporterUserId: actor.role === 'citizen' ? actor.id : null,
    includePrivate: actor.kind !== 'apikey',
  };
}

/** What the public (anonymous Open311 readers) sees under `orgPath`: every case not marked private. */
export function publicCaseScope(orgPath: string): CaseScope {
  return { orgPath, includePrivate: false };
}

// Any select that starts from cases, whatever it joins or selects: the scope only adds WHERE clauses.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the joined tables and selection are irrelevant to a WHERE
type CaseQuery = SelectQueryBuilder<Database, any, any>;

/**
 * Applies a case scope in the query itself: the one place where the data-scope rule lives. Every
 * query that reads cases on behalf of an actor goes through it. The subtree is the half-open range
 * [path, path with its last '/' turned into '0') on the materialised path.
 */
export function whereCaseInScope<Q extends CaseQuery>(q: Q, scope: CaseScope): Q {
  const range = subtreeRange(scope.orgPath);
  let out = q.where('cases.org_path', '>=', range.from).where('cases.org_path', '<', range.to);
  if (!scope.includePrivate) out = out.where('cases.private', '=', 0);
  if (scope.departmentId != null) out = out.where('cases.department_id', '=', scope.departmentId);
  if (scope.reporterUserId != null) out = out.where('cases.reporter_user_id', '=', scope.reporterUserId);
  return out as Q;
}

/**
 * The in-memory twin of whereCaseInScope: whether a case with these scope fields is visible under
 * `scope`. Used where cases arrive without a query (the live feed).
 */
export function inCaseScope(scope: CaseScope, c: { orgPath: string; departmentId: number | null; reporterUserId: number | null; private: boolean }): boolean {
  const range = subtreeRange(scope.orgPath);
  if (c.orgPath < range.from || c.orgPath >= range.to) return false;
  if (scope.departmentId != null && c.departmentId !== scope.departmentId) return false;
  if (scope.reporterUserId != null && c.reporterUserId !== scope.reporterUserId) return false;
  if (!scope.includePrivate && c.private) return false;
  return true;
}
