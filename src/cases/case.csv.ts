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

/** One CSV field: quoted when needed; a leading = + - @ is defused so spreadsheets do not run it. */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Cases as CSV (UTF-8 with BOM for spreadsheets), personal data masked as in lists. */
export function casesToCsv(rows: CaseRow[]): string {
  const lines = [COLUMNS.map(([name]) => name).join(',')];
  for (const row of rows) {
    const c = presentCaseSummary(row);
    lines.push(COLUMNS.map(([, get]) => csvField(get(c))).join(','));
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
