import { describe, expect, it } from 'vitest';
import type { Actor, Role } from '../auth/actor.js';
import { caseScopeFor } from './case.scope.js';

const actor = (role: Role, extra: Partial<Actor> = {}): Actor => ({ kind: 'user', id: 42, name: 'x', role, orgCode: '150302', orgPath: '/150300/150302/', departmentId: 7, ...extra });

// Who sees which cases: the org subtree for everyone; a handler only their department's; a
// citizen only the cases they reported.
describe('caseScopeFor', () => {
  it('limits a handler to their department, in their subtree', () => {
    expect(caseScopeFor(actor('handler'))).toMatchObject({ orgPath: '/150300/150302/', departmentId: 7, reporterUserId: null });
  });

  it('does not limit a handler without a department to a department', () => {
    expect(caseScopeFor(actor('handler', { departmentId: null }))).toMatchObject({ departmentId: null, reporterUserId: null });
  });

  it('limits a citizen to the cases they reported', () => {
    expect(caseScopeFor(actor('citizen'))).toMatchObject({ orgPath: '/150300/150302/', departmentId: null, reporterUserId: 42 });
  });

  it('gives other staff their whole subtree, whatever department they carry', () => {
    for (const role of ['admin', 'leader', 'dispatcher', 'grid_worker', 'inspector', 'mediator'] as const) {
      expect(caseScopeFor(actor(role)), role).toMatchObject({ orgPath: '/150300/150302/', departmentId: null, reporterUserId: null });
    }
  });
});
