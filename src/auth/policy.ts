import type { Actor, Role } from './actor.js';

/** Everything an actor may be allowed to do. Data scope (the org subtree) is applied separately, in queries. */
export type Permission =
  | 'org.read'
  | 'org.write'
  | 'grid.import'
  | 'catalogue.read'
  | 'catalogue.write'
  | 'routing.write'
  | 'user.read'
  | 'user.write'
  | 'apikey.write'
  | 'calendar.write'
  | 'case.create'
  | 'case.read'
  | 'case.read_personal'
  | 'kpi.read';

const ALL_STAFF: Permission[] = ['org.read', 'catalogue.read', 'case.create', 'case.read', 'kpi.read'];

const GRANTS: Record<Role, Permission[]> = {
  admin: [...ALL_STAFF, 'org.write', 'grid.import', 'catalogue.write', 'routing.write', 'user.read', 'user.write', 'apikey.write', 'calendar.write', 'case.read_personal'],
  leader: [...ALL_STAFF, 'user.read'],
  dispatcher: [...ALL_STAFF, 'case.read_personal', 'user.read'],
  handler: [...ALL_STAFF, 'case.read_personal'],
  grid_worker: [...ALL_STAFF],
  inspector: [...ALL_STAFF],
  mediator: [...ALL_STAFF, 'case.read_personal'],
  citizen: ['catalogue.read', 'case.create', 'case.read'],
  api: ['org.read', 'catalogue.read', 'case.create', 'case.read'],
};

/** Whether `actor` holds `permission`. The one place where role rights are declared. */
export function can(actor: Actor, permission: Permission): boolean {
  return GRANTS[actor.role].includes(permission);
}
