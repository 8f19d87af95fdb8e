import { loadOpen311Settings } from '../open311/open311.settings.js';

/** The citizen portal's limits. Anonymous callers share Open311's per-address request budget. */
export interface PortalLimits {
  /** Requests per minute per address (anonymous) or per user (signed in): OPEN311_RATE_PER_IP. */
  perMinute: number;
  /** Wrong tracking guesses allowed per case number, and per address, within `guessWindowMs`. */
  guessesPerNumber: number;
  guessesPerAddress: number;
  guessWindowMs: number;
  /** Photos one report's upload token may add, and for how long after the report. */
  photoLimit: number;
  uploadMinutes: number;
}

/** Reads the portal's limits once; the request budget is Open311's (OPEN311_RATE_PER_IP). */
export function loadPortalLimits(env: Record<string, string | undefined> = process.env, overrides: Partial<PortalLimits> = {}): PortalLimits {
  return {
    perMinute: loadOpen311Settings(env).perIpPerMinute,
    guessesPerNumber: 5,
    guessesPerAddress: 20,
    guessWindowMs: 15 * 60_000,
    photoLimit: 6,
    uploadMinutes: 60,
    ...overrides,
  };
}
