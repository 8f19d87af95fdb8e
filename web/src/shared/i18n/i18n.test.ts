import { describe, expect, it } from 'vitest';
import zhCN from './zh-CN';
import en from './en';

/** Every leaf key of a message tree, dotted. */
function keys(tree: unknown, prefix = ''): string[] {
  if (typeof tree !== 'object' || tree === null) return [prefix];
  return Object.entries(tree).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k)).sort();
}

/** Leaves that are not strings, or empty ones (a forgotten translation). */
function nonStringLeaves(tree: unknown, prefix = ''): string[] {
  return keys(tree, prefix).filter((k) => {
    const value = k.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], tree);
    return typeof value !== 'string' || value.trim() === '';
  });
}

// Each face keeps its strings in `<face>/i18n.ts` exporting `messages = { 'zh-CN': …, en: … }`.
const faces = import.meta.glob<{ messages: { 'zh-CN': unknown; en: unknown } }>('../../*/i18n.ts', { eager: true });
const sets: [string, unknown, unknown][] = [
  ['shared', zhCN, en],
  ...Object.entries(faces).map(([file, mod]): [string, unknown, unknown] => [file, mod.messages['zh-CN'], mod.messages.en]),
];

describe('message files', () => {
  it.each(sets)('%s: zh-CN and en have the same keys, none empty', (_name, zh, english) => {
    const zhKeys = keys(zh);
    const enKeys = keys(english);
    expect(zhKeys.length).toBeGreaterThan(0);
    expect(enKeys.filter((k) => !zhKeys.includes(k)), 'keys only in en').toEqual([]);
    expect(zhKeys.filter((k) => !enKeys.includes(k)), 'keys only in zh-CN').toEqual([]);
    expect(nonStringLeaves(zh)).toEqual([]);
    expect(nonStringLeaves(english)).toEqual([]);
  });
});
