import { describe, expect, it } from 'vitest';
import type { Actor, Role } from './actor.js';
import { can, type Permission } from './policy.js';
import type { ApiScope } from './scopes.js';

// The role × permission matrix, written out by hand from the project's role descriptions
// (docs/ARCHITECTURE.md): every staff role reads the org tree, the catalogue, cases and KPIs and
// may report a case; only some see personal data; only admin changes configuration.
// Open311 writes and sensor readings are machine rights: only API keys with a scope for them hold them.
const ALL: Permission[] = ['org.read', 'org.write', 'grid.import', 'catalogue.read', 'catalogue.write', 'routing.write', 'user.read', 'user.write', 'apikey.write', 'calendar.write', 'case.create', 'case.read', 'case.write', 'case.read_personal', 'kpi.read', 'open311.submit', 'reading.write', 'sensor.read', 'sensor.write'];
const STAFF: Permission[] = ['org.read', 'catalogue.read', 'case.create', 'case.read', 'case.write', 'kpi.read', 'sensor.read'];
const EXPECTED: Record<Role, Permission[]> = {
  admin: ALL.filter((p) => p !== 'open311.submit' && p !== 'reading.write'),
  leader: [...STAFF, 'user.read'],
  dispatcher: [...STAFF, 'case.read_personal', 'user.read'],
  handler: [...STAFF, 'case.read_personal'],
  grid_worker: STAFF,
  inspector: STAFF,
  mediator: [...STAFF, 'case.read_personal'],
  citizen: ['catalogue.read', 'case.create', 'case.read', 'case.write'],
  api: ['org.read', 'catalogue.read', 'case.create', 'case.read', 'case.write'],
};

const actor = (role: Role): Actor => ({ kind: 'user', id: 7, name: 'x', role, orgCode: '150300', orgPath: '/150300/', departmentId: null });

describe('can(actor, permission)', () => {
  for (const [role, granted] of Object.entries(EXPECTED) as [Role, Permission[]][]) {
    it(`${role}: exactly ${granted.length} of the ${ALL.length} permissions`, () => {
      expect(ALL.filter((p) => can(actor(role), p))).toEqual(ALL.filter((p) => granted.includes(p)));
    });
  }

  it('never lets a citizen or an API key see personal data or change configuration', () => {
    for (const role of ['citizen', 'api'] as const) {
      for (const p of ['case.read_personal', 'org.write', 'user.write', 'apikey.write', 'calendar.write', 'kpi.read', 'sensor.read', 'sensor.write'] as const) expect(can(actor(role), p), `${role} ${p}`).toBe(false);
    }
  });
});

// What each API-key scope grants, written out by hand from the README's scope table.
const BY_SCOPE: Record<ApiScope, Permission[]> = {
  open311: ['catalogue.read', 'open311.submit'],
  'cases:read': ['catalogue.read', 'case.read'],
  'cases:write': ['catalogue.read', 'case.create', 'case.write'],
  'readings:write': ['catalogue.read', 'reading.write'],
  'org:read': ['catalogue.read', 'org.read'],
};
const key = (role: Role, scopes: ApiScope[]): Actor => ({ kind: 'apikey', id: 9, name: 'k', role, orgCode: '150300', orgPath: '/150300/', departmentId: null, scopes });

describe('can(API key, permission)', () => {
  for (const [scope, granted] of Object.entries(BY_SCOPE) as [ApiScope, Permission[]][]) {
    it(`a key with only ${scope} holds exactly ${granted.join(', ')}`, () => {
      expect(ALL.filter((p) => can(key('api', [scope]), p))).toEqual(ALL.filter((p) => granted.includes(p)));
    });
  }

  it('holds nothing without scopes (a stored key whose scopes are unknown to this version)', () => {
    expect(ALL.filter((p) => can(key('api', []), p))).toEqual([]);
    expect(ALL.filter((p) => can({ ...key('admin', []), scopes: undefined }, p))).toEqual([]);
  });

  it("never gets more than its role, whatever its scopes; not even an admin-role key sees personal data", () => {
    const every: ApiScope[] = ['open311', 'cases:read', 'cases:write', 'readings:write', 'org:read'];
    expect(ALL.filter((p) => can(key('api', every), p))).toEqual(['org.read', 'catalogue.read', 'case.create', 'case.read', 'case.write', 'open311.submit', 'reading.write']);
    for (const p of ['case.read_personal', 'org.write', 'user.write', 'apikey.write', 'kpi.read'] as const) expect(can(key('admin', every), p), p).toBe(false);
  });

  it('a user never holds the machine rights, whatever the role', () => {
    for (const role of Object.keys(EXPECTED) as Role[]) expect(can(actor(role), 'open311.submit') || can(actor(role), 'reading.write'), role).toBe(false);
  });
});
