import { AppError } from '../errors.js';

/**
 * A plain failure window: after `maxFailures` failures for one key within `windowMs`, further
 * attempts are refused with too_many_requests until the oldest failure ages out; a success clears
 * the key. Used where locking a key out is the point (guessing the citizen portal's tracking
 * numbers); password login uses LoginThrottle, which never locks out a correct password.
 * In memory, per process.
 */
export class FailureWindow {
  private readonly failures = new Map<string, number[]>();

  constructor(private readonly maxFailures = 10, private readonly windowMs = 15 * 60_000, private readonly message = 'too many failed logins; try again later') {}

  /** Throws too_many_requests (with retryAfterSeconds in details) when `key` is locked at `now`. */
  check(key: string, now: number): void {
    const recent = this.recent(key, now);
    if (recent.length >= this.maxFailures) {
      const retryAfterSeconds = Math.max(1, Math.ceil((recent[0] + this.windowMs - now) / 1000));
      throw new AppError('too_many_requests', this.message, { retryAfterSeconds });
    }
  }

  failed(key: string, now: number): void {
    const recent = this.recent(key, now);
    recent.push(now);
    this.failures.set(key, recent);
    if (this.failures.size > 100_000) this.prune(now);
  }

  succeeded(key: string): void {
    this.failures.delete(key);
  }

  private recent(key: string, now: number): number[] {
    return (this.failures.get(key) ?? []).filter((t) => t > now - this.windowMs);
  }

  private prune(now: number): void {
    for (const [key, times] of this.failures) if (!times.some((t) => t > now - this.windowMs)) this.failures.delete(key);
  }
}
