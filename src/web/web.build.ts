import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The web app's folder (`web/`), its build output and the file that records which sources built it. */
export const WEB_DIR = fileURLToPath(new URL('../../web/', import.meta.url));
export const DIST_DIR = path.join(WEB_DIR, 'dist');
export const ROOT_DIR = path.resolve(WEB_DIR, '..');
const HASH_FILE = path.join(DIST_DIR, '.build-hash');
// Generated or built files never count as sources; the API types are erased from the bundle.
const IGNORED = new Set(['dist', 'node_modules', 'schema.d.ts']);

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (IGNORED.has(entry.name)) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(full));
    else out.push(full);
  }
  return out;
}

/** A content hash of everything the bundle is built from: web/ sources and package-lock.json. */
export function webSourceHash(): string {
  const hash = createHash('sha256');
  const files = [...listFiles(WEB_DIR), path.join(ROOT_DIR, 'package-lock.json')].sort();
  for (const file of files) {
    hash.update(path.relative(ROOT_DIR, file)).update('\0');
    if (existsSync(file)) hash.update(readFileSync(file));
    hash.update('\0');
  }
  return hash.digest('hex');
}

/** True when web/dist is missing or was built from other sources than the current ones. */
export function webBuildIsStale(): boolean {
  if (!existsSync(path.join(DIST_DIR, 'index.html')) || !existsSync(HASH_FILE)) return true;
  return readFileSync(HASH_FILE, 'utf8').trim() !== webSourceHash();
}

/** Records that web/dist now matches the current sources. */
export function recordWebBuild(): void {
  writeFileSync(HASH_FILE, `${webSourceHash()}\n`);
}
