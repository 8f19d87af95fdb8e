import { configDefaults, defineConfig } from 'vitest/config';

// GRIDLOOP_BROWSER_TESTS=0 leaves out the browser tests (test/browser/, *.browser.test.ts): CI runs
// them once only, on Node 20 with SQLite (.ci/run); the harness also skips them on that switch.
const browserTests = process.env.GRIDLOOP_BROWSER_TESTS === '0' ? ['test/browser/**', '**/*.browser.test.ts'] : [];

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'web/src/**/*.test.ts'],
    exclude: [...configDefaults.exclude, ...browserTests],
    env: { TZ: 'UTC' },
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Browser tests poll the page; a busy machine can take seconds to render.
    expect: { poll: { timeout: 20_000, interval: 100 } },
  },
});
