import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor, Role } from '../src/auth/actor.js';
import { caseRepository } from '../src/cases/case.repository.js';
import { caseScopeFor, publicCaseScope, type CaseScope } from '../src/cases/case.scope.js';
import { open311Repository } from '../src/open311/open311.repository.js';
import { createTestEnv, frozenClock, type TestEnv } from './helpers.js';
import { buildWorld, PLACES } from './world.js';

// The one data-scope rule (cases/case.scope.ts), checked on the store through both repositories
// that read cases. Rows are given hand-made materialised paths around the edges of 乌达区's range:
//   '/150300/150302/'  ≤ path < '/150300/1503020'   is inside 乌达区 (150302), nothing else is.
const DISTRICT = '/150300/150302/';
const PATHS = {
  self: DISTRICT,                                         // the district itself: in
  deep: '/150300/150302/150302001/150302001002/',         // a community below it: in
  end: '/150300/1503020',                                 // exactly the range's end: out (a `<=` would take it)
  sibling: '/150300/1503021/',                            // a district whose code starts alike: out
  parent: '/150300/',                                     // the city above it: out
  other: '/150300/150303/',                               // the next district: out
} as const;
type Name = keyof typeof PATHS;

let env: TestEnv;
const ids = {} as Record<Name | 'private' | 'dept' | 'mine', number>;
let citizenId = 0;

beforeAll(async () => {
  env = await createTestEnv({ clock: frozenClock('2026-11-26T02:00:00Z') });
  const world = await buildWorld(env);
  const file = async (extra: Record<string, unknown> = {}, cookie = world.cookies.admin) => {
    const res = await env.http.inject({ method: 'POST', url: '/api/v1/cases', headers: { cookie }, payload: { categoryCode: '06010', lon: PLACES.heping.lon, lat: PLACES.heping.lat, description: '边界', channel: 'patrol', ...extra } });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id as number;
  };
  for (const name of Object.keys(PATHS) as Name[]) ids[name] = await file();
  ids.private = await file({ private: true });
  ids.dept = await file();
  ids.mine = await file({}, world.cookies.citizen);
  citizenId = (await env.app.store.db.selectFrom('users').select('id').where('username', '=', 'citizen').executeTakeFirstOrThrow()).id;
  const db = env.app.store.db;
  for (const name of Object.keys(PATHS) as Name[]) await db.updateTable('cases').set({ org_path: PATHS[name], department_id: null }).where('id', '=', ids[name]).execute();
  // The other three sit inside the district, each with one property the scope can test.
  await db.updateTable('cases').set({ org_path: PATHS.deep, department_id: null }).where('id', 'in', [ids.private, ids.mine]).execute();
  await db.updateTable('cases').set({ org_path: PATHS.deep, department_id: world.departments.HW }).where('id', '=', ids.dept).execute();
});
afterAll(() => env.close());

/** The ids each repository finds under a scope; both must agree. */
async function visible(scope: CaseScope): Promise<number[]> {
  const page = { limit: 500, offset: 0 };
  const cases = (await caseRepository.list(env.app.store.db, env.app.dialect, scope, {}, page)).items.map((c) => c.id).sort((a, b) => a - b);
  const open311 = (await open311Repository.listRequests(env.app.store.db, env.app.dialect, scope, {}, page)).items.map((c) => Number(c.id)).sort((a, b) => a - b);
  expect(open311).toEqual(cases);
  return cases;
}
const sorted = (...xs: number[]) => [...xs].sort((a, b) => a - b);

describe('the case scope', () => {
  it("takes the subtree's half-open path range: the unit and below, not the range's end, a look-alike code or a parent", async () => {
    const inDistrict = await visible({ orgPath: DISTRICT, includePrivate: true });
    expect(inDistrict).toEqual(sorted(ids.self, ids.deep, ids.private, ids.dept, ids.mine));
    for (const name of ['end', 'sibling', 'parent', 'other'] as const) expect(inDistrict).not.toContain(ids[name]);
    expect(await caseRepository.findInScope(env.app.store.db, ids.end, { orgPath: DISTRICT, includePrivate: true })).toBeUndefined();
    expect((await caseRepository.findInScope(env.app.store.db, ids.self, { orgPath: DISTRICT, includePrivate: true }))?.id).toBe(ids.self);
  });

  it('leaves out private cases unless the scope includes them', async () => {
    const pub = await visible(publicCaseScope(DISTRICT));
    expect(pub).toEqual(sorted(ids.self, ids.deep, ids.dept, ids.mine));
  });

  it("narrows to a department's or a reporter's cases", async () => {
    const hw = (await env.app.store.db.selectFrom('cases').select('department_id').where('id', '=', ids.dept).executeTakeFirstOrThrow()).department_id;
    expect(await visible({ orgPath: DISTRICT, includePrivate: true, departmentId: hw })).toEqual([ids.dept]);
    expect(await visible({ orgPath: DISTRICT, includePrivate: true, reporterUserId: citizenId })).toEqual([ids.mine]);
  });
});

describe('caseScopeFor', () => {
  const actor = (kind: Actor['kind'], role: Role, departmentId: number | null = 7): Actor => ({ kind, id: 42, name: 'x', role, orgCode: '150302', orgPath: DISTRICT, departmentId });

  it('gives a handler their department, a citizen their own reports, everyone else the whole subtree', () => {
    expect(caseScopeFor(actor('user', 'handler'))).toEqual({ orgPath: DISTRICT, departmentId: 7, reporterUserId: null, includePrivate: true });
    expect(caseScopeFor(actor('user', 'handler', null))).toMatchObject({ departmentId: null });
    expect(caseScopeFor(actor('user', 'citizen'))).toEqual({ orgPath: DISTRICT, departmentId: null, reporterUserId: 42, includePrivate: true });
    for (const role of ['admin', 'leader', 'dispatcher', 'grid_worker', 'inspector', 'mediator'] as const) {
      expect(caseScopeFor(actor('user', role)), role).toEqual({ orgPath: DISTRICT, departmentId: null, reporterUserId: null, includePrivate: true });
    }
  });

  it('never lets an API key see private cases, whatever its role', () => {
    for (const role of ['api', 'dispatcher', 'admin'] as const) expect(caseScopeFor(actor('apikey', role)).includePrivate, role).toBe(false);
    expect(caseScopeFor(actor('apikey', 'handler'))).toMatchObject({ departmentId: 7, includePrivate: false });
  });
});
