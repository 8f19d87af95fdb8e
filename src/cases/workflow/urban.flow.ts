import { SIDE_STATES, sidePaths } from './side-paths.js';
import { defineWorkflow } from './workflow.types.js';

/**
 * 数字城管 (GB/T 30428.8 style): 上报 → 核实 → 立案 → 派遣 → 处置 → 核查 → 结案.
 * A failed check (返工) sends the case back to `handling`, not `dispatched`: the department has
 * already accepted it and stays responsible, and its rework is counted; reassign if it should not.
 */
export const urbanFlow = defineWorkflow({
  id: 'urban',
  name: '数字城管',
  initial: 'reported',
  // 受理员 (dispatcher) records citizen calls; 监督员 (grid_worker), the public and integrations report directly.
  intake: { roles: ['grid_worker', 'citizen', 'api', 'dispatcher'], effects: ['count_reported', 'start_stage'] },
  states: {
    reported: { label: '上报', stage: 'verify', openStatus: 'open' },
    verified: { label: '已核实', stage: 'register', openStatus: 'open' },
    rejected: { label: '不予立案', terminal: true, openStatus: 'closed' },
    registered: { label: '立案', stage: 'dispatch', openStatus: 'open' },
    dispatched: { label: '已派遣', stage: 'handle', openStatus: 'open' },
    handling: { label: '处置中', stage: 'handle', openStatus: 'open' },
    handled: { label: '已处置', stage: 'check', openStatus: 'open' },
    checked: { label: '已核查', stage: 'close', openStatus: 'open' },
    closed: { label: '结案', terminal: true, openStatus: 'closed' },
    ...SIDE_STATES,
  },
  transitions: [
    // 核实 is done by the dispatcher or on site by the 监督员 who is sent to look.
    { action: 'verify', from: ['reported'], to: 'verified', roles: ['dispatcher', 'grid_worker'], effects: ['count_verified', 'start_stage'] },
    { action: 'reject', from: ['reported', 'verified'], to: 'rejected', roles: ['dispatcher'], requires: ['note'], effects: ['count_rejected', 'start_stage'] },
    { action: 'register', from: ['verified'], to: 'registered', roles: ['dispatcher'], effects: ['count_registered', 'start_stage'] },
    { action: 'dispatch', from: ['registered', 'reopened'], to: 'dispatched', roles: ['dispatcher'], requires: ['departmentId'], effects: ['set_department', 'count_dispatched', 'start_stage'] },
    { action: 'accept', from: ['dispatched'], to: 'handling', roles: ['handler'] },
    { action: 'complete', from: ['handling'], to: 'handled', roles: ['handler'], effects: ['count_handled', 'start_stage'] },
    { action: 'check_pass', from: ['handled'], to: 'checked', roles: ['inspector', 'grid_worker'], effects: ['count_checked', 'start_stage'] },
    { action: 'check_fail', from: ['handled'], to: 'handling', roles: ['inspector', 'grid_worker'], requires: ['note'], effects: ['count_checked', 'count_rework', 'start_stage'] },
    { action: 'close', from: ['checked'], to: 'closed', roles: ['dispatcher'], effects: ['count_closed', 'start_stage'] },
    // The reporter rates a closed case (满意 / 基本满意 / 不满意, solved or not) on the citizen portal:
    // it counts in 三率 like a 12345 回访; once per round (case.transition refuses a second one).
    { action: 'evaluate', from: ['closed'], to: '$same', roles: ['citizen'], requires: ['callback'], effects: ['record_callback'] },
    ...sidePaths({
      awaitingDispatch: 'registered',
      dispatched: 'dispatched',
      assigned: ['dispatched', 'handling'],
      suspendable: ['reported', 'verified', 'registered', 'dispatched', 'handling', 'handled', 'checked', 'reopened'],
      mergeable: ['reported', 'verified', 'registered'],
      closed: 'closed',
    }),
  ],
});
