import { defineWorkflow } from './workflow.types.js';

/** Only a court's referral (诉前调解 委派 or 委托) may be extended; registerDispute sets `disputeSource` at intake. */
const COURT_REFERRED = { attribute: 'disputeSource', in: ['court_delegated', 'court_entrusted'] } as const;

/**
 * 矛盾纠纷调解 (人民调解法, 诉前调解; ../shared/reference/cn-governance-rules.md §5): 受理 → 分派调解员 →
 * 调解 (sessions) → 调解成功 (协议书 uploaded or 口头协议 recorded) | 调解不成 (with a referral: 诉讼,
 * 仲裁, 行政裁决, 信访) → 回访 (is the agreement kept?) → 结案. One 调解 clock runs from 受理 to the
 * outcome: 30 days for a court's referral, extendable once with both parties' consent; the
 * configured default otherwise (social/social.limits.ts). Parties, sessions, the agreement and the
 * 司法确认 window live in social/ and are checked by social/dispute.rules.ts before a step.
 */
export const mediationFlow = defineWorkflow({
  id: 'mediation',
  name: '矛盾纠纷调解',
  initial: 'received',
  intake: { roles: ['dispatcher', 'mediator', 'grid_worker', 'leader', 'api'], effects: ['count_reported', 'count_registered', 'start_stage'] },
  states: {
    received: { label: '受理', stage: 'mediate', openStatus: 'open' },
    assigned: { label: '已分派调解员', stage: 'mediate', openStatus: 'open' },
    mediating: { label: '调解中', stage: 'mediate', openStatus: 'open' },
    agreed: { label: '调解成功', stage: 'callback', openStatus: 'open' },
    failed: { label: '调解不成', stage: 'close', openStatus: 'open' },
    followed_up: { label: '已回访', stage: 'close', openStatus: 'open' },
    closed: { label: '结案', terminal: true, openStatus: 'closed' },
    suspended: { label: '中止', paused: true, openStatus: 'open' },
    voided: { label: '已作废', terminal: true, openStatus: 'closed' },
  },
  transitions: [
    { action: 'assign', label: '分派调解员', from: ['received', 'assigned'], to: 'assigned', roles: ['dispatcher', 'leader', 'mediator'], requires: ['note'] },
    { action: 'start_mediation', label: '开始调解', from: ['assigned'], to: 'mediating', roles: ['mediator', 'dispatcher'] },
    { action: 'succeed', label: '调解成功', from: ['mediating'], to: 'agreed', roles: ['mediator'], effects: ['count_handled', 'start_stage'] },
    { action: 'fail', label: '调解不成', from: ['mediating'], to: 'failed', roles: ['mediator'], requires: ['note'], effects: ['count_handled', 'start_stage'] },
    { action: 'callback', label: '回访', from: ['agreed'], to: 'followed_up', roles: ['mediator', 'dispatcher'], requires: ['callback'], effects: ['record_callback', 'start_stage'] },
    { action: 'close', label: '结案', from: ['followed_up', 'failed'], to: 'closed', roles: ['mediator', 'dispatcher', 'leader'], effects: ['count_closed', 'start_stage'] },
    { action: 'request_extension', label: '申请延长调解期限', from: ['received', 'assigned', 'mediating'], to: '$same', roles: ['mediator'], requires: ['extensionAmount', 'note'], extension: { maxCount: 1 }, when: COURT_REFERRED },
    { action: 'approve_extension', label: '批准延长', from: ['received', 'assigned', 'mediating'], to: '$same', roles: ['leader', 'dispatcher'], effects: ['extend_deadline'], extension: { maxCount: 1 }, when: COURT_REFERRED },
    { action: 'suspend', label: '中止调解', from: ['received', 'assigned', 'mediating'], to: 'suspended', roles: ['mediator', 'dispatcher', 'leader'], requires: ['note'], effects: ['stop_clock'] },
    { action: 'resume', from: ['suspended'], to: '$previous', roles: ['mediator', 'dispatcher', 'leader'], effects: ['resume_clock'] },
    { action: 'escalate', from: '*', to: '$same', roles: ['leader', 'mediator'], effects: ['escalate_org'] },
    { action: 'supervise', from: '*', to: '$same', roles: ['leader'], requires: ['note'], effects: ['mark_supervised'] },
    { action: 'void', from: '*', to: 'voided', roles: ['dispatcher', 'leader'], requires: ['note'], effects: ['void', 'start_stage'] },
  ],
});
