import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestEnv, frozenClock, type TestEnv } from './helpers.js';
import { buildWorld, PASSWORD, PLACES, type World } from './world.js';
import { caseApi, type Who } from './support/case-api.js';
import { addUser, login } from '../src/auth/auth.service.js';
import { SESSION_COOKIE } from '../src/auth/auth.plugin.js';

// The side paths of both flows (退回, 改派, 上报上级, 督办, 作废, 重新办理, 合并), over HTTP, with the
// data each one must leave behind. Thursday 2026-11-26 10:00 in Wuhai, a working day.

const clock = frozenClock('2026-11-26T02:00:00Z');
let env: TestEnv;
let world: World;
let api: ReturnType<typeof caseApi>;
let citizen2: string;
const TODAY = 'from=2026-11-26&to=2026-11-26';

beforeAll(async () => {
  env = await createTestEnv({ clock });
  world = await buildWorld(env);
  api = caseApi(env, world);
  await addUser(env.sys(), { username: 'citizen2', password: PASSWORD, role: 'citizen', orgCode: '150300' });
  // The world's logins used up the login rate limit: open this session through the domain function.
  citizen2 = `${SESSION_COOKIE}=${(await login(env.app, 'citizen2', PASSWORD)).token}`;
});
afterAll(() => env.close());

const HOTLINE = { categoryCode: 'L1203', channel: 'hotline', description: '楼道堆放杂物投诉' };

/** An urban case walked to `dispatched` (to HW), or a hotline case dispatched to CG. */
async function dispatched(flow: 'urban' | 'hotline') {
  if (flow === 'urban') {
    const c = await api.report();
    for (const action of ['verify', 'register']) await api.act('dispatcher', c.id, action);
    return api.act('dispatcher', c.id, 'dispatch', { departmentId: world.departments.HW });
  }
  const c = await api.report('dispatcher', HOTLINE, PLACES.gongyuan);
  return api.act('dispatcher', c.id, 'dispatch', { departmentId: world.departments.CG });
}
const FLOWS = [
  { flow: 'urban' as const, handler: 'handler' as Who, other: 'handler2' as Who, awaiting: 'registered', otherDept: () => world.departments.CG },
  { flow: 'hotline' as const, handler: 'handler2' as Who, other: 'handler' as Who, awaiting: 'accepted', otherDept: () => world.departments.HW },
];

const notifications = (id: number) =>
  env.app.store.db.selectFrom('notifications').select(['org_code', 'role', 'kind', 'message']).where('case_id', '=', id).orderBy('id').execute();

describe.each(FLOWS)('$flow flow: 退回 and 改派', ({ flow, handler, other, awaiting, otherDept }) => {
  it('退回 needs a reason, clears the department and puts the case back before the dispatcher', async () => {
    const c = await dispatched(flow);
    await api.act(handler, c.id, 'accept');
    const noReason = await api.act(handler, c.id, 'return', {}, 400);
    expect(noReason.details.field).toBe('note');
    const back = await api.act(handler, c.id, 'return', { note: '不属于本部门职责' });
    expect(back).toMatchObject({ status: awaiting, departmentId: null, stage: 'dispatch', light: 'green' });
    // The department that returned it no longer sees it; the dispatcher can send it elsewhere.
    expect((await api.get(handler, `/api/v1/cases/${c.id}`)).statusCode).toBe(404);
    const again = await api.act('dispatcher', c.id, 'dispatch', { departmentId: otherDept() });
    expect(again).toMatchObject({ status: 'dispatched', departmentId: otherDept() });
    expect((await api.get(other, `/api/v1/cases/${c.id}`)).statusCode).toBe(200);
    const actions = (await api.timeline(c.id)).map((e) => `${e.action}:${e.to}`);
    expect(actions.slice(-3)).toEqual(['accept:handling', `return:${awaiting}`, 'dispatch:dispatched']);
  });

  it('改派 changes the department and keeps the running deadline', async () => {
    const c = await dispatched(flow);
    await api.act(handler, c.id, 'accept');
    clock.advance(60 * 60_000);
    const moved = await api.act('dispatcher', c.id, 'reassign', { departmentId: otherDept() });
    expect(moved).toMatchObject({ status: 'dispatched', departmentId: otherDept(), stage: 'handle', deadline: c.deadline, stageDeadline: c.stageDeadline });
    expect((await api.get(handler, `/api/v1/cases/${c.id}`)).statusCode).toBe(404);
    expect((await api.case(c.id, other)).allowedActions).toContain('accept');
    clock.set('2026-11-26T02:00:00Z');
  });
});

describe('上报上级 and 督办', () => {
  it('escalates a level at a time, told to the new level, without moving the case', async () => {
    const c = await dispatched('urban');
    const refused = await api.act('dispatcher', c.id, 'escalate', {}, 409);
    expect(refused.error).toBe('transition_not_allowed');
    const once = await api.act('leader', c.id, 'escalate');
    expect(once).toMatchObject({ status: 'dispatched', escalationLevel: 1, version: c.version + 1 });
    const twice = await api.act('leader', c.id, 'escalate');
    expect(twice.escalationLevel).toBe(2);
    expect((await notifications(c.id)).map((n) => [n.kind, n.role, n.org_code])).toEqual([
      ['escalate', 'leader', '150302001'], // street
      ['escalate', 'leader', '150302'], // district
    ]);
  });

  it('督办 flags the case with the leader\'s note and tells those handling it', async () => {
    const c = await dispatched('hotline');
    expect((await api.act('leader', c.id, 'supervise', {}, 400)).details.field).toBe('note');
    const s = await api.act('leader', c.id, 'supervise', { note: '群众反映强烈，今日办结' });
    expect(s).toMatchObject({ supervised: true, superviseNote: '群众反映强烈，今日办结', status: 'dispatched' });
    const [n] = await notifications(c.id);
    expect(n).toMatchObject({ kind: 'supervise', role: 'handler', org_code: PLACES.gongyuan.community });
    expect(n.message).toContain('群众反映强烈，今日办结');
    expect((await api.timeline(c.id)).at(-1)).toMatchObject({ action: 'supervise', note: '群众反映强烈，今日办结' });
  });
});

describe('作废', () => {
  const kpi = async (org: string) => api.kpis(`org=${org}&${TODAY}`);

  it.each([
    ['an urban case after 立案', 'urban' as const, PLACES.heping.community],
    ['a 12345 case (受理 is its 立案)', 'hotline' as const, PLACES.gongyuan.community],
  ])('voids %s with a reason: 作废数 +1, 应结案数 −1', async (_what, flow, org) => {
    const before = await kpi(org);
    const c = await dispatched(flow);
    expect(c.registeredAt).toBe('2026-11-26T02:00:00.000Z');
    const mid = await kpi(org);
    expect(mid.shouldClose).toBe(before.shouldClose + 1);
    expect((await api.act('dispatcher', c.id, 'void', {}, 400)).details.field).toBe('note');
    const v = await api.act('dispatcher', c.id, 'void', { note: '重复录入' });
    expect(v).toMatchObject({ status: 'voided', light: 'none', stage: null, allowedActions: [] });
    const after = await kpi(org);
    expect(after.voided).toBe(before.voided + 1);
    expect(after.shouldClose).toBe(before.shouldClose);
    expect(after.registered).toBe(before.registered + 1);
    expect((await api.act('dispatcher', c.id, 'reopen', { note: 'x' }, 409)).error).toBe('transition_not_allowed');
  });

  it('a report voided before 立案 was never counted as a case to close', async () => {
    const before = await kpi(PLACES.heping.community);
    const c = await api.report();
    await api.act('dispatcher', c.id, 'void', { note: '测试上报' });
    const after = await kpi(PLACES.heping.community);
    expect(after).toMatchObject({ reported: before.reported + 1, registered: before.registered, voided: before.voided, shouldClose: before.shouldClose });
  });
});

describe('重新办理 by the citizen who reported it', () => {
  it('only the reporting citizen sees and reopens a closed case; it runs the loop again', async () => {
    const c = await api.report('citizen', { channel: 'app', reporter: { name: '王五', phone: '13700001234' } });
    expect(c.reporter).toEqual({ name: '王五', phone: '13700001234', idNumber: null });
    for (const [who, action, extra] of [
      ['dispatcher', 'verify', {}], ['dispatcher', 'register', {}], ['dispatcher', 'dispatch', { departmentId: world.departments.HW }],
      ['handler', 'accept', {}], ['handler', 'complete', {}], ['inspector', 'check_pass', {}], ['dispatcher', 'close', {}],
    ] as const) await api.act(who, c.id, action, extra);

    // Another citizen cannot see, list or touch it.
    expect((await api.get(citizen2, `/api/v1/cases/${c.id}`)).statusCode).toBe(404);
    expect((await api.get(citizen2, `/api/v1/cases/${c.id}/timeline`)).statusCode).toBe(404);
    expect((await api.get(citizen2, '/api/v1/cases?limit=500')).json().total).toBe(0);
    const intruder = await api.post(citizen2, `/api/v1/cases/${c.id}/transitions`, { action: 'reopen', version: 8, note: '没修好' });
    expect(intruder.statusCode).toBe(404);
    const mine = (await api.get('citizen', '/api/v1/cases?limit=500')).json();
    expect(mine.items.map((x: { id: number }) => x.id)).toEqual([c.id]);

    clock.set('2026-11-26T07:00:00Z'); // 15:00: 4 工作时 from now is 10:00 next day (2.5 h + 1.5 h)
    const closed = await api.case(c.id, 'citizen');
    expect(closed).toMatchObject({ status: 'closed', allowedActions: ['evaluate', 'reopen'] });
    const reopened = await api.act('citizen', c.id, 'reopen', { note: '垃圾又堆起来了' });
    expect(reopened).toMatchObject({ status: 'reopened', closedAt: null, stage: 'dispatch', light: 'green', deadline: '2026-11-27T02:00:00.000Z' });
    expect((await api.timeline(c.id)).at(-1)).toMatchObject({ action: 'reopen', from: 'closed', to: 'reopened', note: '垃圾又堆起来了' });
    const redo = await api.act('dispatcher', c.id, 'dispatch', { departmentId: world.departments.CG });
    expect(redo).toMatchObject({ status: 'dispatched', departmentId: world.departments.CG });
    clock.set('2026-11-26T02:00:00Z');
  });
});

describe('合并', () => {
  it('refuses to merge into a closed, voided, merged or the same case, and changes nothing', async () => {
    const closed = await api.report();
    for (const [who, action, extra] of [
      ['dispatcher', 'verify', {}], ['dispatcher', 'register', {}], ['dispatcher', 'dispatch', { departmentId: world.departments.HW }],
      ['handler', 'accept', {}], ['handler', 'complete', {}], ['inspector', 'check_pass', {}], ['dispatcher', 'close', {}],
    ] as const) await api.act(who, closed.id, action, extra);
    const voided = await api.report();
    await api.act('dispatcher', voided.id, 'void', { note: '无效' });
    const open = await api.report();
    const mergedChild = await api.report();
    await api.act('dispatcher', mergedChild.id, 'merge', { targetCaseId: open.id });
    const dup = await api.report();

    for (const target of [closed.id, voided.id, mergedChild.id, dup.id]) {
      const res = await api.act('dispatcher', dup.id, 'merge', { targetCaseId: target }, 400);
      expect(res, `target ${target}`).toMatchObject({ error: 'validation_failed', details: { field: 'targetCaseId' } });
    }
    expect((await api.act('dispatcher', dup.id, 'merge', { targetCaseId: 999_999 }, 404)).error).toBe('case_not_found');
    expect(await api.case(dup.id)).toMatchObject({ status: 'reported', version: 1, parentCaseId: null });
    expect(await api.timeline(dup.id)).toHaveLength(1);
    // Into an open original it works, and the original's timeline notes it.
    expect(await api.act('dispatcher', dup.id, 'merge', { targetCaseId: open.id })).toMatchObject({ status: 'merged', parentCaseId: open.id });
    expect((await api.timeline(open.id)).filter((e) => e.action === 'merged_child').map((e) => e.data.childId)).toEqual([mergedChild.id, dup.id]);
  });
});

describe('the timeline is append-only', () => {
  it('the database refuses UPDATE and DELETE on case_events, through the query builder and raw SQL', async () => {
    const c = await api.report();
    await api.act('dispatcher', c.id, 'verify');
    const db = env.app.store.db;
    const before = await api.timeline(c.id);
    await expect(db.updateTable('case_events').set({ note: '改写' }).where('case_id', '=', c.id).execute()).rejects.toThrow(/append-only/);
    await expect(db.deleteFrom('case_events').where('case_id', '=', c.id).execute()).rejects.toThrow(/append-only/);
    await expect(sql`update case_events set action = 'close'`.execute(db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from case_events`.execute(db)).rejects.toThrow(/append-only/);
    // Not even inside a transaction that would otherwise commit.
    await expect(db.transaction().execute(async (trx) => {
      await trx.updateTable('cases').set({ description: '改写' }).where('id', '=', c.id).execute();
      await trx.deleteFrom('case_events').where('case_id', '=', c.id).execute();
    })).rejects.toThrow(/append-only/);
    expect(await api.timeline(c.id)).toEqual(before);
    expect((await api.case(c.id)).description).toBe('路边暴露垃圾一堆');
  });
});
