import { SIDE_STATES, sidePaths } from './side-paths.js';
import { defineWorkflow } from './workflow.types.js';

/**
 * 12345 接诉即办: 受理 → 派单 → 办理 → 答复 → 回访 → 办结. The hotline agent who takes the call
 * registers it at once, so intake counts both 上报 and 立案 (受理); agents are dispatchers.
 * The handling clock runs from dispatch until the department answers the caller (答复), so
 * 按期处置 means the same as in the urban flow and a category's `handle` limit applies to both.
 */
export const hotlineFlow = defineWorkflow({
  id: 'hotline',
  name: '12345 接诉即办',
  initial: 'accepted',
  intake: { roles: ['dispatcher', 'citizen', 'api'], effects: ['count_reported', 'count_registered', 'start_stage'] },
  states: {
    accepted: { label: '受理', stage: 'dispatch', openStatus: 'open' },
    dispatched: { label: '派单', stage: 'handle', openStatus: 'open' },
    handling: { label: '办理', stage: 'handle', openStatus: 'open' },
    replied: { label: '答复', stage: 'callback', openStatus: 'open' },
    callback_done: { label: '已回访', stage: 'close', openStatus: 'open' },
    closed: { label: '办结', terminal: true, openStatus: 'closed' },
    ...SIDE_STATES,
  },
  transitions: [
    { action: 'dispatch', label: '派单', from: ['accepted', 'reopened'], to: 'dispatched', roles: ['dispatcher'], requires: ['departmentId'], effects: ['set_department', 'count_dispatched', 'start_stage'] },
    { action: 'accept', label: '接单', from: ['dispatched'], to: 'handling', roles: ['handler'] },
    { action: 'reply', from: ['handling'], to: 'replied', roles: ['handler'], requires: ['note'], effects: ['count_handled', 'start_stage'] },
    { action: 'callback', from: ['replied'], to: 'callback_done', roles: ['dispatcher'], requires: ['callback'], effects: ['record_callback', 'start_stage'] },
    { action: 'close', label: '办结', from: ['callback_done'], to: 'closed', roles: ['dispatcher'], effects: ['count_closed', 'start_stage'] },
    ...sidePaths({
      awaitingDispatch: 'accepted',
      dispatched: 'dispatched',
      assigned: ['dispatched', 'handling'],
      suspendable: ['accepted', 'dispatched', 'handling', 'replied', 'callback_done', 'reopened'],
      mergeable: ['accepted'],
      closed: 'closed',
    }),
  ],
});
