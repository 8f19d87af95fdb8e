import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { migrations } from '../../src/db/migrations/index.js';
import { GENERATOR_VERSION } from '../../src/generate/generate.service.js';
import type { AppContext } from '../../src/context.js';

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
