import { AppError } from '../errors.js';
import { MemoryEventLog, type EventLog } from '../cluster/shared-limits.js';

/**
 * A plain failure window: after `maxFailures` failures for one key within `windowMs`, further
 * attempts are refused with too_many_requests until the oldest failure ages out; a success clears
 * the key. Used where locking a key out is the point (guessing the citizen portal's tracking
 * numbers); password login uses LoginThrottle, which never locks out a correct password.
 * The failures live in `log` under `name`: in process memory by default, in PostgreSQL when
 * several instances share them (cluster/shared-limits.ts).
 */
export class FailureWindow {
  constructor(
    private readonly maxFailures = 10,
    private readonly windowMs = 15 * 60_000,
    private readonly message = 'too many failed logins; try again later',
    private readonly log: EventLog = new MemoryEventLog(),
    private readonly name = 'failures',
  ) {}

  /** Throws too_many_requests (with retryAfterSeconds in details) when `key` is locked at `now`. */
  async check(key: string, now: number): Promise<void> {
    const recent = await this.log.since(`${this.name}|${key}`, now - this.windowMs);
    if (recent.length >= this.maxFailures) {
      const retryAfterSeconds = Math.max(1, Math.ceil((recent[recent.length - this.maxFailures] + this.windowMs - now) / 1000));
      throw new AppError('too_many_requests', this.message, { retryAfterSeconds });
    }
  }

  async failed(key: string, now: number): Promise<void> {
    await this.log.add(`${this.name}|${key}`, now, this.windowMs);
  }

  async succeeded(key: string): Promise<void> {
    await this.log.clear(`${this.name}|${key}`);
  }
}
