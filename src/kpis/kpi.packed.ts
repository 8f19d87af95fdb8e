/**
 * Packed counts: a histogram kept in one column as a JSON object {"cell": count} (duration buckets
 * of a roll-up key, report hours of a unit's day or month). SQLite hands the column back as text,
 * PostgreSQL (jsonb) already parsed; both read through `addUnpacked`.
 */

/**
 * The JSON text of cell counts given as flat (cell, count) pairs, cells in ascending order (so
 * equal histograms have equal text), zero counts left out; null when all are zero.
 */
export function packCells(pairs: readonly number[]): string | null {
  const order: number[] = [];
  for (let i = 0; i < pairs.length; i += 2) if (pairs[i + 1] !== 0) order.push(i);
  if (order.length === 0) return null;
  if (order.length > 1) order.sort((a, b) => pairs[a] - pairs[b]);
  let text = '{';
  for (let k = 0; k < order.length; k++) text += `${k ? ',' : ''}"${pairs[order[k]]}":${pairs[order[k] + 1]}`;
  return `${text}}`;
}

/** Adds the counts of a packed column value (text, parsed object or null) into `into`, per cell. */
export function addUnpacked(into: Map<number, number>, packed: unknown): void {
  if (packed === null || packed === undefined) return;
  const cells = (typeof packed === 'string' ? JSON.parse(packed) : packed) as Record<string, number | string>;
  for (const key in cells) {
    const cell = Number(key);
    into.set(cell, (into.get(cell) ?? 0) + Number(cells[key]));
  }
}
