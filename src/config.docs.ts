import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SETTINGS, type Setting } from './config.js';
import { OPEN311_SETTINGS } from './open311/open311.settings.js';

export const README_PATH = fileURLToPath(new URL('../README.md', import.meta.url));
export const START_MARKER = '<!-- config:start — generated from SETTINGS in src/config.ts (and OPEN311_SETTINGS) by `npm run docs:config`; edit the tables there and rerun, never here -->';
export const END_MARKER = '<!-- config:end -->';

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function shownDefault(s: Setting): string {
  if (s.shown !== undefined) return s.shown;
  return s.default === '' ? '(unset)' : `\`${s.default}\``;
}

/** Every setting Gridloop reads: the core table, then the Open311 adapter's. */
export function allSettings(): [string, Setting][] {
  return [...Object.entries(SETTINGS), ...Object.entries(OPEN311_SETTINGS)];
}

/** The README's configuration table, as Markdown. */
export function renderConfigTable(): string {
  const rows = allSettings().map(([name, s]) => `| \`${name}\` | ${cell(shownDefault(s))} | ${cell(s.meaning)} |`);
  return ['| variable | default | meaning |', '|---|---|---|', ...rows].join('\n');
}

/** The README text with the section between the markers replaced by the generated table. Throws when a marker is missing. */
export function withConfigTable(readme: string): string {
  const start = readme.indexOf(START_MARKER);
  const end = readme.indexOf(END_MARKER);
  if (start < 0 || end < start) throw new Error(`README.md lacks the markers ${START_MARKER} … ${END_MARKER}`);
  return `${readme.slice(0, start + START_MARKER.length)}\n${renderConfigTable()}\n${readme.slice(end)}`;
}

// `npm run docs:config`: rewrite the README's configuration section.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const before = readFileSync(README_PATH, 'utf8');
  const after = withConfigTable(before);
  writeFileSync(README_PATH, after);
  console.log(before === after ? 'README.md configuration table is up to date' : 'README.md configuration table rewritten');
}
