import type { Role } from '../../auth/actor.js';
import { WorkflowError } from './workflow.errors.js';
import { findInputProblem } from './workflow.input.js';
import { ACTION_LABELS, type AttributeGuard, type Effect, type StageKey, type Transition, type TransitionInput, type WorkflowDefinition } from './workflow.types.js';

/** Where a case stands in its flow: its state, and the state before a side path (for resume). */
export interface CaseWorkflowState {
  state: string;
  previousState?: string | null;
  /** Extensions the case has had, for flows that allow only so many. */
  extensionCount?: number;
  /** The case's attributes, for transitions guarded by one (`when`). */
  attributes?: Readonly<Record<string, unknown>>;
}

/** Whether case attributes satisfy a guard (no guard: always). */
export function guardHolds(guard: AttributeGuard | undefined, attributes: Readonly<Record<string, unknown>> = {}): boolean {
  if (!guard) return true;
  const raw = attributes[guard.attribute];
  const value = typeof raw === 'string' ? raw : undefined;
  if (guard.in && !(value !== undefined && guard.in.includes(value))) return false;
  if (guard.notIn && value !== undefined && guard.notIn.includes(value)) return false;
  return true;
}

/** What the service stores and performs after an allowed action. */
export interface TransitionResult {
  action: string;
  from: string | null;
  to: string;
  /** In the order to apply them. */
  effects: readonly Effect[];
  /** The stage clock that runs in `to`, if any. */
  stage?: StageKey;
  /** Store this as the case's previous state: the state left, or unchanged when the case did not move. */
  previousState: string | null;
}

/** Admin may take every transition of every flow; the flows list everybody else. */
export function mayAct(roles: readonly Role[], role: Role): boolean {
  return role === 'admin' || roles.includes(role);
}

/** The states a transition leaves from, with '*' spelled out as every non-terminal state. */
export function sourceStates(def: WorkflowDefinition, transition: Transition): string[] {
  if (transition.from !== '*') return [...transition.from];
  return Object.entries(def.states).filter(([, s]) => !s.terminal).map(([id]) => id);
}

function transitionsFrom(def: WorkflowDefinition, state: string, attributes?: Readonly<Record<string, unknown>>): Transition[] {
  return def.transitions.filter((t) => sourceStates(def, t).includes(state) && guardHolds(t.when, attributes));
}

/** The Chinese label of `action` in this flow: the flow's own, else the standard one, else the action name. */
export function actionLabel(def: WorkflowDefinition, action: string): string {
  return def.transitions.find((t) => t.action === action && t.label)?.label ?? ACTION_LABELS[action] ?? action;
}

/** The actions `role` may take on a case in `state` (with `attributes`), in definition order; [] for an unknown state. */
export function allowedActions(def: WorkflowDefinition, state: string, role: Role, attributes?: Readonly<Record<string, unknown>>): string[] {
  const actions = transitionsFrom(def, state, attributes).filter((t) => mayAct(t.roles, role)).map((t) => t.action);
  return [...new Set(actions)];
}

/**
 * Takes `action` on a case as `role`, with `input`, and returns where the case goes and what the
 * service must do. Pure. Throws WorkflowError `transition_not_allowed` (with the actions this role
 * may take instead) when the action does not exist in this state or the role may not take it, and
 * `validation_failed` naming the field when a required input is missing or malformed.
 */
export function applyAction(def: WorkflowDefinition, current: CaseWorkflowState, action: string, role: Role, input: TransitionInput = {}): TransitionResult {
  const { state } = current;
  const transition = transitionsFrom(def, state, current.attributes).find((t) => t.action === action);
  if (!transition || !mayAct(transition.roles, role)) {
    const allowed = allowedActions(def, state, role, current.attributes);
    const why = transition ? `role "${role}" may not ${action}` : `"${action}" is not possible`;
    throw new WorkflowError('transition_not_allowed', `${why} in state "${state}" of workflow "${def.id}"; allowed: ${allowed.join(', ') || 'none'}`, {
      workflow: def.id, action, state, role, allowed,
    });
  }
  const problem = findInputProblem(transition.requires ?? [], input);
  if (problem) {
    throw new WorkflowError('validation_failed', `${action}: ${problem.reason}`, { workflow: def.id, action, field: problem.field, anyOf: problem.anyOf });
  }
  const bound = extensionProblem(transition, current, input);
  if (bound) throw new WorkflowError(bound.code, `${action}: ${bound.reason}`, { workflow: def.id, action, field: 'extensionAmount' });
  const to = resolveTarget(def, current, transition);
  return {
    action,
    from: state,
    to,
    effects: transition.effects ?? [],
    stage: def.states[to].stage,
    previousState: to === state ? (current.previousState ?? null) : state,
  };
}

function extensionProblem(t: Transition, current: CaseWorkflowState, input: TransitionInput): { code: 'validation_failed' | 'transition_not_allowed'; reason: string } | null {
  const limits = t.extension;
  if (!limits) return null;
  if (limits.maxCount !== undefined && (current.extensionCount ?? 0) >= limits.maxCount) {
    return { code: 'transition_not_allowed', reason: `the time limit may be extended ${limits.maxCount} time(s) only, and has been` };
  }
  if (limits.maxAmount === undefined) return null;
  if (input.newDeadline !== undefined) return { code: 'validation_failed', reason: 'this flow extends by extensionAmount only, not to a newDeadline' };
  if (input.extensionAmount !== undefined && input.extensionAmount > limits.maxAmount) {
    return { code: 'validation_failed', reason: `extensionAmount may be at most ${limits.maxAmount}` };
  }
  return null;
}

function resolveTarget(def: WorkflowDefinition, current: CaseWorkflowState, transition: Transition): string {
  if (transition.to === '$same') return current.state;
  if (transition.to !== '$previous') return transition.to;
  const previous = current.previousState;
  if (!previous || !(previous in def.states)) {
    // The service stores previousState from every result, so this means corrupted case data.
    throw new WorkflowError('validation_failed', `${transition.action}: the case has no valid previous state to return to (got ${String(previous)})`, {
      workflow: def.id, action: transition.action, field: 'previousState',
    });
  }
  return previous;
}

/**
 * Creating a case: its first state and what creation counts. Throws `transition_not_allowed` when
 * `role` may not report into this flow.
 */
export function startCase(def: WorkflowDefinition, role: Role): TransitionResult {
  if (!mayAct(def.intake.roles, role)) {
    throw new WorkflowError('transition_not_allowed', `role "${role}" may not report into workflow "${def.id}"`, {
      workflow: def.id, action: 'report', role, allowed: [],
    });
  }
  return { action: 'report', from: null, to: def.initial, effects: def.intake.effects, stage: def.states[def.initial].stage, previousState: null };
}

/**
 * Checks a new case's attributes against what its flow requires at intake; returns the problem
 * (field and reason) or null.
 */
export function intakeAttributeProblem(def: WorkflowDefinition, attributes: Readonly<Record<string, unknown>> = {}): { field: string; reason: string } | null {
  for (const [name, values] of Object.entries(def.intake.attributes ?? {})) {
    const v = attributes[name];
    if (typeof v !== 'string' || !values.includes(v)) return { field: `attributes.${name}`, reason: `a ${def.name} report needs attributes.${name}, one of ${values.join(', ')}` };
  }
  return null;
}
