import { AppError } from '../errors.js';

/**
 * Brute-force protection for password login: after `maxFailures` failed attempts for one
 * (address, user name) within `windowMs`, further attempts are refused with too_many_requests
 * until the window has passed (the citizen portal's tracking-number guesses use it too). Successful logins are never counted, so a client that logs in
 * often is not locked out; a success clears the failures of its key. In memory, per process.
 */
export class LoginThrottle {
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
