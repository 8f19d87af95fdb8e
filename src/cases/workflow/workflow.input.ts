import { INPUT_FIELDS, SATISFACTION, type InputField, type Requirement, type TransitionInput } from './workflow.types.js';

/**
 * The first problem with `input` against a transition's requirements, or null when it is complete:
 * the field to name and, for a "one of" requirement, every candidate. Presence and basic shape
 * only; the route schema has already checked types.
 */
export function findInputProblem(requires: readonly Requirement[], input: TransitionInput): { field: string; anyOf?: InputField[]; reason: string } | null {
  for (const requirement of requires) {
    const fields: readonly InputField[] = typeof requirement === 'string' ? [requirement] : requirement;
    const given = fields.filter((field) => input[field] !== undefined && input[field] !== null);
    if (given.length === 0) {
      const anyOf = fields.length > 1 ? [...fields] : undefined;
      const names = fields.map((f) => `${f} (${INPUT_FIELDS[f]})`).join(' or ');
      return { field: fields[0], anyOf, reason: `${names} is required` };
    }
    for (const field of given) {
      const problem = shapeProblem(field, input);
      if (problem) return problem;
    }
  }
  return null;
}

function shapeProblem(field: InputField, input: TransitionInput): { field: string; reason: string } | null {
  const bad = (reason: string, name: string = field) => ({ field: name, reason: `${name} ${reason}` });
  switch (field) {
    case 'departmentId':
    case 'targetCaseId':
      return Number.isInteger(input[field]) && (input[field] ?? 0) > 0 ? null : bad('must be a positive integer id');
    case 'extensionAmount':
      return Number.isFinite(input.extensionAmount) && (input.extensionAmount ?? 0) > 0 ? null : bad('must be a positive number');
    case 'note':
      return typeof input.note === 'string' && input.note.trim() !== '' ? null : bad('must not be empty');
    case 'newDeadline':
      return typeof input.newDeadline === 'string' && !Number.isNaN(Date.parse(input.newDeadline)) ? null : bad('must be an ISO 8601 date-time');
    case 'callback':
      return callbackProblem(input.callback, bad);
    case 'governancePlan':
      return governancePlanProblem(input.governancePlan, bad);
  }
}

const PLAN_TEXTS = ['targets', 'measures', 'organisation', 'responsible', 'safetyMeasures', 'emergencyPlan'] as const;

/** A 治理方案 names all of its parts (every text non-empty), funds of 0 元 or more, and a deadline. */
function governancePlanProblem(
  plan: TransitionInput['governancePlan'],
  bad: (reason: string, name: string) => { field: string; reason: string },
): { field: string; reason: string } | null {
  if (typeof plan !== 'object' || plan === null) return bad('must be an object', 'governancePlan');
  for (const key of PLAN_TEXTS) {
    if (typeof plan[key] !== 'string' || plan[key].trim() === '') return bad('must not be empty', `governancePlan.${key}`);
  }
  if (typeof plan.funds !== 'number' || !Number.isFinite(plan.funds) || plan.funds < 0) return bad('must be a number of 元, 0 or more', 'governancePlan.funds');
  if (typeof plan.deadline !== 'string' || Number.isNaN(Date.parse(plan.deadline))) return bad('must be an ISO 8601 date-time', 'governancePlan.deadline');
  return null;
}

function callbackProblem(
  callback: TransitionInput['callback'],
  bad: (reason: string, name: string) => { field: string; reason: string },
): { field: string; reason: string } | null {
  if (typeof callback !== 'object' || callback === null) return bad('must be an object', 'callback');
  if (typeof callback.contacted !== 'boolean') return bad('must be true or false', 'callback.contacted');
  // Nobody reached means nothing to record; the contact rate still counts the attempt.
  if (!callback.contacted) return null;
  if (typeof callback.solved !== 'boolean') return bad('must be true or false when contacted', 'callback.solved');
  if (!SATISFACTION.some((level) => level === callback.satisfaction)) {
    return bad(`must be one of ${SATISFACTION.join(', ')} when contacted`, 'callback.satisfaction');
  }
  return null;
}
