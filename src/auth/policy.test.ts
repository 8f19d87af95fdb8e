import { describe, expect, it } from 'vitest';
import type { Actor, Role } from './actor.js';
import { can, type Permission } from './policy.js';

// The role × permission matrix, written out by hand from the project's role descriptions
// (docs/ARCHITECTURE.md): every staff role reads the org tree, the catalogue, cases and KPIs and
// may report a case; only some see personal data; only admin changes configuration.
const ALL: Permission[] = ['org.read', 'org.write', 'grid.import', 'catalogue.read', 'catalogue.write', 'routing.write', 'user.read', 'user.write', 'apikey.write', 'calendar.write', 'case.create', 'case.read', 'case.read_personal', 'kpi.read'];
const EXPECTED: Record<Role, Permission[]> = {
  admin: ALL,
  leader: ['org.read', 'catalogue.read', 'case.create', 'case.read', 'kpi.read', 'user.read'],
  dispatcher: ['org.read', 'catalogue.read', 'case.create', 'case.read', 'kpi.read', 'case.read_personal', 'user.read'],
  handler: ['org.read', 'catalogue.read', 'case.create', 'case.read', 'kpi.read', 'case.read_personal'],
  grid_worker: ['org.read', 'catalogue.read', 'case.create', 'case.read', 'kpi.read'],
  inspector: ['org.read', 'catalogue.read', 'case.create', 'case.read', 'kpi.read'],
  mediator: ['org.read', 'catalogue.read', 'case.create', 'case.read', 'kpi.read', 'case.read_personal'],
  citizen: ['catalogue.read', 'case.create', 'case.read'],
  api: ['org.read', 'catalogue.read', 'case.create', 'case.read'],
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
      for (const p of ['case.read_personal', 'org.write', 'user.write', 'apikey.write', 'calendar.write', 'kpi.read'] as const) expect(can(actor(role), p), `${role} ${p}`).toBe(false);
    }
  });
});
