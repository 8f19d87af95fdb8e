import { sql, type Expression, type RawBuilder } from 'kysely';
import type { DialectName } from './database.js';

/**
 * The few places where SQLite and PostgreSQL differ, chosen once at startup.
 * Everything else is portable SQL through Kysely.
 */
export interface DialectHelper {
  name: DialectName;
  /**
   * Case-insensitive LIKE (SQLite's LIKE already is, for ASCII) with `\` as the escape character:
   * build `pattern` with likeContains so that `%` and `_` in user text match only themselves.
   */
  ilike(column: Expression<string | null>, pattern: string): RawBuilder<boolean>;
}

export function dialectHelper(name: DialectName): DialectHelper {
  return {
    name,
    ilike: (column, pattern) =>
      name === 'postgres' ? sql<boolean>`${column} ILIKE ${pattern} ESCAPE '\\'` : sql<boolean>`${column} LIKE ${pattern} ESCAPE '\\'`,
  };
}

/** A LIKE pattern matching `text` anywhere, its wildcards escaped: pass it to `DialectHelper.ilike` only. */
export function likeContains(text: string): string {
  return `%${text.replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
}

/** The half-open range of materialised paths under `path` (paths end with '/', '0' sorts right after '/'). */
export function subtreeRange(path: string): { from: string; to: string } {
  return { from: path, to: path.slice(0, -1) + '0' };
}
