import { readFile } from 'node:fs/promises';
import type { Ctx } from '../context.js';
import { AppError, isAppError } from '../errors.js';
import { registerDevice, updateDevice, DEVICE_STATUSES, type DeviceInput, type DeviceStatus } from './device.service.js';

const COLUMNS = ['id', 'kind', 'lon', 'lat', 'name', 'department', 'status'] as const;

/** Splits one CSV line (RFC 4180 quoting, no line breaks inside fields). */
export function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') { field += '"'; i++; } else if (c === '"') quoted = false; else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { out.push(field); field = ''; } else field += c;
  }
  out.push(field);
  return out.map((f) => f.trim());
}

/**
 * Parses a device CSV: a header naming at least id, kind, lon, lat (optional name, department,
 * status), one device per line. Throws import_failed naming the first bad line.
 */
export function parseDeviceCsv(text: string): DeviceInput[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.length === 0) throw new AppError('import_failed', 'the CSV is empty');
  const header = splitCsvLine(lines[0]).map((h) => h.toLowerCase());
  for (const need of ['id', 'kind', 'lon', 'lat']) if (!header.includes(need)) throw new AppError('import_failed', `the header must name ${need}`, { line: 1 });
  const unknown = header.filter((h) => !(COLUMNS as readonly string[]).includes(h));
  if (unknown.length) throw new AppError('import_failed', `unknown columns: ${unknown.join(', ')}`, { line: 1 });
  return lines.slice(1).map((line, i) => {
    const cells = splitCsvLine(line);
    const get = (name: string) => cells[header.indexOf(name)] ?? '';
    const lon = Number(get('lon'));
    const lat = Number(get('lat'));
    const status = get('status') || 'active';
    if (get('lon') === '' || get('lat') === '' || !Number.isFinite(lon) || !Number.isFinite(lat)) throw new AppError('import_failed', `line ${i + 2}: lon and lat must be numbers`, { line: i + 2 });
    if (!(DEVICE_STATUSES as readonly string[]).includes(status)) throw new AppError('import_failed', `line ${i + 2}: status must be one of ${DEVICE_STATUSES.join(', ')}`, { line: i + 2 });
    return { id: get('id'), kind: get('kind'), lon, lat, name: get('name') || undefined, departmentCode: get('department') || null, status: status as DeviceStatus };
  });
}

/**
 * `gridloop import-devices <file.csv>`: registers new devices and updates known ones (place, name,
 * department, status). Each line is its own write; a bad line is reported and the rest go on.
 */
export async function importDevicesCsv(ctx: Ctx, file: string): Promise<{ created: number; updated: number; failed: { line: number; error: string }[] }> {
  const rows = parseDeviceCsv(await readFile(file, 'utf8'));
  const report = { created: 0, updated: 0, failed: [] as { line: number; error: string }[] };
  for (const [i, row] of rows.entries()) {
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
      report.failed.push({ line: i + 2, error: isAppError(err) ? `${err.code}: ${err.message}` : String(err) });
    }
  }
  return report;
}
