import { readFileSync } from 'node:fs';
import type { AppContext, Ctx } from '../context.js';
import { inTransaction } from '../context.js';
import { AppError } from '../errors.js';
import { catalogueRepository, type CategoryRow } from './catalogue.repository.js';
import { catalogueChanged, resolveCategory } from './catalogue.service.js';
import { parseLegacyCsv, type LegacyMappingLine } from './legacy.csv.js';
import { legacyRepository } from './legacy.repository.js';
import type { Insertable } from 'kysely';
import type { LegacyCategoryCodeTable } from '../db/tables.js';

/** The scheme of the shipped mapping (GB/T 30428.2-2013 four-digit codes; 事件 codes written "02-01"). */
export const GBT_30428_2 = 'GB/T 30428.2-2013';

/**
 * Imports legacy-code mappings in one transaction: each line's category code must name an active
 * category (a 部件 code resolves to its 事项 twin, as at intake). Existing mappings of the same
 * scheme and code are replaced. Throws import_failed listing every problem by line; nothing is
 * written then.
 */
export async function importLegacyCodes(ctx: Ctx, lines: LegacyMappingLine[]): Promise<{ imported: number }> {
  const problems: { line: number; message: string }[] = [];
  const rows: Insertable<LegacyCategoryCodeTable>[] = [];
  for (const l of lines) {
    const category = await resolveCategory(ctx, l.categoryCode).catch(() => null);
    if (!category) {
      problems.push({ line: l.line, message: `category ${l.categoryCode} does not exist (or is retired)` });
      continue;
    }
    rows.push({ scheme: l.scheme, legacy_code: l.legacyCode, legacy_name: l.legacyName, category_id: category.id, note: l.note, updated_at: ctx.now.toISOString() });
  }
  if (problems.length > 0) throw new AppError('import_failed', `${problems.length} problem(s) in the mapping; nothing was imported`, { problems });
  await inTransaction(ctx, async (trx) => {
    await legacyRepository.upsert(trx.db, rows);
    await catalogueChanged(trx);
  });
  return { imported: rows.length };
}

/** Parses a mapping CSV and imports it. Throws import_failed listing every problem by line. */
export async function importLegacyCsv(ctx: Ctx, text: string): Promise<{ imported: number }> {
  const { lines, problems } = parseLegacyCsv(text);
  if (problems.length > 0) throw new AppError('import_failed', `${problems.length} problem(s) in the mapping; nothing was imported`, { problems });
  return importLegacyCodes(ctx, lines);
}

/** Boot step: inserts the shipped GB/T 30428.2-2013 mappings that are missing; never overwrites a city's. */
export async function seedLegacyCodes(app: AppContext): Promise<void> {
  const { lines } = parseLegacyCsv(readFileSync(new URL('./data/gbt30428-2-2013.legacy.csv', import.meta.url), 'utf8'));
  const now = app.clock().toISOString();
  const rows: Insertable<LegacyCategoryCodeTable>[] = [];
  for (const l of lines) {
    const [category] = (await catalogueRepository.findAnyByCode(app.store.db, l.categoryCode)).sort((a, b) => (a.kind === 'matter' ? -1 : b.kind === 'matter' ? 1 : 0));
    if (category) rows.push({ scheme: l.scheme, legacy_code: l.legacyCode, legacy_name: l.legacyName, category_id: category.id, note: l.note, updated_at: now });
  }
  await legacyRepository.insertMissing(app.store.db, rows);
}

/**
 * The category a code names at intake: a current code, else a legacy code mapped to an active
 * category (`legacyCode` then says which code came in). A legacy code mapped differently by two
 * schemes is refused as ambiguous. Throws category_not_found, validation_failed.
 */
export async function resolveCategoryOrLegacy(ctx: Ctx, code: string): Promise<{ category: CategoryRow; legacyCode: string | null }> {
  try {
    return { category: await resolveCategory(ctx, code), legacyCode: null };
  } catch (err) {
    if (!(err instanceof AppError) || err.code !== 'category_not_found') throw err;
    const mapped = await legacyRepository.findByCode(ctx.db, code);
    const targets = [...new Set(mapped.map((m) => m.category_id))];
    if (targets.length === 0) throw err;
    if (targets.length > 1) throw new AppError('validation_failed', `legacy code ${code} maps to different categories in ${mapped.map((m) => m.scheme).join(', ')}`, { field: 'categoryCode' });
    const category = await catalogueRepository.findCategoryById(ctx.db, targets[0]);
    if (!category || category.active !== 1) throw err;
    return { category, legacyCode: code };
  }
}
