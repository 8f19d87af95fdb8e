import { sql, type Expression, type RawBuilder } from 'kysely';
import type { DialectName } from './database.js';

/**
 * The few places where SQLite and PostgreSQL differ, chosen once at startup.
 * Everything else is portable SQL through Kysely.
 */
export interface DialectHelper {
  name: DialectName;
  /** Case-insensitive substring match (LIKE on SQLite is already case-insensitive for ASCII). */
  ilike(column: Expression<string | null>, pattern: string): RawBuilder<boolean>;
}

export function dialectHelper(name: DialectName): DialectHelper {
  return {
    name,
    ilike: (column, pattern) =>
      name === 'postgres' ? sql<boolean>`${column} ILIKE ${pattern}` : sql<boolean>`${column} LIKE ${pattern}`,
  };
}

/** Escapes LIKE wildcards in user text; use with `ESCAPE '\'`-free patterns via this helper only. */
export function likeContains(text: string): string {
  return `%${text.replace(/[%_\\]/g, '')}%`;
}

/** The half-open range of materialised paths under `path` (paths end with '/', '0' sorts right after '/'). */
export function subtreeRange(path: string): { from: string; to: string } {
  return { from: path, to: path.slice(0, -1) + '0' };
}
