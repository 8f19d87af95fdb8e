import { defineConfig } from 'vitest/config';

// Vitest for mutation runs of src/cases/workflow/ (`npm run mutate:workflow`,
// stryker.workflow.config.json): only the workflow's own pure unit tests. Most of its mutants are
// "static" (in the flow tables, built when the module loads), and Stryker runs the whole test set
// for each of them: this set takes about a second, the full mutate set several.
export default defineConfig({
  test: {
    include: ['src/cases/workflow/*.test.ts'],
    env: { TZ: 'UTC' },
    testTimeout: 60_000,
    pool: 'threads',
  },
});
