import { defineWorkflow } from './workflow.types.js';

/**
 * 信访 (信访工作条例 2022; ../shared/reference/cn-governance-rules.md §4): 登记 → 受理 (15 日内决定并
 * 书面告知) or 不予受理 → 办理 (60 日, 经负责人批准可延长一次, 不超过 30 日) → 书面答复 → 请求复查
 * (答复后 30 日内) → 复查意见 (30 日) → 请求复核 (复查意见后 30 日内) → 复核意见 (30 日, 听证时间不计入).
 * After 复核 the same matter is not accepted again. The limits come from configuration
 * (social/social.limits.ts), the windows and the no-re-acceptance rule from social/petition.rules.ts.
 */
export const petitionFlow = defineWorkflow({
  id: 'petition',
  name: '信访',
  initial: 'lodged',
  intake: { roles: ['dispatcher', 'leader', 'citizen', 'api'], effects: ['count_reported', 'start_stage'] },
  states: {
    lodged: { label: '登记', stage: 'acceptance', openStatus: 'open' },
    not_accepted: { label: '不予受理', terminal: true, openStatus: 'closed' },
    processing: { label: '办理', stage: 'conclude', openStatus: 'open' },
    answered: { label: '已答复', openStatus: 'open' },
    reviewing: { label: '复查', stage: 'review', openStatus: 'open' },
    reviewed: { label: '已复查', openStatus: 'open' },
    rechecking: { label: '复核', stage: 'recheck', openStatus: 'open' },
    hearing: { label: '听证', paused: true, openStatus: 'open' },
    rechecked: { label: '已复核', terminal: true, openStatus: 'closed' },
    closed: { label: '办结', terminal: true, openStatus: 'closed' },
    voided: { label: '已作废', terminal: true, openStatus: 'closed' },
  },
  transitions: [
    { action: 'accept', label: '受理', from: ['lodged'], to: 'processing', roles: ['dispatcher', 'leader'], effects: ['count_registered', 'start_stage'] },
    { action: 'reject', label: '不予受理', from: ['lodged'], to: 'not_accepted', roles: ['dispatcher', 'leader'], requires: ['note'], effects: ['count_rejected', 'start_stage'] },
    { action: 'request_extension', from: ['processing'], to: '$same', roles: ['handler', 'dispatcher'], requires: ['extensionAmount', 'note'], extension: { maxAmount: 30, maxCount: 1 } },
    { action: 'approve_extension', from: ['processing'], to: '$same', roles: ['leader'], effects: ['extend_deadline'], extension: { maxAmount: 30, maxCount: 1 } },
    { action: 'reply', label: '书面答复', from: ['processing'], to: 'answered', roles: ['handler', 'dispatcher', 'leader'], requires: ['note'], effects: ['count_handled', 'start_stage'] },
    { action: 'evaluate', label: '参评', from: ['answered', 'reviewed', 'closed'], to: '$same', roles: ['dispatcher', 'citizen'], requires: ['callback'], effects: ['record_callback'] },
    { action: 'request_review', label: '请求复查', from: ['answered'], to: 'reviewing', roles: ['dispatcher', 'leader'], requires: ['note'], effects: ['escalate_org', 'start_stage'] },
    { action: 'review_opinion', label: '复查意见', from: ['reviewing'], to: 'reviewed', roles: ['dispatcher', 'leader'], requires: ['note'], effects: ['start_stage'] },
    { action: 'request_recheck', label: '请求复核', from: ['reviewed'], to: 'rechecking', roles: ['dispatcher', 'leader'], requires: ['note'], effects: ['escalate_org', 'start_stage'] },
    { action: 'start_hearing', label: '听证', from: ['rechecking'], to: 'hearing', roles: ['dispatcher', 'leader'], requires: ['note'], effects: ['stop_clock'] },
    { action: 'resume', label: '听证结束', from: ['hearing'], to: '$previous', roles: ['dispatcher', 'leader'], effects: ['resume_clock'] },
    { action: 'recheck_opinion', label: '复核意见', from: ['rechecking'], to: 'rechecked', roles: ['dispatcher', 'leader'], requires: ['note'], effects: ['count_closed', 'start_stage'] },
    { action: 'close', label: '办结', from: ['answered', 'reviewed'], to: 'closed', roles: ['dispatcher', 'leader'], effects: ['count_closed', 'start_stage'] },
    { action: 'supervise', from: '*', to: '$same', roles: ['leader'], requires: ['note'], effects: ['mark_supervised'] },
    { action: 'void', from: '*', to: 'voided', roles: ['dispatcher', 'leader'], requires: ['note'], effects: ['void', 'start_stage'] },
  ],
});
