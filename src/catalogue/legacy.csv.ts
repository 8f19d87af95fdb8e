import { parse } from 'csv-parse/sync';

/** One line of a legacy-code mapping file: scheme, legacy code (and name), current category code, note. */
export interface LegacyMappingLine {
  line: number;
  scheme: string;
  legacyCode: string;
  legacyName: string | null;
  categoryCode: string;
  note: string | null;
}

export interface LegacyCsvProblem {
  line: number;
  message: string;
}

const REQUIRED = ['scheme', 'legacy_code', 'category_code'] as const;
const KNOWN = new Set(['scheme', 'legacy_code', 'legacy_name', 'category_code', 'note']);
const CODE = /^[A-Za-z0-9_.\-/]{1,40}$/;

/**
 * Parses a legacy-code mapping CSV (header `scheme,legacy_code,legacy_name,category_code,note`;
 * legacy_name and note optional). Pure: returns the lines and every problem, by line number
 * (the header is line 1). A file that is not CSV at all is one problem on line 1.
 */
export function parseLegacyCsv(text: string): { lines: LegacyMappingLine[]; problems: LegacyCsvProblem[] } {
  let records: string[][];
  try {
    records = parse(text.replace(/^\uFEFF/, ''), { skip_empty_lines: true, relax_column_count: true, trim: true }) as string[][];
  } catch (err) {
    return { lines: [], problems: [{ line: 1, message: `not a readable CSV: ${(err as Error).message}` }] };
  }
  const header = (records[0] ?? []).map((h) => h.toLowerCase());
  const problems: LegacyCsvProblem[] = [];
  for (const h of REQUIRED) if (!header.includes(h)) problems.push({ line: 1, message: `the header lacks column ${h}` });
  for (const h of header) if (!KNOWN.has(h)) problems.push({ line: 1, message: `unknown column ${h} (known: ${[...KNOWN].join(', ')})` });
  if (problems.length > 0) return { lines: [], problems };
  const at = (row: string[], name: string) => row[header.indexOf(name)]?.trim() ?? '';
  const lines: LegacyMappingLine[] = [];
  const seen = new Map<string, number>();
  records.slice(1).forEach((row, i) => {
    const line = i + 2;
    const entry = { line, scheme: at(row, 'scheme'), legacyCode: at(row, 'legacy_code'), legacyName: at(row, 'legacy_name') || null, categoryCode: at(row, 'category_code'), note: at(row, 'note') || null };
    if (!entry.scheme || entry.scheme.length > 60) problems.push({ line, message: 'scheme must be 1–60 characters' });
    if (!CODE.test(entry.legacyCode)) problems.push({ line, message: `legacy_code "${entry.legacyCode}" must be 1–40 letters, digits, "_", ".", "-" or "/"` });
    if (!CODE.test(entry.categoryCode)) problems.push({ line, message: `category_code "${entry.categoryCode}" is not a category code` });
    const key = `${entry.scheme}\u0000${entry.legacyCode}`;
    if (seen.has(key)) problems.push({ line, message: `${entry.scheme} ${entry.legacyCode} is mapped twice (also line ${seen.get(key)})` });
    seen.set(key, line);
    lines.push(entry);
  });
  return { lines, problems };
}
