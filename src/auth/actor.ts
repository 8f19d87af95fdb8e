import type { ApiScope } from './scopes.js';

/** Roles in the platform. The list is closed; permissions per role live in auth/policy.ts. */
export const ROLES = ['admin', 'leader', 'dispatcher', 'handler', 'grid_worker', 'inspector', 'mediator', 'citizen', 'api'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/**
 * Whoever acts: a logged-in user, an API key, the system itself (jobs, demo, CLI), or an anonymous
 * member of the public on the citizen portal (who proves a case is theirs by its number and phone).
 */
export interface Actor {
  kind: 'user' | 'apikey' | 'system' | 'public';
  id: number;
  name: string;
  role: Role;
  /** The org unit the actor belongs to; every read and write is limited to its subtree. */
  orgCode: string;
  /** Materialised path of orgCode ("/150300/150302/"), for subtree scoping in queries. */
  orgPath: string;
  departmentId: number | null;
  /** An API key's scopes (auth/scopes.ts); absent for users and the system. */
  scopes?: readonly ApiScope[];
}

/** The system actor used by jobs, the demo and the CLI: every city ('/' is the root of all paths), admin rights. */
export function systemActor(): Actor {
  return { kind: 'system', id: 0, name: 'system', role: 'admin', orgCode: '', orgPath: '/', departmentId: null };
}

/** An anonymous citizen on the citizen portal: whole city, citizen rights, no account. */
export function publicActor(): Actor {
  return { kind: 'public', id: 0, name: '市民', role: 'citizen', orgCode: '', orgPath: '/', departmentId: null };
}
