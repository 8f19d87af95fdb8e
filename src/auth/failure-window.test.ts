import { describe, expect, it } from 'vitest';
import { FailureWindow } from './failure-window.js';

describe('FailureWindow', () => {
  it('locks a key after the maximum failures in the window and frees it when they age out', async () => {
    const t = new FailureWindow(3, 60_000);
    for (const at of [0, 10_000, 20_000]) {
      await expect(t.check('a', at)).resolves.toBeUndefined();
      await t.failed('a', at);
    }
    await expect(t.check('a', 30_000)).rejects.toMatchObject({ code: 'too_many_requests', details: { retryAfterSeconds: 30 } });
    await expect(t.check('b', 30_000)).resolves.toBeUndefined();
    await expect(t.check('a', 60_001)).resolves.toBeUndefined();
  });

  it('forgets failures on success', async () => {
    const t = new FailureWindow(2, 60_000);
    await t.failed('a', 0);
    await t.succeeded('a');
    await t.failed('a', 1);
    await expect(t.check('a', 2)).resolves.toBeUndefined();
  });
});
