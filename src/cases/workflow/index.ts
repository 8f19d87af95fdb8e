/** Workflows as data: types, the pure engine, validation, diagrams and the registry of flows. */
export * from './workflow.types.js';
export { WorkflowError, isWorkflowError, type WorkflowErrorCode, type WorkflowErrorDetails } from './workflow.errors.js';
export { actionLabel, allowedActions, applyAction, guardHolds, intakeAttributeProblem, mayAct, sourceStates, startCase, type CaseWorkflowState, type TransitionResult } from './workflow.engine.js';
export { listProblems, validateWorkflow, validateWorkflows } from './workflow.validate.js';
export { toMermaid, MERMAID_ANY, MERMAID_PREVIOUS } from './workflow.mermaid.js';
export { getWorkflow, WORKFLOWS, WORKFLOW_IDS } from './workflow.registry.js';
export { SIDE_STATES, sidePaths, type SidePathPlan, type SideState } from './side-paths.js';
export { urbanFlow } from './urban.flow.js';
export { hotlineFlow } from './hotline.flow.js';
export { hazardFlow } from './hazard.flow.js';
