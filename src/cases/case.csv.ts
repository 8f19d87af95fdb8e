import { setImmediate as nextTurn } from 'node:timers/promises';
import type { CaseRow } from './case.repository.js';
import { presentCaseSummary } from './case.presenter.js';

const COLUMNS: [string, (c: ReturnType<typeof presentCaseSummary>) => unknown][] = [
  ['number', (c) => c.number],
  ['status', (c) => c.status],
  ['status_label', (c) => c.statusLabel],
  ['category', (c) => c.categoryCode],
  ['class', (c) => c.classCode],
  ['channel', (c) => c.channel],
  ['description', (c) => c.description],
  ['address', (c) => c.address],
  ['lon', (c) => c.lon],
  ['lat', (c) => c.lat],
  ['grid', (c) => c.grid.code],
  ['community', (c) => c.communityCode],
  ['street', (c) => c.streetCode],
  ['district', (c) => c.districtCode],
  ['department_id', (c) => c.departmentId],
  ['priority', (c) => c.priority],
  ['deadline', (c) => c.deadline],
  ['light', (c) => c.light],
  ['reporter_name', (c) => c.reporter.name],
  ['reporter_phone', (c) => c.reporter.phone],
  ['created_at', (c) => c.createdAt],
  ['closed_at', (c) => c.closedAt],
];

/**
 * One CSV field: quoted when it holds a comma, quote or line break; a text starting with = + - @
 * (or a tab or CR) gets a leading apostrophe so that spreadsheets show it instead of running it.
 */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One case as a CSV record (with its CRLF), personal data masked as in lists. */
function csvRecord(row: CaseRow): string {
  const c = presentCaseSummary(row);
  return `${COLUMNS.map(([, get]) => csvField(get(c))).join(',')}\r\n`;
}

/** Characters per chunk: a few hundred records, a few milliseconds of work. */
const CHUNK_CHARS = 64 * 1024;

/**
 * Cases as CSV text, chunk by chunk: a UTF-8 BOM (so that Excel reads Chinese as UTF-8), the
 * header row, then one record per case as the rows arrive (RFC 4180: CRLF, quoted when needed).
 * Lets the event loop turn after every chunk: better-sqlite3 answers synchronously, and writes to
 * a client that keeps up complete synchronously too, so without the turn one export would hold
 * the server (every other request, timers, the live feed) until its last row.
 */
export async function* casesCsv(rows: AsyncIterable<CaseRow>): AsyncGenerator<string> {
  yield `\uFEFF${COLUMNS.map(([name]) => name).join(',')}\r\n`;
  let chunk = '';
  for await (const row of rows) {
    chunk += csvRecord(row);
    if (chunk.length >= CHUNK_CHARS) {
      yield chunk;
      chunk = '';
      await nextTurn();
    }
  }
  if (chunk) yield chunk;
}
