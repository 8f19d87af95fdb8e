import type { Role } from '../../auth/actor.js';
import { applyAction, startCase, type CaseWorkflowState, type TransitionResult } from './workflow.engine.js';
import type { TransitionInput, WorkflowDefinition } from './workflow.types.js';

/** One step of a test walk: action, who takes it, and what they send. */
export type Step = [action: string, role: Role, input?: TransitionInput];

/**
 * Test helper: reports a case into `def` (or starts from `from`) and takes `steps` in order,
 * carrying previousState the way the service stores it. Returns the final position and every result.
 */
export function walk(def: WorkflowDefinition, steps: readonly Step[], from?: CaseWorkflowState): CaseWorkflowState & { trail: TransitionResult[] } {
  const trail: TransitionResult[] = from ? [] : [startCase(def, 'dispatcher')];
  let position: CaseWorkflowState = from ?? { state: def.initial, previousState: null };
  for (const [action, role, input] of steps) {
    const result = applyAction(def, position, action, role, input);
    trail.push(result);
    position = { state: result.to, previousState: result.previousState, attributes: position.attributes };
  }
  return { ...position, trail };
}

/** Calls `fn` and returns what it threw; fails the test when it does not throw. */
export function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw, got none');
}
