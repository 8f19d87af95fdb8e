import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import type { AppContext } from '../context.js';
import { AppError } from '../errors.js';
import { backupRepository } from './backup.repository.js';

/**
 * A backup is a directory (no archive format to trust or unpack):
 *   manifest.json      format, when, which store, the row count of every table, attachment count
 *   gridloop.db        SQLite: a consistent copy made with SQLite's online backup API
 *   gridloop.pgdump    PostgreSQL: `pg_dump --format=custom` of the same snapshot the counts read
 *   attachments/       the content-addressed attachment files (ab/cd/<sha256>)
 */
export const BACKUP_FORMAT = 'gridloop-backup-1';

export interface Manifest {
  format: typeof BACKUP_FORMAT;
  createdAt: string;
  store: 'sqlite' | 'postgres';
  database: string;
  counts: Record<string, number>;
  attachments: number;
}

/** Runs a program to its end; throws backup_failed with its stderr when it fails or is missing. */
export function run(program: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', (err) => reject(new AppError('backup_failed', `${program} could not be run (${err.message}); install the PostgreSQL client tools`)));
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new AppError('backup_failed', `${program} failed (exit ${code}): ${stderr.trim().slice(0, 2000)}`))));
  });
}

/** Copies the attachment store (skipping half-written temporaries); returns how many files it copied. */
export async function copyAttachments(from: string, to: string): Promise<number> {
  let files = 0;
  try {
    await fs.access(from);
  } catch {
    await fs.mkdir(to, { recursive: true });
    return 0;
  }
  await fs.cp(from, to, { recursive: true, errorOnExist: true, force: false, filter: (src) => !src.endsWith('.tmp') });
  for await (const entry of await fs.opendir(to, { recursive: true })) if (entry.isFile()) files++;
  return files;
}

/**
 * `gridloop backup DIR`: an online backup of the store and its attachments into a new directory
 * (refused if it exists). The database is copied first and the attachments after: attachment
 * files are written before the rows that name them and never removed, so every file the copied
 * rows name is in the copy. Throws backup_failed.
 */
export async function backupStore(app: AppContext, dir: string): Promise<Manifest> {
  const target = path.resolve(dir);
  try {
    await fs.mkdir(target, { recursive: false });
  } catch (err) {
    throw new AppError('backup_failed', `cannot create the backup directory ${target}: ${(err as Error).message} (it must not exist yet)`);
  }
  const createdAt = app.clock().toISOString();
  let counts: Record<string, number>;
  let database: string;
  if (app.store.dialect === 'sqlite') {
    database = 'gridloop.db';
    const source = new SQLite(path.join(app.config.dataDir, 'gridloop.db'), { readonly: true, fileMustExist: true });
    try {
      await source.backup(path.join(target, database));
    } finally {
      source.close();
    }
    const copy = new SQLite(path.join(target, database), { readonly: true });
    try {
      const tables = copy.prepare(`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name`).pluck().all() as string[];
      counts = Object.fromEntries(tables.map((t) => [t, Number(copy.prepare(`select count(*) from "${t.replace(/"/g, '""')}"`).pluck().get())]));
    } finally {
      copy.close();
    }
  } else {
    database = 'gridloop.pgdump';
    const url = app.config.databaseUrl ?? '';
    // Count and dump the same snapshot, so the manifest describes exactly what the dump holds.
    const trx = await app.store.db.startTransaction().setIsolationLevel('repeatable read').setAccessMode('read only').execute();
    try {
      const snapshot = await backupRepository.exportSnapshot(trx);
      counts = await backupRepository.tableCounts(trx);
      await run('pg_dump', ['--format=custom', '--no-owner', '--no-privileges', `--snapshot=${snapshot}`, `--file=${path.join(target, database)}`, `--dbname=${url}`]);
    } finally {
      await trx.commit().execute();
    }
  }
  const attachments = await copyAttachments(app.config.attachments.dir, path.join(target, 'attachments'));
  const manifest: Manifest = { format: BACKUP_FORMAT, createdAt, store: app.store.dialect, database, counts, attachments };
  await fs.writeFile(path.join(target, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}
