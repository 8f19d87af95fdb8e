import { describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../auth/actor.js';
import { hazardFlow } from './hazard.flow.js';
import { hotlineFlow } from './hotline.flow.js';
import { urbanFlow } from './urban.flow.js';
import { allowedActions } from './workflow.engine.js';
import type { WorkflowDefinition } from './workflow.types.js';

/**
 * Who may do what in each state of the 数字城管 flow, written out by hand from the process
 * (受理员 = dispatcher verifies, registers, dispatches, closes; 监督员 = grid_worker verifies on site
 * and checks; the department = handler accepts, completes, returns, asks for more time; 领导 =
 * leader approves extensions, suspends, escalates, supervises, voids; 调解员 = mediator may take a
 * case over as a dispute; the reporter = citizen rates and reopens a closed case), in the flow's
 * definition order. Roles not named in a state may do nothing there; admin may do what anyone may.
 */
const SIDE = {
  leaderLive: ['suspend', 'escalate', 'supervise', 'void', 'transfer'],
  dispatcherLive: ['suspend', 'void', 'transfer'],
};
const MATRIX: Record<string, Partial<Record<Role, string[]>>> = {
  reported: {
    dispatcher: ['verify', 'reject', 'suspend', 'merge', 'void', 'transfer'],
    grid_worker: ['verify'],
    leader: SIDE.leaderLive,
    mediator: ['transfer'],
  },
  verified: {
    dispatcher: ['reject', 'register', 'suspend', 'merge', 'void', 'transfer'],
    leader: SIDE.leaderLive,
    mediator: ['transfer'],
  },
  registered: {
    dispatcher: ['dispatch', 'suspend', 'merge', 'void', 'transfer'],
    leader: SIDE.leaderLive,
    mediator: ['transfer'],
  },
  dispatched: {
    dispatcher: ['reassign', 'approve_extension', ...SIDE.dispatcherLive],
    handler: ['accept', 'return', 'request_extension'],
    leader: ['approve_extension', ...SIDE.leaderLive],
    mediator: ['transfer'],
  },
  handling: {
    dispatcher: ['reassign', 'approve_extension', ...SIDE.dispatcherLive],
    handler: ['complete', 'return', 'request_extension'],
    leader: ['approve_extension', ...SIDE.leaderLive],
    mediator: ['transfer'],
  },
  handled: {
    dispatcher: SIDE.dispatcherLive,
    grid_worker: ['check_pass', 'check_fail'],
    inspector: ['check_pass', 'check_fail'],
    leader: SIDE.leaderLive,
    mediator: ['transfer'],
  },
  checked: {
    dispatcher: ['close', ...SIDE.dispatcherLive],
    leader: SIDE.leaderLive,
    mediator: ['transfer'],
  },
  closed: {
    citizen: ['evaluate', 'reopen'],
    dispatcher: ['reopen'],
  },
  suspended: {
    dispatcher: ['resume', 'void'],
    leader: ['resume', 'escalate', 'supervise', 'void'],
  },
  reopened: {
    dispatcher: ['dispatch', ...SIDE.dispatcherLive],
    leader: SIDE.leaderLive,
    mediator: ['transfer'],
  },
  rejected: {},
  merged: {},
  voided: {},
  transferred: {},
};

type Matrix = Record<string, Partial<Record<Role, string[]>>>;

/**
 * 12345: the agent (dispatcher) dispatches (派单), records the callback (回访) and closes (办结); the
 * department accepts (接单), answers the caller (答复), returns or asks for more time. No 评价 by the
 * caller: the 回访 is the rating. Side paths as in the urban flow.
 */
const HOTLINE: Matrix = {
  accepted: { dispatcher: ['dispatch', 'suspend', 'merge', 'void', 'transfer'], leader: SIDE.leaderLive, mediator: ['transfer'] },
  dispatched: MATRIX.dispatched,
  handling: { ...MATRIX.handling, handler: ['reply', 'return', 'request_extension'] },
  replied: { dispatcher: ['callback', ...SIDE.dispatcherLive], leader: SIDE.leaderLive, mediator: ['transfer'] },
  callback_done: { dispatcher: ['close', ...SIDE.dispatcherLive], leader: SIDE.leaderLive, mediator: ['transfer'] },
  closed: { citizen: ['reopen'], dispatcher: ['reopen'] },
  suspended: MATRIX.suspended,
  reopened: MATRIX.reopened,
  merged: {},
  voided: {},
  transferred: {},
};

/**
 * 隐患: the dispatcher sends the hazard out (派遣整改 or, for 重大, 派遣治理); the responsible unit
 * (handler) submits the 治理方案 (重大 only), reports progress, reports the rectification, may take
 * part in 验收 with the inspector, and may 销号 like the dispatcher. No 改派 (a reassigned 重大隐患
 * would skip its plan). Written for a 重大隐患; the general case differs only in `planning`.
 */
const HAZARD_MAJOR: Matrix = {
  found: { dispatcher: ['dispatch', 'suspend', 'merge', 'void', 'transfer'], leader: SIDE.leaderLive, mediator: ['transfer'] },
  rectifying: { handler: ['rectify', 'return', 'request_extension'], dispatcher: ['approve_extension', ...SIDE.dispatcherLive], leader: ['approve_extension', ...SIDE.leaderLive], mediator: ['transfer'] },
  planning: { handler: ['submit_plan', 'return', 'request_extension'], dispatcher: ['approve_extension', ...SIDE.dispatcherLive], leader: ['approve_extension', ...SIDE.leaderLive], mediator: ['transfer'] },
  governing: { handler: ['report_progress', 'rectify', 'return', 'request_extension'], dispatcher: ['approve_extension', ...SIDE.dispatcherLive], leader: ['approve_extension', ...SIDE.leaderLive], mediator: ['transfer'] },
  awaiting_acceptance: { handler: ['accept_check', 'reject_check'], inspector: ['accept_check', 'reject_check'], dispatcher: SIDE.dispatcherLive, leader: SIDE.leaderLive, mediator: ['transfer'] },
  acceptance_passed: { handler: ['close'], dispatcher: ['close', ...SIDE.dispatcherLive], leader: SIDE.leaderLive, mediator: ['transfer'] },
  closed: { citizen: ['reopen'], dispatcher: ['reopen'] },
  suspended: MATRIX.suspended,
  reopened: { dispatcher: ['dispatch', ...SIDE.dispatcherLive], leader: SIDE.leaderLive, mediator: ['transfer'] },
  merged: {},
  voided: {},
  transferred: {},
};
const HAZARD_GENERAL: Matrix = { ...HAZARD_MAJOR, planning: { ...HAZARD_MAJOR.planning, handler: ['return', 'request_extension'] } };

const cases: [name: string, def: WorkflowDefinition, matrix: Matrix, attributes?: Record<string, string>][] = [
  ['urban', urbanFlow, MATRIX],
  ['hotline', hotlineFlow, HOTLINE],
  ['hazard (重大)', hazardFlow, HAZARD_MAJOR, { hazardLevel: 'major' }],
  ['hazard (一般)', hazardFlow, HAZARD_GENERAL, { hazardLevel: 'general' }],
];

describe.each(cases)('%s flow: who may act in which state', (_name, def, matrix, attributes) => {
  it('has exactly the states of the matrix', () => {
    expect(Object.keys(def.states).sort()).toEqual(Object.keys(matrix).sort());
  });

  it.each(Object.keys(matrix))('in %s', (state) => {
    for (const role of ROLES.filter((r) => r !== 'admin')) {
      expect(allowedActions(def, state, role, attributes), `${role} in ${state}`).toEqual(matrix[state][role] ?? []);
    }
    const everyone = new Set(Object.values(matrix[state]).flat());
    expect(new Set(allowedActions(def, state, 'admin', attributes)), `admin in ${state}`).toEqual(everyone);
  });
});
