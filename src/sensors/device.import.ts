import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import type { Ctx } from '../context.js';
import { AppError, isAppError } from '../errors.js';
import { registerDevice, updateDevice, DEVICE_STATUSES, type DeviceInput, type DeviceStatus } from './device.service.js';

const COLUMNS = ['id', 'kind', 'lon', 'lat', 'name', 'department', 'status', 'reach'] as const;

/**
 * Parses a device CSV: a header naming at least id, kind, lon, lat (optional name, department,
 * status, reach), one device per record (csv-parse: quoted fields may hold commas, quotes and line
 * breaks). Throws import_failed naming the file line of the first bad record.
 */
export function parseDeviceCsv(text: string): (DeviceInput & { line: number })[] {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    // info: the line each record ends on, so that problems name file lines (blank lines skipped).
    // Line ends are made \n first: csv-parse counts a CRLF inside a quoted field as two lines.
    records = parse(text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n'), { skip_empty_lines: true, relax_column_count: true, trim: true, info: true }) as unknown as typeof records;
  } catch (err) {
    const line = (err as { lines?: number }).lines;
    throw new AppError('import_failed', `not a readable CSV: ${(err as Error).message}`, line ? { line } : {});
  }
  if (records.length === 0) throw new AppError('import_failed', 'the CSV is empty');
  const header = records[0].record.map((h) => h.toLowerCase());
  for (const need of ['id', 'kind', 'lon', 'lat']) if (!header.includes(need)) throw new AppError('import_failed', `the header must name ${need}`, { line: 1 });
  const unknown = header.filter((h) => !(COLUMNS as readonly string[]).includes(h));
  if (unknown.length) throw new AppError('import_failed', `unknown columns: ${unknown.join(', ')}`, { line: 1 });
  return records.slice(1).map(({ record: cells, info }) => {
    const line = info.lines;
    const get = (name: string) => cells[header.indexOf(name)] ?? '';
    const lon = Number(get('lon'));
    const lat = Number(get('lat'));
    const status = get('status') || 'active';
    if (get('lon') === '' || get('lat') === '' || !Number.isFinite(lon) || !Number.isFinite(lat)) throw new AppError('import_failed', `line ${line}: lon and lat must be numbers`, { line });
    if (!(DEVICE_STATUSES as readonly string[]).includes(status)) throw new AppError('import_failed', `line ${line}: status must be one of ${DEVICE_STATUSES.join(', ')}`, { line });
    return { id: get('id'), kind: get('kind'), lon, lat, name: get('name') || undefined, departmentCode: get('department') || null, status: status as DeviceStatus, ...(header.includes('reach') ? { reachCode: get('reach') || null } : {}), line };
  });
}

/**
 * `gridloop import-devices <file.csv>`: registers new devices and updates known ones (place, name,
 * department, status). Each line is its own write; a bad line is reported and the rest go on.
 */
export async function importDevicesCsv(ctx: Ctx, file: string): Promise<{ created: number; updated: number; failed: { line: number; error: string }[] }> {
  const rows = parseDeviceCsv(await readFile(file, 'utf8'));
  const report = { created: 0, updated: 0, failed: [] as { line: number; error: string }[] };
  for (const { line, ...row } of rows) {
    try {
      await registerDevice(ctx, row);
      report.created++;
    } catch (err) {
      if (isAppError(err) && err.code === 'already_exists') {
        const { id, kind: _kind, ...patch } = row;
        try {
          await updateDevice(ctx, id, patch);
          report.updated++;
          continue;
        } catch (again) {
          err = again;
        }
      }
      report.failed.push({ line, error: isAppError(err) ? `${err.code}: ${err.message}` : String(err) });
    }
  }
  return report;
}
