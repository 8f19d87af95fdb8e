import { readFile } from 'node:fs/promises';
import path from 'node:path';
import * as shapefile from 'shapefile';
import { AppError } from '../errors.js';

const CODE_PAGES: Record<string, string> = { '936': 'gbk', cp936: 'gbk', gb2312: 'gbk', '65001': 'utf-8', utf8: 'utf-8' };

async function readOptional(file: string): Promise<Buffer | null> {
  try {
    return await readFile(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

async function readRequired(file: string): Promise<Buffer> {
  const data = await readOptional(file).catch(() => null);
  if (!data) throw new AppError('import_failed', `cannot read ${file}`, { file });
  return data;
}

/** The DBF text encoding: the caller's choice, else the .cpg beside the file, else UTF-8. */
function dbfEncoding(cpg: Buffer | null, override?: string): string {
  if (override) return override;
  const declared = cpg?.toString('ascii').trim().toLowerCase();
  return declared ? (CODE_PAGES[declared] ?? declared) : 'utf-8';
}

/** Rejects a .prj that declares a projected system: grids must be lon/lat (WGS84 or CGCS2000). */
function checkProjection(prj: Buffer | null, file: string): void {
  const wkt = prj?.toString('utf8').trim() ?? '';
  if (/^PROJCS\[/i.test(wkt) || /^PROJCRS\[/i.test(wkt)) {
    throw new AppError('import_failed', `${path.basename(file)} is in a projected coordinate system; reproject it to WGS84 lon/lat (EPSG:4326) first`, { file, prj: wkt.slice(0, 120) });
  }
}

async function readShapefile(file: string, encoding?: string): Promise<unknown> {
  const base = file.slice(0, -path.extname(file).length);
  const [shp, dbf, cpg, prj] = await Promise.all([readRequired(file), readOptional(`${base}.dbf`), readOptional(`${base}.cpg`), readOptional(`${base}.prj`)]);
  checkProjection(prj, file);
  try {
    return await shapefile.read(shp, dbf ?? undefined, { encoding: dbfEncoding(cpg, encoding) });
  } catch (err) {
    throw new AppError('import_failed', `${path.basename(file)} is not a readable shapefile: ${(err as Error).message}`, { file });
  }
}

/**
 * Reads a grid file into a (still unvalidated) GeoJSON value: `.geojson`/`.json` as JSON, `.shp`
 * with its `.dbf` (attributes, encoding from `.cpg` or `encoding`) and `.prj` (must not be projected)
 * beside it. Throws import_failed for an unknown extension, a missing or unparsable file.
 */
export async function readGridFile(file: string, opts: { encoding?: string } = {}): Promise<unknown> {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.shp') return readShapefile(file, opts.encoding);
  if (ext !== '.geojson' && ext !== '.json') {
    throw new AppError('import_failed', `cannot import "${ext || file}" files: use .geojson, .json or .shp`, { file });
  }
  const text = (await readRequired(file)).toString('utf8').replace(/^\uFEFF/, '');
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new AppError('import_failed', `${path.basename(file)} is not valid JSON: ${(err as Error).message}`, { file });
  }
}
