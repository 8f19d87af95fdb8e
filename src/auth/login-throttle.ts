import { AppError } from '../errors.js';
import { MemoryEventLog, type EventLog } from '../cluster/shared-limits.js';

/** The numbers of the login throttle (defaults in DEFAULT_THROTTLE_RULES). */
export interface ThrottleRules {
  /** Failed attempts of one (address, user name) within the window before the backoff starts. */
  maxFailures: number;
  /** Failed attempts for one user name from all addresses within the window before every address backs off. */
  userMaxFailures: number;
  windowMs: number;
  /** The first backoff; it doubles with each further failure, up to maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** How long an address where the user logged in successfully stays "known" (skips the backoff). */
  knownAddressMs: number;
}

export const DEFAULT_THROTTLE_RULES: ThrottleRules = {
  maxFailures: 10,
  userMaxFailures: 50,
  windowMs: 15 * 60_000,
  baseDelayMs: 2_000,
  maxDelayMs: 60_000,
  knownAddressMs: 30 * 24 * 3600_000,
};

/**
 * Brute-force protection for password login that never locks a user out of a correct password.
 *
 * - Failures are counted per (client address, user name) and per user name over all addresses.
 * - Below the limits every attempt is checked normally.
 * - After `maxFailures` failures of one (address, user name), that pair backs off: its next attempt
 *   is accepted only `baseDelayMs` after its last failure, doubling per further failure up to
 *   `maxDelayMs`; an attempt inside the backoff is refused with too_many_requests before the
 *   password is looked at (no oracle). An attempt after the backoff with the right password succeeds.
 * - After `userMaxFailures` failures for a user name from anywhere (a distributed guess), every
 *   address backs off after its own first failure; a first attempt from an address is always checked.
 * - An address where the user has logged in successfully within `knownAddressMs` skips the
 *   backoff altogether, so an attacker elsewhere cannot slow the user down at their usual place.
 * - A success clears the pair's failures. The counts live in `log`: in process memory by default
 *   (a restart forgets them), in PostgreSQL when several instances share them (cluster/shared-limits.ts).
 */
export class LoginThrottle {
  constructor(private readonly rules: ThrottleRules = DEFAULT_THROTTLE_RULES, private readonly log: EventLog = new MemoryEventLog()) {}

  /** Throws too_many_requests (details.retryAfterSeconds) when this attempt must wait. */
  async check(address: string, username: string, now: number): Promise<void> {
    const pairKey = `${address}|${username}`;
    if ((await this.log.since(`login-known|${pairKey}`, now - this.rules.knownAddressMs)).length > 0) return;
    const pair = await this.log.since(`login-pair|${pairKey}`, now - this.rules.windowMs);
    const underAttack = (await this.log.since(`login-user|${username}`, now - this.rules.windowMs)).length >= this.rules.userMaxFailures;
    const threshold = underAttack ? 1 : this.rules.maxFailures;
    if (pair.length < threshold) return;
    const excess = Math.min(pair.length - threshold, 30);
    const delay = Math.min(this.rules.maxDelayMs, this.rules.baseDelayMs * 2 ** excess);
    const wait = pair[pair.length - 1] + delay - now;
    if (wait > 0) {
      throw new AppError('too_many_requests', 'too many failed logins from this address; wait before trying again', { retryAfterSeconds: Math.ceil(wait / 1000) });
    }
  }

  /** Records a failed attempt at `now`. */
  async failed(address: string, username: string, now: number): Promise<void> {
    await this.log.add(`login-pair|${address}|${username}`, now, this.rules.windowMs);
    await this.log.add(`login-user|${username}`, now, this.rules.windowMs);
  }

  /** Records a success: the pair's failures are cleared and the address becomes known for the user. */
  async succeeded(address: string, username: string, now: number): Promise<void> {
    const pairKey = `${address}|${username}`;
    await this.log.clear(`login-pair|${pairKey}`);
    await this.log.clear(`login-known|${pairKey}`);
    await this.log.add(`login-known|${pairKey}`, now, this.rules.knownAddressMs);
  }
}
