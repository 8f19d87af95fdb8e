import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { allSettings, README_PATH, renderConfigTable, withConfigTable } from '../src/config.docs.js';
import { loadOpen311Settings } from '../src/open311/open311.settings.js';

const SRC = path.resolve(import.meta.dirname, '../src');
const documented = new Set(allSettings().map(([name]) => name));
// Code identifiers that look like variable names.
const IDENTIFIERS = new Set(['OPEN311_SETTINGS']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(full);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [full] : [];
  });
}

/** The names a loader reads from its environment, recorded by a Proxy. */
function namesRead(load: (env: Record<string, string | undefined>) => unknown): string[] {
  const read = new Set<string>();
  load(new Proxy({} as Record<string, string | undefined>, { get: (_t, key) => (typeof key === 'string' && read.add(key), undefined) }));
  return [...read];
}

describe('the README configuration table', () => {
  it('is exactly what `npm run docs:config` writes (run it after changing a setting)', () => {
    const readme = readFileSync(README_PATH, 'utf8');
    expect(readme).toContain(renderConfigTable());
    expect(withConfigTable(readme)).toBe(readme);
  });

  it('lists every setting the loaders read', () => {
    const read = [...namesRead((env) => loadConfig(env)), ...namesRead((env) => loadOpen311Settings(env))];
    expect(read).toContain('GRIDLOOP_TRUST_PROXY');
    expect(read.filter((name) => !documented.has(name))).toEqual([]);
  });

  it('lists every GRIDLOOP_* and OPEN311_* variable named anywhere in src/', () => {
    const named = new Set<string>();
    for (const file of sourceFiles(SRC)) for (const m of readFileSync(file, 'utf8').matchAll(/\b(?:GRIDLOOP|OPEN311)_[A-Z0-9_]*[A-Z0-9]\b/g)) named.add(m[0]);
    expect(named.size).toBeGreaterThan(10);
    expect([...named].filter((name) => !documented.has(name) && !IDENTIFIERS.has(name)).sort()).toEqual([]);
  });
});
