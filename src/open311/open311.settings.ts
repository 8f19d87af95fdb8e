import type { Setting } from '../config.js';
import { AppError } from '../errors.js';

/** The Open311 adapter's own settings: limits, discovery text and the public base URL. */
export interface Open311Settings {
  /** Base URL clients use, e.g. https://city.example/open311/v2; derived from the request when unset. */
  publicBaseUrl: string | null;
  /** Discovery `contact` and `key_service` texts. */
  contact: string;
  keyService: string;
  /** Requests per minute per API key, and per IP address for callers without a key. */
  perKeyPerMinute: number;
  perIpPerMinute: number;
  /** GET /requests without paging: at most this many (spec default 1000). */
  maxRequests: number;
  /** Largest page_size (Chicago: 500) and the default when only `page` is given. */
  maxPageSize: number;
  defaultPageSize: number;
  /** The default and largest start_date … end_date window, in days (spec: 90). */
  windowDays: number;
  /** Other names clients may use as jurisdiction_id (e.g. the city's domain), by org code. */
  jurisdictionAliases: Record<string, string>;
}

export const DEFAULT_OPEN311_SETTINGS: Open311Settings = {
  publicBaseUrl: null,
  contact: 'Gridloop city operations centre (网格化服务管理中心)',
  keyService: 'Ask the city administrator for an API key: POST /api/v1/api-keys or `gridloop apikey create --name NAME`.',
  perKeyPerMinute: 600,
  perIpPerMinute: 600,
  maxRequests: 1000,
  maxPageSize: 500,
  defaultPageSize: 50,
  windowDays: 90,
  jurisdictionAliases: {},
};

/** The adapter's environment variables for the README's configuration table (`npm run docs:config`). */
export const OPEN311_SETTINGS: Record<string, Setting> = {
  OPEN311_BASE_URL: { default: '', shown: '(from the request)', meaning: 'public base URL of the endpoint, e.g. `https://city.example/open311/v2` (set it behind a proxy that rewrites paths)' },
  OPEN311_CONTACT: { default: DEFAULT_OPEN311_SETTINGS.contact, meaning: 'discovery `contact` text' },
  OPEN311_KEY_SERVICE: { default: DEFAULT_OPEN311_SETTINGS.keyService, shown: 'how to ask for a key', meaning: 'discovery `key_service` text: how to get an API key' },
  OPEN311_RATE_PER_KEY: { default: String(DEFAULT_OPEN311_SETTINGS.perKeyPerMinute), meaning: 'requests per minute per API key' },
  OPEN311_RATE_PER_IP: { default: String(DEFAULT_OPEN311_SETTINGS.perIpPerMinute), meaning: 'requests per minute per client address without a key (also the citizen portal\'s budget)' },
  OPEN311_JURISDICTION_ALIASES: { default: '', meaning: 'other names for jurisdiction_id, `alias=code` pairs: `wuhai.gov.cn=150300`' },
};

function positive(env: Record<string, string | undefined>, key: string, fallback: number): number {
  const raw = env[key];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 1_000_000) throw new AppError('config_invalid', `${key} must be a positive integer, got "${raw}"`);
  return n;
}

/** Parses "wuhai.gov.cn=150300,other.example=990100" (alias=code pairs). Throws config_invalid. */
export function parseAliases(text: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of (text ?? '').split(',').map((p) => p.trim()).filter(Boolean)) {
    const m = /^([^=\s]+)=(\d{6})$/.exec(pair);
    if (!m) throw new AppError('config_invalid', `OPEN311_JURISDICTION_ALIASES: "${pair}" is not alias=six-digit-code`);
    out[m[1]] = m[2];
  }
  return out;
}

/**
 * Reads the adapter's settings once: OPEN311_BASE_URL, OPEN311_CONTACT, OPEN311_KEY_SERVICE,
 * OPEN311_RATE_PER_KEY and OPEN311_RATE_PER_IP (requests per minute), and
 * OPEN311_JURISDICTION_ALIASES. Throws config_invalid.
 */
export function loadOpen311Settings(env: Record<string, string | undefined> = process.env, overrides: Partial<Open311Settings> = {}): Open311Settings {
  const base = env.OPEN311_BASE_URL?.replace(/\/+$/, '') || null;
  if (base && !/^https?:\/\//.test(base)) throw new AppError('config_invalid', 'OPEN311_BASE_URL must start with http:// or https://');
  return {
    ...DEFAULT_OPEN311_SETTINGS,
    publicBaseUrl: base,
    contact: env.OPEN311_CONTACT || DEFAULT_OPEN311_SETTINGS.contact,
    keyService: env.OPEN311_KEY_SERVICE || DEFAULT_OPEN311_SETTINGS.keyService,
    perKeyPerMinute: positive(env, 'OPEN311_RATE_PER_KEY', DEFAULT_OPEN311_SETTINGS.perKeyPerMinute),
    perIpPerMinute: positive(env, 'OPEN311_RATE_PER_IP', DEFAULT_OPEN311_SETTINGS.perIpPerMinute),
    jurisdictionAliases: parseAliases(env.OPEN311_JURISDICTION_ALIASES),
    ...overrides,
  };
}
