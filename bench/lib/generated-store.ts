import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { migrations } from '../../src/db/migrations/index.js';
import { sql } from 'kysely';
import type { AppContext } from '../../src/context.js';
import { loadConfig } from '../../src/config.js';
import { createAppContext } from '../../src/boot.js';
import { GENERATOR_VERSION, generateHistory } from '../../src/generate/generate.service.js';

/**
 * The directory of a generated bench store under `root`: `<name>-<key>`, the key a hash of the
 * schema (every migration's name) and of the generator's version, so that a store written by an
 * older schema or generator is built again rather than measured. Stale siblings (`<name>-<other
 * key>` and their `-…` working copies) are deleted: at 1M cases each holds gigabytes.
 */
export function generatedStoreDir(root: string, name: string): string {
  const key = createHash('sha1').update([...Object.keys(migrations).sort(), `generator ${GENERATOR_VERSION}`].join('\n')).digest('hex').slice(0, 10);
  const dir = path.join(root, `${name}-${key}`);
  if (fs.existsSync(root)) {
    for (const entry of fs.readdirSync(root)) {
      if (entry !== path.basename(dir) && (entry === name || (entry.startsWith(`${name}-`) && /^[0-9a-f]{10}(-.+)?$/.test(entry.slice(name.length + 1))))) {
        console.log(`removing stale bench store ${path.join(root, entry)}`);
        fs.rmSync(path.join(root, entry), { recursive: true, force: true });
      }
    }
  }
  return dir;
}

/**
 * Opens the bench store `name` (generatedStoreDir) with its app context, first building it with
 * `build` unless it holds `cases` cases already. A store left incomplete (a build that crashed,
 * possibly without its indexes: generate's bulk load) is deleted and built again.
 */
export async function openGeneratedStore(root: string, name: string, cases: number, open: (dir: string) => Promise<AppContext & { close(): Promise<void> }>, build: (app: AppContext) => Promise<void>): Promise<AppContext & { close(): Promise<void> }> {
  const dir = generatedStoreDir(root, name);
  let app = await open(dir);
  const count = async () => Number((await app.store.db.selectFrom('cases').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const have = await count();
  if (have === cases) return app;
  if (have > 0) {
    console.log(`${dir} holds ${have} of ${cases} cases: building it again`);
    await app.close();
    fs.rmSync(dir, { recursive: true, force: true });
    app = await open(dir);
  }
  await build(app);
  if ((await count()) !== cases) throw new Error(`${dir}: the build wrote ${await count()} cases, not ${cases}`);
  return app;
}

/** The clock of the history stores: their history ends here. */
export const HISTORY_END = new Date('2026-11-30T04:00:00Z');

/**
 * The SQLite store of `size` cases reported over `days` days up to HISTORY_END (bench/.stores/
 * kpi-<size>-<days>d-<key>), built with `generateHistory` (seed 1503 + size) on first use; the
 * kpi and storage benches read it.
 */
export function openHistoryStore(size: number, days: number): Promise<AppContext & { close(): Promise<void> }> {
  const open = (dir: string) => createAppContext(loadConfig({ ...process.env, GRIDLOOP_DATA_DIR: dir, GRIDLOOP_DEMO: '0', DATABASE_URL: '' }), () => HISTORY_END);
  return openGeneratedStore(path.resolve('bench/.stores'), `kpi-${size}-${days}d`, size, open, async (app) => {
    const started = performance.now();
    const cpu = process.cpuUsage();
    console.log(`building ${size} cases over ${days} days …`);
    const r = await generateHistory(app, { cases: size, seed: 1503 + size, days, end: HISTORY_END, onProgress: (d, t) => d % 100_000 === 0 && console.log(`  ${d}/${t}`) });
    const s = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    const cpuS = (used.user + used.system) / 1e6;
    console.log(`built: ${r.cases} cases, ${r.events} events in ${s.toFixed(0)} s (${Math.round(r.cases / s)} cases/s; ${cpuS.toFixed(0)} s of CPU, ${Math.round(r.cases / cpuS)} cases per CPU second)`);
    await sql`analyze`.execute(app.store.db);
  });
}
