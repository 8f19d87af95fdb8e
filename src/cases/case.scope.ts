import type { Actor } from '../auth/actor.js';
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
