import type { Permission } from './policy.js';

/**
 * What an API key may be used for. A key acts with its role's permissions, cut down to those its
 * scopes grant (auth/policy.ts). Whatever its scopes, a key never sees a private case or a
 * reporter's personal data (no scope grants `case.read_personal`; cases/case.scope.ts).
 */
export const API_SCOPES = ['open311', 'cases:read', 'cases:write', 'readings:write', 'org:read'] as const;
export type ApiScope = (typeof API_SCOPES)[number];

/** A new key without explicit scopes: enough for an Open311 client (FixMyStreet, a 311 app), nothing more. */
export const DEFAULT_API_SCOPES: readonly ApiScope[] = ['open311'];

/** Scopes given to keys that existed before scopes did (migration 2026-11-29T2130): what they could do then. */
export const LEGACY_API_SCOPES: readonly ApiScope[] = ['open311', 'cases:read', 'cases:write', 'org:read'];

/** The permissions each scope grants (still subject to the key's role). Reference data comes with every scope. */
export const SCOPE_GRANTS: Record<ApiScope, readonly Permission[]> = {
  /** Open311 GeoReport v2: POST requests (any service) and servicerequestupdates. */
  open311: ['catalogue.read', 'open311.submit'],
  /** /api/v1 case list, CSV, detail, timeline, duplicates, attachments: public (non-private) cases in the key's area. */
  'cases:read': ['catalogue.read', 'case.read'],
  /** /api/v1 POST /cases, transitions its role allows, attachment uploads: cases in the key's area. */
  'cases:write': ['catalogue.read', 'case.create', 'case.write'],
  /** Sensor readings and alarms: Open311 POST requests to batch (IoT) services only. */
  'readings:write': ['catalogue.read', 'reading.write'],
  /** The org units and grids of the key's area. */
  'org:read': ['catalogue.read', 'org.read'],
};

export function isApiScope(value: string): value is ApiScope {
  return (API_SCOPES as readonly string[]).includes(value);
}

/** Stored form of a key's scopes: space-separated, in the catalogue's order. */
export function formatScopes(scopes: readonly ApiScope[]): string {
  return API_SCOPES.filter((s) => scopes.includes(s)).join(' ');
}

/** A comma- or space-separated list as typed on a command line ("open311,cases:read"). */
export function splitList(text: string): string[] {
  return text.split(/[\s,]+/).filter(Boolean);
}

/** Reads a stored scope list, ignoring names this version does not know (never widening a key). */
export function parseScopes(stored: string): ApiScope[] {
  return splitList(stored).filter(isApiScope);
}
