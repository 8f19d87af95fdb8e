import { AppError } from '../errors.js';
import { isWorkflowError } from './workflow/index.js';

/** Runs a workflow call, turning its WorkflowError into the AppError with the same code and details. */
export function workflowCall<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (isWorkflowError(err)) throw new AppError(err.code, err.message, err.details);
    throw err;
  }
}
