import type { Actor } from '../auth/actor.js';
import { can } from '../auth/policy.js';
import { maskIdNumber, maskName, maskPhone } from '../privacy/mask.js';
import type { Reporter } from '../privacy/reporter.js';
import { caseAttributes, type CaseEventRow, type CaseRow, type CaseSummaryRow } from './case.repository.js';
import { ACTION_LABELS, allowedActions, getWorkflow, sourceStates } from './workflow/index.js';

/** Whether the actor may see a case's reporter in clear: staff who need it, or the reporter themself. */
function seesPersonalData(actor: Actor, row: CaseRow): boolean {
  return can(actor, 'case.read_personal') || (actor.kind === 'user' && row.reporter_user_id === actor.id);
}

/** A case in a list: reporter always masked, no internal columns. */
export function presentCaseSummary(row: CaseSummaryRow) {
  const def = getWorkflow(row.workflow);
  return {
    id: row.id,
    number: row.number,
    workflow: row.workflow,
    status: row.status,
    statusLabel: def.states[row.status]?.label ?? row.status,
    openStatus: def.states[row.status]?.openStatus ?? 'open',
    version: row.version,
    categoryCode: row.category_code,
    classCode: row.class_code,
    channel: row.channel,
    description: row.description,
    address: row.address,
    lon: row.lon,
    lat: row.lat,
    grid: { code: row.grid_code },
    communityCode: row.community_code,
    streetCode: row.street_code,
    districtCode: row.district_code,
    departmentId: row.department_id,
    priority: row.priority,
    deadline: row.deadline,
    stage: row.stage,
    stageDeadline: row.stage_deadline,
    light: row.light,
    supervised: row.supervised === 1,
    private: row.private === 1,
    escalationLevel: row.escalation_level,
    parentCaseId: row.parent_case_id,
    reworkCount: row.rework_count,
    reporter: maskedReporter(row),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    closedAt: row.closed_at,
  };
}

/** The reporter as lists show it: name, phone and ID number masked. */
function maskedReporter(row: CaseSummaryRow): Reporter {
  return { name: maskName(row.reporter_name), phone: maskPhone(row.reporter_phone), idNumber: maskIdNumber(row.reporter_id_number) };
}

/**
 * One case for its detail view: with the actions the actor may take now, routing and callback.
 * `reveal` decrypts the reporter; it is called only for those allowed to see personal data.
 */
export function presentCase(row: CaseRow, actor: Actor, reveal: (row: CaseRow) => Reporter) {
  const personal = seesPersonalData(actor, row);
  const actions = actionsOf(row, actor.role);
  // Object.assign, not a spread: V8 builds `{ ...summary, more }` of this size in about 30 µs
  // (a dictionary-mode object, slower to serialise too), the assignment in under 1 µs.
  return Object.assign(presentCaseSummary(row), {
    reporter: personal ? reveal(row) : maskedReporter(row),
    allowedActions: actions.allowedActions,
    actionInputs: actions.actionInputs,
    allowedActionLabels: actions.allowedActionLabels,
    routing: { ruleId: row.routing_rule_id, explanation: row.routing_explanation },
    superviseNote: row.supervise_note,
    extensionCount: row.extension_count,
    pendingExtension: row.pending_extension ? (JSON.parse(row.pending_extension) as Record<string, unknown>) : null,
    callback: row.callback_contacted === null ? null : { contacted: row.callback_contacted === 1, solved: row.callback_solved === 1, satisfaction: row.callback_satisfaction },
    registeredAt: row.registered_at,
    dispatchedAt: row.dispatched_at,
    handledAt: row.handled_at,
    attributes: JSON.parse(row.attributes) as Record<string, unknown>,
  });
}

type CaseActions = ReturnType<typeof workOutActions>;

/** Per flow definition, by state, role and attributes (the guards read them): the same for every case alike. */
const actionsMemo = new WeakMap<object, Map<string, CaseActions>>();
const MEMO_ENTRIES = 2_000;

/**
 * The actions `role` may take on the case now, the inputs each requires and their labels. They
 * depend only on the flow, the state, the role and the attributes, so they are worked out once per
 * such combination. Every case page shares the result: it is only read (serialised), never changed.
 */
function actionsOf(row: CaseRow, role: Actor['role']): CaseActions {
  const def = getWorkflow(row.workflow);
  let memo = actionsMemo.get(def);
  if (!memo) actionsMemo.set(def, (memo = new Map()));
  const key = `${row.status}|${role}|${row.attributes}`;
  let actions = memo.get(key);
  if (!actions) {
    if (memo.size >= MEMO_ENTRIES) memo.clear();
    memo.set(key, (actions = workOutActions(def, row, role)));
  }
  return actions;
}

function workOutActions(def: ReturnType<typeof getWorkflow>, row: CaseRow, role: Actor['role']) {
  const allowed = allowedActions(def, row.status, role, caseAttributes(row));
  return {
    allowedActions: allowed,
    actionInputs: Object.fromEntries(allowed.map((a) => [a, [...(def.transitions.find((t) => t.action === a && sourceStates(def, t).includes(row.status))?.requires ?? [])].map((r) => (typeof r === 'string' ? r : [...r]))])),
    allowedActionLabels: Object.fromEntries(allowed.map((a) => [a, def.transitions.find((t) => t.action === a)?.label ?? ACTION_LABELS[a] ?? a])),
  };
}

/** A timeline event. */
export function presentEvent(row: CaseEventRow) {
  return {
    seq: row.seq,
    at: row.at,
    actor: row.actor_name,
    role: row.actor_role,
    action: row.action,
    from: row.from_status,
    to: row.to_status,
    note: row.note,
    notePublic: row.note_public === 1,
    data: JSON.parse(row.data) as Record<string, unknown>,
  };
}
