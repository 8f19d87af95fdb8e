import { AppError } from '../errors.js';

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

const MAX_TRACKED = 100_000;

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
 * - A success clears the pair's failures. State is in memory, per process; a restart forgets it.
 */
export class LoginThrottle {
  private readonly pairFailures = new Map<string, number[]>();
  private readonly userFailures = new Map<string, number[]>();
  private readonly knownAddresses = new Map<string, number>();

  constructor(private readonly rules: ThrottleRules = DEFAULT_THROTTLE_RULES) {}

  /** Throws too_many_requests (details.retryAfterSeconds) when this attempt must wait. */
  check(address: string, username: string, now: number): void {
    const pairKey = `${address}|${username}`;
    const known = this.knownAddresses.get(pairKey);
    if (known !== undefined && known > now - this.rules.knownAddressMs) return;
    const pair = this.recent(this.pairFailures, pairKey, now);
    const underAttack = this.recent(this.userFailures, username, now).length >= this.rules.userMaxFailures;
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
  failed(address: string, username: string, now: number): void {
    this.push(this.pairFailures, `${address}|${username}`, now, this.rules.maxFailures + 40);
    this.push(this.userFailures, username, now, this.rules.userMaxFailures);
  }

  /** Records a success: the pair's failures are cleared and the address becomes known for the user. */
  succeeded(address: string, username: string, now: number): void {
    const pairKey = `${address}|${username}`;
    this.pairFailures.delete(pairKey);
    this.knownAddresses.set(pairKey, now);
    if (this.knownAddresses.size > MAX_TRACKED) this.prune(now);
  }

  private recent(map: Map<string, number[]>, key: string, now: number): number[] {
    return (map.get(key) ?? []).filter((t) => t > now - this.rules.windowMs);
  }

  private push(map: Map<string, number[]>, key: string, now: number, keep: number): void {
    const times = this.recent(map, key, now);
    times.push(now);
    map.set(key, times.slice(-keep));
    if (map.size > MAX_TRACKED) this.prune(now);
  }

  private prune(now: number): void {
    for (const map of [this.pairFailures, this.userFailures]) {
      for (const [key, times] of map) if (!times.some((t) => t > now - this.rules.windowMs)) map.delete(key);
    }
    for (const [key, at] of this.knownAddresses) if (at <= now - this.rules.knownAddressMs) this.knownAddresses.delete(key);
  }
}
