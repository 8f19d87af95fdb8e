import type { Actor } from './actor.js';
import type { OrgUnitRow } from '../org/org.repository.js';
import { maskPhone } from '../privacy/mask.js';
import { parseScopes } from './scopes.js';

/** The `/me` view of the current actor. */
export function presentUser(actor: Actor, org: OrgUnitRow | undefined) {
  return {
    id: actor.id,
    username: actor.name,
    kind: actor.kind,
    roles: [actor.role],
    orgUnit: { code: actor.orgCode, name: org?.name ?? actor.orgCode, level: org?.level ?? 'city' },
    departmentId: actor.departmentId,
  };
}

/** A user in a staff list: the phone number is masked. */
export function presentUserRow(row: { id: number; username: string; display_name: string; role: string; org_code: string; department_id: number | null; phone: string | null; disabled: number }) {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    role: row.role,
    orgCode: row.org_code,
    departmentId: row.department_id,
    phone: maskPhone(row.phone),
    disabled: row.disabled === 1,
  };
}

/** An API key in a list: its prefix identifies it; the key itself is never stored. */
export function presentApiKeyRow(row: { id: number; name: string; prefix: string; role: string; org_code: string; scopes: string; created_at: string; revoked_at: string | null }) {
  return { id: row.id, name: row.name, prefix: row.prefix, role: row.role, orgCode: row.org_code, scopes: parseScopes(row.scopes), createdAt: row.created_at, revokedAt: row.revoked_at };
}
