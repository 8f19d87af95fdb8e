import { constants, promises as fs } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.js';
import { openDatabase } from '../db/database.js';
import { AppError } from '../errors.js';
import { blobPath } from '../cases/attachment.store.js';
import { verifyAuditTrail, type AuditReport } from '../cases/case.audit.verify.js';
import { backupRepository } from './backup.repository.js';
import { BACKUP_FORMAT, copyAttachments, run, type Manifest } from './backup.js';

export interface RestoreReport {
  manifest: Manifest;
  /** Tables whose row count differs from the manifest's: [table, expected, found]. */
  countMismatches: [string, number, number][];
  audit: AuditReport;
  /** Attachment hashes named by rows but missing on disk. */
  missingAttachments: string[];
}

async function isEmptyDir(dir: string): Promise<boolean> {
  try {
    return (await fs.readdir(dir)).length === 0;
  } catch {
    return true;
  }
}

/**
 * `gridloop restore DIR`: restores a backup made by `gridloop backup` into an empty store (the
 * data dir of GRIDLOOP_DATA_DIR for SQLite, the empty database of DATABASE_URL for PostgreSQL) and
 * its attachment directory, then checks it: the row count of every table against the manifest,
 * every timeline hash chain, every attachment file. Throws backup_failed when the backup is not
 * one, or the target is not empty or of the other kind of store.
 */
export async function restoreStore(config: Config, dir: string): Promise<RestoreReport> {
  const source = path.resolve(dir);
  let manifest: Manifest;
  try {
    manifest = JSON.parse(await fs.readFile(path.join(source, 'manifest.json'), 'utf8')) as Manifest;
  } catch (err) {
    throw new AppError('backup_failed', `${source} is not a Gridloop backup: ${(err as Error).message}`);
  }
  if (manifest.format !== BACKUP_FORMAT) throw new AppError('backup_failed', `${source} has format "${String(manifest.format)}", not ${BACKUP_FORMAT}`);
  if ((manifest.store === 'postgres') !== Boolean(config.databaseUrl)) {
    throw new AppError('backup_failed', `this is a ${manifest.store} backup: restore it with ${manifest.store === 'postgres' ? 'DATABASE_URL set to an empty database' : 'DATABASE_URL unset and GRIDLOOP_DATA_DIR an empty directory'}`);
  }
  if (!(await isEmptyDir(config.attachments.dir))) throw new AppError('backup_failed', `the attachment directory ${config.attachments.dir} is not empty`);
  if (manifest.store === 'sqlite') {
    await fs.mkdir(config.dataDir, { recursive: true });
    const target = path.join(config.dataDir, 'gridloop.db');
    try {
      await fs.copyFile(path.join(source, manifest.database), target, constants.COPYFILE_EXCL);
    } catch (err) {
      throw new AppError('backup_failed', `cannot restore into ${target}: ${(err as Error).message} (the data dir must hold no store)`);
    }
  } else {
    const probe = openDatabase(config);
    try {
      const tables = await probe.db.introspection.getTables();
      if (tables.length > 0) throw new AppError('backup_failed', `the database of DATABASE_URL is not empty (${tables.length} tables): restore into a new database`);
    } finally {
      await probe.close();
    }
    await run('pg_restore', ['--no-owner', '--no-privileges', '--exit-on-error', `--dbname=${config.databaseUrl}`, path.join(source, manifest.database)]);
  }
  await copyAttachments(path.join(source, 'attachments'), config.attachments.dir);
  return checkRestored(config, manifest);
}

async function checkRestored(config: Config, manifest: Manifest): Promise<RestoreReport> {
  const store = openDatabase(config);
  try {
    const found = await backupRepository.tableCounts(store.db);
    const countMismatches = Object.entries(manifest.counts)
      .filter(([table, n]) => found[table] !== n)
      .map(([table, n]): [string, number, number] => [table, n, found[table] ?? 0]);
    const audit = await verifyAuditTrail(store.db);
    const missingAttachments: string[] = [];
    for (const sha of await backupRepository.attachmentHashes(store.db)) {
      try {
        await fs.access(blobPath(config.attachments.dir, sha));
      } catch {
        missingAttachments.push(sha);
      }
    }
    return { manifest, countMismatches, audit, missingAttachments };
  } finally {
    await store.close();
  }
}
