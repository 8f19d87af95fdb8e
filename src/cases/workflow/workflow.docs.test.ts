import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

describe('docs/WORKFLOWS.md', () => {
  it('is the diagram of the flows as they are in code (run `npx gridloop workflows > docs/WORKFLOWS.md`)', async () => {
    // Imported inside the test: the registry validates every flow when it loads, and a broken flow
    // must fail this test, not the loading of the file (which a mutation run would not count).
    const { workflowsMarkdown } = await import('./workflow.docs.js');
    const file = readFileSync(new URL('../../../docs/WORKFLOWS.md', import.meta.url), 'utf8');
    expect(file).toBe(workflowsMarkdown());
  });
});
