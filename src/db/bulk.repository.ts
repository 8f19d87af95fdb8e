import { CompiledQuery, PostgresAdapter } from 'kysely';
import type { Db } from './database.js';
import { noteRawWrite } from './write-watch.js';

/** SQLite binds at most 32766 parameters per statement; stay under it with room to spare. */
const MAX_PARAMS = 30_000;
const MAX_ROWS = 500;

export interface BulkInsertOptions {
  /** On a row with the same values in these columns, update it instead of failing… */
  conflict?: readonly string[];
  /** …adding the new row's values of these columns to the stored ones. */
  add?: readonly string[];
  /** …and running these further SQL assignments (`"col" = expression`, may name `excluded`). */
  set?: readonly string[];
  /** Columns to read back from the inserted rows, in the order given. */
  returning?: readonly string[];
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;
const texts = new Map<string, string>();

/** The SQL of one multi-row insert (kept per shape: the same text each time, so prepared once). */
function insertText(pg: boolean, table: string, columns: readonly string[], rows: number, opts: BulkInsertOptions): string {
  const key = `${pg}|${table}|${columns.join(',')}|${rows}|${opts.conflict?.join(',')}|${opts.add?.join(',')}|${opts.set?.join(',')}|${opts.returning?.join(',')}`;
  let text = texts.get(key);
  if (text) return text;
  const values: string[] = [];
  let n = 0;
  for (let r = 0; r < rows; r++) values.push(`(${columns.map(() => (pg ? `$${++n}` : '?')).join(', ')})`);
  text = `insert into ${quote(table)} (${columns.map(quote).join(', ')}) values ${values.join(', ')}`;
  if (opts.conflict) {
    text += ` on conflict (${opts.conflict.map(quote).join(', ')}) `;
    const sets = [...(opts.add ?? []).map((c) => `${quote(c)} = ${quote(table)}.${quote(c)} + excluded.${quote(c)}`), ...(opts.set ?? [])];
    text += sets.length ? `do update set ${sets.join(', ')}` : 'do nothing';
  }
  if (opts.returning?.length) text += ` returning ${opts.returning.map(quote).join(', ')}`;
  if (texts.size > 2_000) texts.clear();
  texts.set(key, text);
  return text;
}

/**
 * Inserts many rows given as value arrays (in `columns` order) in multi-row statements, without
 * building a query tree per row: for bulk writers (history import, KPI roll-ups, generators) where
 * compiling the query was costlier than running it. Values must be strings, numbers or null.
 * Returns the `returning` columns of every inserted row, in statement order.
 */
export async function bulkInsert(db: Db, table: string, columns: readonly string[], rows: readonly (readonly unknown[])[], opts: BulkInsertOptions = {}): Promise<Record<string, unknown>[]> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const chunk = Math.max(1, Math.min(MAX_ROWS, Math.floor(MAX_PARAMS / columns.length)));
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < rows.length; i += chunk) {
    const part = rows.slice(i, i + chunk);
    // Sized up front: grown by push, a 30,000-value array left a trail of copies per statement.
    const params: unknown[] = new Array(part.length * columns.length);
    let n = 0;
    for (const row of part) for (let c = 0; c < columns.length; c++) params[n++] = row[c] === undefined ? null : row[c];
    const result = await db.executeQuery(CompiledQuery.raw(insertText(pg, table, columns, part.length, opts), params));
    if (opts.returning?.length) out.push(...(result.rows as Record<string, unknown>[]));
  }
  if (rows.length) noteRawWrite(db, [table]);
  return out;
}
