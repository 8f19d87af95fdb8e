import { defineConfig } from 'vitest/config';

// Vitest for mutation runs (`npm run mutate`, stryker.config.json): only the fast, pure unit tests
// of the modules Stryker mutates. No database, no HTTP, no child processes, so that each mutant's
// test run takes well under a second on a shared 2-core machine.
export default defineConfig({
  test: {
    include: [
      'src/sla/*.test.ts',
      'src/time/*.test.ts',
      'src/cases/workflow/*.test.ts',
      'src/cases/case.scope.test.ts',
      'src/kpis/formulas.test.ts',
      'src/auth/policy.test.ts',
      'src/open311/open311.status.test.ts',
    ],
    env: { TZ: 'UTC' },
    testTimeout: 60_000,
    pool: 'threads',
  },
});
