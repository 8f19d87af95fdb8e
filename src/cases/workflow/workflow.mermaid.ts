import { ACTION_LABELS, type Transition, type WorkflowDefinition } from './workflow.types.js';

/** Pseudo-state ids in diagrams; upper case, so they never clash with (snake_case) state ids. */
export const MERMAID_ANY = 'ANY';
export const MERMAID_PREVIOUS = 'PREVIOUS';

/**
 * A Mermaid `stateDiagram-v2` of `def`: one node per state (Chinese label and id), one edge per
 * transition and source state labelled with the action. Transitions from '*' leave a single
 * "任一未结束状态" node instead of every live state, and resume goes to a "挂起前状态" node.
 */
export function toMermaid(def: WorkflowDefinition): string {
  const usesAny = def.transitions.some((t) => t.from === '*');
  const usesPrevious = def.transitions.some((t) => t.to === '$previous');
  return [
    'stateDiagram-v2',
    `  %% ${def.name} (${def.id})`,
    ...Object.entries(def.states).map(([id, s]) => `  state "${quote(s.label)} ${id}" as ${id}`),
    ...(usesAny ? [`  state "任一未结束状态" as ${MERMAID_ANY}`] : []),
    ...(usesPrevious ? [`  state "挂起前状态" as ${MERMAID_PREVIOUS}`] : []),
    `  [*] --> ${def.initial}`,
    ...def.transitions.flatMap(edges),
    ...Object.entries(def.states).filter(([, s]) => s.terminal).map(([id]) => `  ${id} --> [*]`),
  ].join('\n') + '\n';
}

function edges(t: Transition): string[] {
  const name = t.label ?? ACTION_LABELS[t.action];
  const guard = t.when ? ` (${t.when.attribute} ${t.when.in ? `= ${t.when.in.join('/')}` : `≠ ${(t.when.notIn ?? []).join('/')}`})` : '';
  const label = (name ? `${t.action} ${quote(name)}` : t.action) + guard;
  const sources = t.from === '*' ? [MERMAID_ANY] : t.from;
  return sources.map((from) => {
    const to = t.to === '$same' ? from : t.to === '$previous' ? MERMAID_PREVIOUS : t.to;
    return `  ${from} --> ${to}: ${label}`;
  });
}

function quote(text: string): string {
  return text.replaceAll('"', '#quot;');
}
