import { describe, expect, it } from 'vitest';
import { LoginThrottle, type ThrottleRules } from './login-throttle.js';

// Small numbers: 3 failures per (address, user), 5 per user overall, 1 s backoff doubling to 8 s.
const RULES: ThrottleRules = { maxFailures: 3, userMaxFailures: 5, windowMs: 60_000, baseDelayMs: 1_000, maxDelayMs: 8_000, knownAddressMs: 3_600_000 };
const refused = async (t: LoginThrottle, address: string, user: string, at: number) => {
  try {
    await t.check(address, user, at);
    return null;
  } catch (err) {
    return (err as { code: string; details: { retryAfterSeconds: number } });
  }
};

describe('LoginThrottle', () => {
  it('checks every attempt normally below the limit', async () => {
    const t = new LoginThrottle(RULES);
    for (const at of [0, 1, 2]) {
      expect(await refused(t, 'A', 'u', at)).toBeNull();
      await t.failed('A', 'u', at);
    }
  });

  it('after the limit makes the pair wait 1 s after its last failure, doubling per failure up to the cap', async () => {
    const t = new LoginThrottle(RULES);
    for (const at of [0, 1, 2]) await t.failed('A', 'u', at);
    expect(await refused(t, 'A', 'u', 500)).toMatchObject({ code: 'too_many_requests', details: { retryAfterSeconds: 1 } });
    expect(await refused(t, 'A', 'u', 1_002)).toBeNull(); // the slower path: this attempt is checked
    await t.failed('A', 'u', 1_002);
    expect(await refused(t, 'A', 'u', 2_500)).toMatchObject({ details: { retryAfterSeconds: 1 } });
    expect(await refused(t, 'A', 'u', 3_002)).toBeNull(); // 2 s after the 4th failure
    await t.failed('A', 'u', 3_002);
    await t.failed('A', 'u', 7_002);
    await t.failed('A', 'u', 15_002);
    // 6 failures: 2^3 s = 8 s is the cap, and stays the cap.
    expect(await refused(t, 'A', 'u', 15_003)).toMatchObject({ details: { retryAfterSeconds: 8 } });
    await t.failed('A', 'u', 23_002);
    expect(await refused(t, 'A', 'u', 23_003)).toMatchObject({ details: { retryAfterSeconds: 8 } });
    expect(await refused(t, 'A', 'u', 31_002)).toBeNull();
  });

  it('never refuses another address or another user because of one pair', async () => {
    const t = new LoginThrottle(RULES);
    for (const at of [0, 1, 2]) await t.failed('A', 'u', at);
    expect(await refused(t, 'A', 'u', 3)).not.toBeNull();
    expect(await refused(t, 'B', 'u', 3)).toBeNull();
    expect(await refused(t, 'A', 'v', 3)).toBeNull();
  });

  it('lets an address where the user logged in before skip the backoff', async () => {
    const t = new LoginThrottle(RULES);
    await t.succeeded('HOME', 'u', 0);
    for (let at = 1; at <= 20; at++) await t.failed('HOME', 'u', at);
    expect(await refused(t, 'HOME', 'u', 21)).toBeNull();
    // …until the memory of the success ages out.
    expect(await refused(t, 'HOME', 'u', 3_600_001)).toBeNull(); // the failures have aged out too
    for (let at = 3_600_002; at < 3_600_005; at++) await t.failed('HOME', 'u', at);
    expect(await refused(t, 'HOME', 'u', 3_600_006)).not.toBeNull();
  });

  it('under a distributed guess, each address gets its first attempt, then backs off after one failure', async () => {
    const t = new LoginThrottle(RULES);
    for (let i = 0; i < 5; i++) await t.failed(`bot${i}`, 'u', i);
    expect(await refused(t, 'fresh', 'u', 10)).toBeNull();
    await t.failed('fresh', 'u', 10);
    expect(await refused(t, 'fresh', 'u', 11)).toMatchObject({ details: { retryAfterSeconds: 1 } });
    expect(await refused(t, 'fresh', 'u', 1_010)).toBeNull();
    expect(await refused(t, 'other', 'v', 11)).toBeNull();
  });

  it('forgets a pair\'s failures on success and frees it when they age out', async () => {
    const t = new LoginThrottle(RULES);
    for (const at of [0, 1, 2]) await t.failed('A', 'u', at);
    expect(await refused(t, 'A', 'u', 3)).not.toBeNull();
    expect(await refused(t, 'A', 'u', 60_003)).toBeNull();
    const s = new LoginThrottle({ ...RULES, knownAddressMs: 0 });
    for (const at of [0, 1]) await s.failed('A', 'u', at);
    await s.succeeded('A', 'u', 2);
    await s.failed('A', 'u', 3);
    expect(await refused(s, 'A', 'u', 4)).toBeNull();
  });
});
