import { WORKFLOWS } from './workflow.registry.js';
import { toMermaid } from './workflow.mermaid.js';

/** The text of docs/WORKFLOWS.md: every built-in flow as a Mermaid diagram. A test keeps the file in step. */
export function workflowsMarkdown(): string {
  const parts = ['# Workflows', '', 'Generated from `src/cases/workflow/*.flow.ts` by `gridloop workflows`; a test fails when this file and the flows disagree.', ''];
  for (const def of WORKFLOWS) parts.push(`## ${def.name} (\`${def.id}\`)`, '', ...(def.notes ? [def.notes, ''] : []), '```mermaid', toMermaid(def).trimEnd(), '```', '');
  return parts.join('\n');
}
