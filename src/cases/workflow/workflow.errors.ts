import type { Role } from '../../auth/actor.js';

/** The codes match the app's error catalogue, so the service maps a WorkflowError one to one. */
export type WorkflowErrorCode = 'transition_not_allowed' | 'validation_failed';

export interface WorkflowErrorDetails {
  workflow: string;
  action?: string;
  /** transition_not_allowed: where the case is, who tried, and what that role may do there. */
  state?: string;
  role?: Role;
  allowed?: string[];
  /** validation_failed: the missing or invalid input (for "one of", the first), and all candidates. */
  field?: string;
  anyOf?: string[];
}

/** A refused action. Pure: it knows nothing of HTTP or of the app's AppError. */
export class WorkflowError extends Error {
  readonly code: WorkflowErrorCode;
  readonly details: WorkflowErrorDetails;

  constructor(code: WorkflowErrorCode, message: string, details: WorkflowErrorDetails) {
    super(message);
    this.name = 'WorkflowError';
    this.code = code;
    this.details = details;
  }
}

export function isWorkflowError(err: unknown): err is WorkflowError {
  return err instanceof WorkflowError;
}
