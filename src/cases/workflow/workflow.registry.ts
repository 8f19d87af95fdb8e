import { WorkflowError } from './workflow.errors.js';
import type { WorkflowDefinition } from './workflow.types.js';
import { validateWorkflows } from './workflow.validate.js';
import { hotlineFlow } from './hotline.flow.js';
import { urbanFlow } from './urban.flow.js';
import { petitionFlow } from './petition.flow.js';
import { mediationFlow } from './mediation.flow.js';
import { hazardFlow } from './hazard.flow.js';

/**
 * Every flow a category can name. A new case type (disputes, petitions, hazards, river issues) is
 * a new `<type>.flow.ts` data file listed here, plus its tests; the engine does not change.
 */
export const WORKFLOWS: readonly WorkflowDefinition[] = [urbanFlow, hotlineFlow, petitionFlow, mediationFlow, hazardFlow];

// Checked when the module loads, so a broken flow stops the server at boot, not mid-case.
validateWorkflows(WORKFLOWS);

const byId = new Map(WORKFLOWS.map((def) => [def.id, def]));

export const WORKFLOW_IDS: readonly string[] = WORKFLOWS.map((def) => def.id);

/** The flow with `id`. Throws WorkflowError `validation_failed` (field `workflow`) for an unknown id. */
export function getWorkflow(id: string): WorkflowDefinition {
  const def = byId.get(id);
  if (!def) {
    throw new WorkflowError('validation_failed', `unknown workflow "${id}"; known: ${WORKFLOW_IDS.join(', ')}`, { workflow: id, field: 'workflow' });
  }
  return def;
}
