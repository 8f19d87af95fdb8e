import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import type { AppContext } from '../context.js';
import { makeCtx } from '../context.js';
import { systemActor } from '../auth/actor.js';
import { AppError } from '../errors.js';
import { parseHistoryMapping } from './history.mapping.js';
import { importCasesFromFile, type ImportCasesSummary, type ImportProgress } from './history.import.js';

const csvField = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

async function readMapping(file: string) {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new AppError('validation_failed', `cannot read the mapping ${file}: ${(err as Error).message}`, { field: 'mapping' });
  }
  return parseHistoryMapping(json);
}

/** A progress line: rows, rows/s and the time left, rewritten in place on a terminal. */
function progressPrinter(started: number) {
  let lastPrint = 0;
  return (p: ImportProgress) => {
    const now = Date.now();
    if (now - lastPrint < 500 && p.fraction !== 1) return;
    lastPrint = now;
    const seconds = (now - started) / 1000;
    const rate = seconds > 0 ? p.rows / seconds : 0;
    const eta = p.fraction && p.fraction > 0 ? (seconds / p.fraction) * (1 - p.fraction) : null;
    const pct = p.fraction === null ? '' : ` ${(p.fraction * 100).toFixed(0)}%`;
    const line = `import-cases:${pct} ${p.rows} rows (${p.imported} imported, ${p.skipped} already there, ${p.rejected} rejected) ${Math.round(rate)} rows/s${eta === null ? '' : ` ETA ${eta.toFixed(0)} s`}`;
    if (process.stderr.isTTY) process.stderr.write(`\r${line}\u001b[K`);
    else process.stderr.write(`${line}\n`);
  };
}

export function summaryLines(s: ImportCasesSummary, seconds: number): string[] {
  const lines = [`import-cases: ${s.imported} rows imported${s.dryRun ? ' (dry run: nothing written)' : ''}, ${s.skipped} already imported, ${s.rejected} rejected, of ${s.rows} rows in ${seconds.toFixed(1)} s`];
  for (const [reason, n] of Object.entries(s.reasons).sort((a, b) => (b[1] ?? 0) - (a[1] ?? 0))) lines.push(`  rejected ${reason}: ${n}`);
  return lines;
}

/**
 * `import-cases FILE.csv --mapping MAPPING.json [--dry-run] [--rejects REJECTS.csv] [--batch N]`.
 * Exit 0 when rows were imported (or all were there already), 1 when every row was rejected,
 * 2 for a bad mapping or an unreadable file.
 */
export async function importCasesCommand(app: AppContext, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, strict: true, options: { mapping: { type: 'string' }, 'dry-run': { type: 'boolean' }, rejects: { type: 'string' }, batch: { type: 'string' } } });
  const file = positionals[0];
  if (!file || !values.mapping) throw new AppError('validation_failed', 'usage: gridloop import-cases FILE.csv --mapping MAPPING.json [--dry-run] [--rejects FILE.csv]', { field: file ? 'mapping' : 'file' });
  const batchSize = values.batch === undefined ? 5000 : Number(values.batch);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 20000) throw new AppError('validation_failed', '--batch must be 1–20000 rows', { field: 'batch' });
  const mapping = await readMapping(values.mapping);
  const rejects = values.rejects ? createWriteStream(values.rejects) : null;
  rejects?.write('sourceId,reason\n');
  const started = Date.now();
  try {
    const summary = await importCasesFromFile(makeCtx(app, systemActor()), file, mapping, {
      dryRun: values['dry-run'], batchSize, onProgress: progressPrinter(started),
      onReject: (id, reason) => rejects?.write(`${csvField(id)},${reason}\n`),
    });
    if (process.stderr.isTTY) process.stderr.write('\n');
    for (const line of summaryLines(summary, (Date.now() - started) / 1000)) console.log(line);
    return summary.imported === 0 && summary.skipped === 0 && summary.rejected > 0 ? 1 : 0;
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError('import_failed', `cannot read ${file}: ${(err as Error).message}`, { field: 'file' });
  } finally {
    if (rejects) {
      rejects.end();
      await once(rejects, 'close');
    }
  }
}
