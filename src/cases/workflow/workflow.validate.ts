import { ROLES } from '../../auth/actor.js';
import { sourceStates } from './workflow.engine.js';
import { EFFECTS, INPUT_FIELDS, STAGES, type Transition, type WorkflowDefinition } from './workflow.types.js';

const ID = /^[a-z][a-z0-9_]*$/;
const has = (record: object, key: string) => Object.prototype.hasOwnProperty.call(record, key);

/**
 * Every problem in a flow definition, as sentences; [] when it is sound. Checks what the type
 * system cannot see in data: unknown states, roles, effects, stages and inputs; unreachable
 * states; live states with no way forward; duplicate (action, from) pairs; terminal states with
 * exits other than reopen; `$previous` outside resume; and stage clocks that change silently.
 */
export function listProblems(def: WorkflowDefinition): string[] {
  return [...stateProblems(def), ...def.transitions.flatMap((t) => transitionProblems(def, t)), ...graphProblems(def)];
}

/** Startup check: throws an Error listing every problem of `def`, one per line. */
export function validateWorkflow(def: WorkflowDefinition): void {
  const problems = listProblems(def);
  if (problems.length > 0) {
    throw new Error(`Workflow "${def.id}" is invalid (${problems.length} problem${problems.length > 1 ? 's' : ''}):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Startup check of a whole registry: every flow sound, no id used twice. Throws like validateWorkflow. */
export function validateWorkflows(defs: readonly WorkflowDefinition[]): void {
  const ids = defs.map((d) => d.id);
  const twice = ids.filter((id, i) => ids.indexOf(id) !== i);
  if (twice.length > 0) throw new Error(`Workflow ids used more than once: ${[...new Set(twice)].join(', ')}`);
  defs.forEach(validateWorkflow);
}

function stateProblems(def: WorkflowDefinition): string[] {
  const problems: string[] = [];
  if (!ID.test(def.id)) problems.push(`workflow id "${def.id}" is not snake_case`);
  if (!has(def.states, def.initial)) problems.push(`initial state "${def.initial}" is not a state`);
  else if (def.states[def.initial].terminal) problems.push(`initial state "${def.initial}" is terminal`);
  problems.push(...unknownRoles(def.intake.roles, 'intake'), ...unknownEffects(def.intake.effects, 'intake'));
  for (const [id, s] of Object.entries(def.states)) {
    if (!ID.test(id)) problems.push(`state id "${id}" is not snake_case`);
    if (!s.label.trim()) problems.push(`state "${id}" has no label`);
    if (s.stage !== undefined && !has(STAGES, s.stage)) problems.push(`state "${id}" has unknown stage "${s.stage}"`);
    if (s.openStatus !== 'open' && s.openStatus !== 'closed') problems.push(`state "${id}" has openStatus "${String(s.openStatus)}", not open or closed`);
    if (s.terminal && s.openStatus !== 'closed') problems.push(`terminal state "${id}" must have openStatus "closed"`);
    if ((s.terminal || s.paused) && s.stage) problems.push(`state "${id}" is ${s.terminal ? 'terminal' : 'paused'} yet runs stage "${s.stage}"`);
  }
  return problems;
}

function unknownRoles(roles: readonly string[], where: string): string[] {
  return roles.filter((r) => !(ROLES as readonly string[]).includes(r)).map((r) => `${where}: unknown role "${r}"`);
}

function unknownEffects(effects: readonly string[], where: string): string[] {
  return effects.filter((e) => !has(EFFECTS, e)).map((e) => `${where}: unknown effect "${e}"`);
}

function transitionProblems(def: WorkflowDefinition, t: Transition): string[] {
  const where = `transition "${t.action}"`;
  const problems = [...unknownRoles(t.roles, where), ...unknownEffects(t.effects ?? [], where)];
  if (!ID.test(t.action)) problems.push(`${where}: action is not snake_case`);
  if (t.from !== '*') {
    if (t.from.length === 0) problems.push(`${where}: empty from list`);
    for (const f of t.from) {
      if (!has(def.states, f)) problems.push(`${where}: unknown from state "${f}"`);
      else if (def.states[f].terminal && t.action !== 'reopen' && t.to !== '$same') problems.push(`${where}: leaves terminal state "${f}" (only reopen may; others must stay)`);
    }
  }
  if (t.to === '$previous' && t.action !== 'resume') problems.push(`${where}: "$previous" is only for resume`);
  if (t.to !== '$same' && t.to !== '$previous' && !has(def.states, t.to)) problems.push(`${where}: unknown to state "${t.to}"`);
  for (const requirement of t.requires ?? []) {
    for (const field of typeof requirement === 'string' ? [requirement] : requirement) {
      if (!has(INPUT_FIELDS, field)) problems.push(`${where}: unknown required input "${field}"`);
    }
  }
  return [...problems, ...clockProblems(def, t)];
}

/** A move between states with different stage clocks must say what happens to the clock. */
function clockProblems(def: WorkflowDefinition, t: Transition): string[] {
  const where = `transition "${t.action}"`;
  const effects = t.effects ?? [];
  const known = sourceStates(def, t).filter((f) => has(def.states, f));
  if (t.to === '$same') return [];
  if (t.to === '$previous') {
    const problems = known.filter((f) => !def.states[f].paused).map((f) => `${where}: returns to the previous state from "${f}", which is not paused`);
    return effects.includes('resume_clock') ? problems : [...problems, `${where}: returns from a pause without resume_clock`];
  }
  const target = has(def.states, t.to) ? def.states[t.to] : undefined;
  if (!target) return [];
  if (target.paused) return effects.includes('stop_clock') ? [] : [`${where}: enters paused state "${t.to}" without stop_clock`];
  if (effects.includes('start_stage')) return [];
  return known
    .filter((f) => def.states[f].stage !== target.stage)
    .map((f) => `${where}: from "${f}" changes the stage clock (${def.states[f].stage ?? 'none'} → ${target.stage ?? 'none'}) without start_stage`);
}

function graphProblems(def: WorkflowDefinition): string[] {
  const problems: string[] = [];
  // Without a known initial state every state would be reported unreachable: noise, not news.
  const reachable = has(def.states, def.initial) ? reachableStates(def) : new Set(Object.keys(def.states));
  const seen = new Set<string>();
  for (const t of def.transitions) {
    for (const f of sourceStates(def, t)) {
      // Guarded twins (one for 重大, one for the rest) are one action with two outcomes, not a duplicate.
      const key = `${t.action}@${f}${t.when ? `?${JSON.stringify(t.when)}` : ''}`;
      if (seen.has(key)) problems.push(`duplicate transition: action "${t.action}" from "${f}" is defined twice`);
      seen.add(key);
    }
  }
  for (const [id, s] of Object.entries(def.states)) {
    if (!reachable.has(id)) problems.push(`state "${id}" is unreachable from "${def.initial}"`);
    // '*' side paths (void, supervise…) do not count: every live state needs a way forward of its own.
    const exits = def.transitions.filter((t) => t.from !== '*' && t.from.includes(id) && t.to !== '$same' && t.to !== id);
    if (!s.terminal && exits.length === 0) problems.push(`non-terminal state "${id}" has no outgoing transition`);
  }
  return problems;
}

function reachableStates(def: WorkflowDefinition): Set<string> {
  const reached = new Set<string>([def.initial]);
  const queue = [def.initial];
  for (let state = queue.shift(); state !== undefined; state = queue.shift()) {
    for (const t of def.transitions) {
      // $previous and $same only lead back to states already reached.
      if (t.to === '$same' || t.to === '$previous' || reached.has(t.to) || !sourceStates(def, t).includes(state)) continue;
      reached.add(t.to);
      queue.push(t.to);
    }
  }
  return reached;
}
