import { describe, expect, it } from 'vitest';
import { FailureWindow } from './failure-window.js';

describe('FailureWindow', () => {
  it('locks a key after the maximum failures in the window and frees it when they age out', () => {
    const t = new FailureWindow(3, 60_000);
    for (const at of [0, 10_000, 20_000]) {
      expect(() => t.check('a', at)).not.toThrow();
      t.failed('a', at);
    }
    expect(() => t.check('a', 30_000)).toThrow(expect.objectContaining({ code: 'too_many_requests', details: { retryAfterSeconds: 30 } }));
    expect(() => t.check('b', 30_000)).not.toThrow();
    expect(() => t.check('a', 60_001)).not.toThrow();
  });

  it('forgets failures on success', () => {
    const t = new FailureWindow(2, 60_000);
    t.failed('a', 0);
    t.succeeded('a');
    t.failed('a', 1);
    expect(() => t.check('a', 2)).not.toThrow();
  });
});
