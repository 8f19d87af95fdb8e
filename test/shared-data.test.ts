import { afterEach, describe, expect, it, vi } from 'vitest';
import path from 'node:path';
import { isCi, SHARED_DIR, sharedFiles } from './support/shared.js';

// The ../shared helper: tests that read reference data skip with a message when it is missing,
// except under CI=true, where they must fail.
describe('sharedFiles', () => {
  const ci = process.env.CI;
  afterEach(() => {
    if (ci === undefined) delete process.env.CI;
    else process.env.CI = ci;
    vi.restoreAllMocks();
  });

  it('fails under CI=true when a file is missing, naming it', () => {
    process.env.CI = 'true';
    expect(() => sharedFiles('data/no-such-set/none.csv')).toThrow(/missing from \.\.\/shared .*data\/no-such-set\/none\.csv.*CI=true/);
  });

  it('skips with a message elsewhere', () => {
    delete process.env.CI;
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect(sharedFiles('reference', 'data/no-such-set/none.csv')).toEqual({ present: false, paths: [path.join(SHARED_DIR, 'reference'), path.join(SHARED_DIR, 'data/no-such-set/none.csv')] });
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/no-such-set\/none\.csv: skipping/));
  });

  it('resolves ../shared beside the repository', () => {
    expect(SHARED_DIR).toBe(path.resolve(import.meta.dirname, '../../shared'));
  });

  it('reads CI the way CI services set it', () => {
    expect([undefined, '', '0', 'false', 'FALSE'].map(isCi)).toEqual([false, false, false, false, false]);
    expect(['true', '1', 'yes'].map(isCi)).toEqual([true, true, true]);
  });
});
