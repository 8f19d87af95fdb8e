import { AppError } from '../errors.js';

/**
 * Keyset cursors of the case list: where the previous page ended (the last row's sort value and
 * id) and under which order, as an opaque URL-safe token. Page 5,000 then costs what page 1 costs:
 * the next page starts at an index position instead of skipping rows with OFFSET.
 */
export interface CaseCursor {
  /** The list order the cursor belongs to (a CASE_SORTS value, "-createdAt" by default). */
  sort: string;
  /** The sort column's value in the last row (null when that row had none). */
  value: string | number | null;
  id: number;
}

const VERSION = 1;

export function encodeCursor(c: CaseCursor): string {
  return Buffer.from(JSON.stringify([VERSION, c.sort, c.value, c.id]), 'utf8').toString('base64url');
}

/**
 * Reads a cursor made by encodeCursor for the same order. Throws validation_failed (field
 * `cursor`) for anything else: a damaged token, another version, or another order.
 */
export function decodeCursor(text: string, sort: string): CaseCursor {
  const bad = (why: string) => new AppError('validation_failed', `cursor ${why}: pass the nextCursor of the previous page with the same sort`, { field: 'cursor' });
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw bad('is not a cursor');
  }
  if (!Array.isArray(parsed) || parsed.length !== 4 || parsed[0] !== VERSION) throw bad('is not a cursor');
  const [, cursorSort, value, id] = parsed as [number, unknown, unknown, unknown];
  if (typeof cursorSort !== 'string' || !(value === null || typeof value === 'string' || typeof value === 'number') || !Number.isSafeInteger(id) || (id as number) < 1) throw bad('is not a cursor');
  if (cursorSort !== sort) throw bad(`belongs to the order "${cursorSort}", not "${sort}"`);
  return { sort: cursorSort, value, id: id as number };
}
