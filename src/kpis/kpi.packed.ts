/**
 * Packed counts: a histogram kept in one column as a JSON object {"cell": count} (duration buckets
 * of a roll-up key, report hours of a unit's day or month). SQLite hands the column back as text,
 * PostgreSQL (jsonb) already parsed; both read through `addUnpacked`.
 */

/** The JSON text of cell counts (cells with a zero count left out); null when all are zero. */
export function packCells(counts: Readonly<Record<number, number>>): string | null {
  let cells: Record<number, number> | null = null;
  for (const key in counts) {
    if (counts[key] === 0) {
      cells ??= { ...counts };
      delete cells[key];
    }
  }
  const text = JSON.stringify(cells ?? counts);
  // Integer keys serialise in ascending order, so equal histograms have equal text.
  return text === '{}' ? null : text;
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
