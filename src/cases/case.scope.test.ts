import { describe, expect, it } from 'vitest';
import type { Actor, Role } from '../auth/actor.js';
import { DummyDriver, Kysely, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler } from 'kysely';
import type { Database } from '../db/tables.js';
import { caseScopeFor, inCaseScope, publicCaseScope, whereCaseInScope, type CaseScope } from './case.scope.js';

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

describe('API keys and the public', () => {
  it('never lets an API key see private cases, whatever its role; users do', () => {
    expect(caseScopeFor(actor('dispatcher', { kind: 'apikey' }))).toMatchObject({ includePrivate: false });
    expect(caseScopeFor(actor('api', { kind: 'apikey' }))).toMatchObject({ includePrivate: false });
    expect(caseScopeFor(actor('dispatcher'))).toMatchObject({ includePrivate: true });
  });

  it('shows the public only cases not marked private, under the given subtree', () => {
    expect(publicCaseScope('/150300/')).toEqual({ orgPath: '/150300/', includePrivate: false });
  });
});

// A query compiler without a database: the scope's WHERE clauses as SQL text and parameters.
const compiler = new Kysely<Database>({
  dialect: {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new SqliteIntrospector(db),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  },
});
const scoped = (scope: CaseScope) => whereCaseInScope(compiler.selectFrom('cases').select('cases.id'), scope).compile();

describe('whereCaseInScope', () => {
  it('limits to the half-open subtree range and leaves private cases in for staff', () => {
    const q = scoped({ orgPath: '/150300/150302/', includePrivate: true });
    expect(q.sql).toBe('select "cases"."id" from "cases" where "cases"."org_path" >= ? and "cases"."org_path" < ?');
    expect(q.parameters).toEqual(['/150300/150302/', '/150300/1503020']);
  });

  it('adds private, department and reporter conditions only when the scope asks for them', () => {
    const q = scoped({ orgPath: '/150300/', includePrivate: false, departmentId: 7, reporterUserId: 42 });
    expect(q.sql).toBe('select "cases"."id" from "cases" where "cases"."org_path" >= ? and "cases"."org_path" < ? and "cases"."private" = ? and "cases"."department_id" = ? and "cases"."reporter_user_id" = ?');
    expect(q.parameters).toEqual(['/150300/', '/1503000', 0, 7, 42]);
  });

  it('treats a null department or reporter as no limit', () => {
    const q = scoped({ orgPath: '/150300/', includePrivate: true, departmentId: null, reporterUserId: null });
    expect(q.parameters).toEqual(['/150300/', '/1503000']);
  });
});

describe('inCaseScope', () => {
  const visible = { orgPath: '/150300/150302/150302001/', departmentId: 7, reporterUserId: 42, private: false };
  const staff: CaseScope = { orgPath: '/150300/150302/', includePrivate: true };

  it('admits a case inside the subtree, including the subtree root itself', () => {
    expect(inCaseScope(staff, visible)).toBe(true);
    expect(inCaseScope(staff, { ...visible, orgPath: '/150300/150302/' })).toBe(true);
  });

  it('refuses cases outside the subtree on either side, including a sibling whose code starts the same', () => {
    expect(inCaseScope(staff, { ...visible, orgPath: '/150300/' })).toBe(false);
    expect(inCaseScope(staff, { ...visible, orgPath: '/150300/150303/' })).toBe(false);
    expect(inCaseScope(staff, { ...visible, orgPath: '/150300/1503020/' })).toBe(false);
    // The range's end itself ('/150300/1503020') is outside: the range is half-open.
    expect(inCaseScope(staff, { ...visible, orgPath: '/150300/1503020' })).toBe(false);
    expect(inCaseScope(staff, { ...visible, orgPath: '/150300/150301/' })).toBe(false);
  });

  it('applies the department, reporter and private limits', () => {
    expect(inCaseScope({ ...staff, departmentId: 7 }, visible)).toBe(true);
    expect(inCaseScope({ ...staff, departmentId: 8 }, visible)).toBe(false);
    expect(inCaseScope({ ...staff, departmentId: null }, { ...visible, departmentId: null })).toBe(true);
    expect(inCaseScope({ ...staff, reporterUserId: 42 }, visible)).toBe(true);
    expect(inCaseScope({ ...staff, reporterUserId: 43 }, visible)).toBe(false);
    expect(inCaseScope({ ...staff, reporterUserId: null }, { ...visible, reporterUserId: null })).toBe(true);
    expect(inCaseScope({ ...staff, includePrivate: false }, { ...visible, private: true })).toBe(false);
    expect(inCaseScope({ ...staff, includePrivate: false }, visible)).toBe(true);
    expect(inCaseScope({ ...staff, includePrivate: true }, { ...visible, private: true })).toBe(true);
  });
});
