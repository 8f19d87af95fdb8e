import type { Actor, Role } from './actor.js';
import { SCOPE_GRANTS } from './scopes.js';

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
  /** Transitions (the workflow then decides which) and attachment uploads on cases in scope. */
  | 'case.write'
  | 'case.read_personal'
  | 'kpi.read'
  /** Dispute and petition records beyond transitions: parties, sessions, agreement, 包案领导, follow-ups. */
  | 'social.write'
  /** Patrol plans, records and compliance in scope; registers (rivers, enterprises) in scope. */
  | 'patrol.read'
  /** Record one's own patrols (with findings, which become cases). */
  | 'patrol.record'
  /** Plans, register entries (targets, rivers, enterprises, risk points). */
  | 'patrol.plan'
  /** Open311 POST requests and servicerequestupdates (API keys only). */
  | 'open311.submit'
  /** Sensor readings and alarms: Open311 POST requests to batch services (API keys only). */
  | 'reading.write'
  /** Devices, readings, alarm rules, air and water quality, indicators of the actor's area (城市运行监测). */
  | 'sensor.read'
  /** The device register, alarm rules, dead letters, indicator values, 重污染天气 warnings. */
  | 'sensor.write';

const ALL_STAFF: Permission[] = ['org.read', 'catalogue.read', 'case.create', 'case.read', 'case.write', 'kpi.read', 'patrol.read', 'patrol.record', 'sensor.read'];

const GRANTS: Record<Role, Permission[]> = {
  admin: [...ALL_STAFF, 'social.write', 'patrol.plan', 'org.write', 'grid.import', 'catalogue.write', 'routing.write', 'user.read', 'user.write', 'apikey.write', 'calendar.write', 'case.read_personal', 'sensor.write'],
  leader: [...ALL_STAFF, 'user.read', 'patrol.plan', 'social.write'],
  dispatcher: [...ALL_STAFF, 'case.read_personal', 'user.read', 'patrol.plan', 'social.write'],
  handler: [...ALL_STAFF, 'case.read_personal'],
  grid_worker: [...ALL_STAFF],
  inspector: [...ALL_STAFF],
  mediator: [...ALL_STAFF, 'case.read_personal', 'social.write'],
  citizen: ['catalogue.read', 'case.create', 'case.read', 'case.write'],
  api: ['org.read', 'catalogue.read', 'case.create', 'case.read', 'case.write'],
};

// Keys act as machines: whatever their role, they submit to Open311 and send readings only with a scope for it.
const KEY_ONLY: Permission[] = ['open311.submit', 'reading.write'];

/**
 * Whether `actor` holds `permission`. The one place where rights are declared: a user's role
 * decides; an API key also needs a scope that grants the permission (auth/scopes.ts).
 */
export function can(actor: Actor, permission: Permission): boolean {
  if (actor.kind !== 'apikey') return GRANTS[actor.role].includes(permission);
  const scoped = (actor.scopes ?? []).some((s) => SCOPE_GRANTS[s].includes(permission));
  return scoped && (KEY_ONLY.includes(permission) || GRANTS[actor.role].includes(permission));
}
