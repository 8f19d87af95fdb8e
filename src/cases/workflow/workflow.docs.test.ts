import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { workflowsMarkdown } from './workflow.docs.js';

describe('docs/WORKFLOWS.md', () => {
  it('is the diagram of the flows as they are in code (run `npx gridloop workflows > docs/WORKFLOWS.md`)', () => {
    const file = readFileSync(new URL('../../../docs/WORKFLOWS.md', import.meta.url), 'utf8');
    expect(file).toBe(workflowsMarkdown());
  });
});
