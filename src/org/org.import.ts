import polygonClipping from 'polygon-clipping';
import { inTransaction, type Ctx } from '../context.js';
import type { OrgLevel } from '../db/tables.js';
import { AppError, isAppError } from '../errors.js';
import { areaM2, type Polygons } from '../grids/geometry.js';
import { findOverlaps } from '../grids/geometry.overlap.js';
import { repairFeatureCollection, type RepairChange } from '../grids/geometry.repair.js';
import { MAX_FEATURES, validateFeature, type ParsedFeature } from '../grids/geometry.validate.js';
import type { Problem } from '../grids/grid.problems.js';
import { loadGridIndex } from '../grids/grid.locate.js';
import { getCluster } from '../cluster/cluster.js';
import { childLevel, validateOrgCode } from './levels.js';
import { orgRepository, type OrgUnitRow } from './org.repository.js';

/** Default tolerance (m²) for a child sticking out of its parent and for siblings overlapping. */
export const ORG_TOLERANCE_M2 = 100;
const IMPORT_LEVELS: readonly OrgLevel[] = ['city', 'district', 'street', 'community'];

export interface OrgProblem {
  feature: number | null;
  code: string;
  message: string;
}

export interface ImportOrgUnitsOptions {
  repair?: boolean;
  dryRun?: boolean;
  /**
   * Units absent from the file go, when nothing points at them: every unit below a unit the file
   * hangs units from (its parent is not in the file; the whole tree when the file holds the city),
   * inside the actor's area, not a grid, not the actor's own unit. Any unit still in use (a case,
   * grid, user, department, plan … points at it) makes the import refuse, listing them.
   */
  replace?: boolean;
  /** Tolerance in m² for "inside the parent" and "siblings do not overlap" (default 100). */
  toleranceM2?: number;
}

export interface OrgImportReport {
  dryRun: boolean;
  imported: number;
  added: number;
  updated: number;
  outlines: number;
  /** Units deleted by `replace` (codes), deepest first. */
  removed: string[];
  repairs: RepairChange[];
}

interface Entry {
  feature: number;
  code: string;
  name: string;
  level: OrgLevel;
  parentCode: string | null;
  shape: ParsedFeature | null;
}

const str = (v: unknown) => (typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : '');

/** Reads each feature's properties and (optional) outline; geometry problems as the grid import words them. */
function readEntries(input: unknown, problems: OrgProblem[]): Entry[] {
  const fc = input as { type?: unknown; features?: unknown };
  if (!fc || fc.type !== 'FeatureCollection' || !Array.isArray(fc.features)) return (problems.push({ feature: null, code: 'not_feature_collection', message: 'the file is not a GeoJSON FeatureCollection' }), []);
  if (fc.features.length === 0 || fc.features.length > MAX_FEATURES) return (problems.push({ feature: null, code: 'empty_collection', message: `a file holds 1–${MAX_FEATURES} units` }), []);
  const entries: Entry[] = [];
  fc.features.forEach((raw: unknown, i: number) => {
    const f = raw as { properties?: Record<string, unknown>; geometry?: unknown } | null;
    const p = f?.properties ?? {};
    const entry = { feature: i, code: str(p.code), name: str(p.name), level: str(p.level) as OrgLevel, parentCode: str(p.parentCode ?? p.parent_code) || null, shape: null as ParsedFeature | null };
    if (!entry.code) problems.push({ feature: i, code: 'missing_property', message: 'no code property' });
    if (!entry.name || entry.name.length > 100) problems.push({ feature: i, code: 'invalid_name', message: 'name must be 1–100 characters' });
    if (!IMPORT_LEVELS.includes(entry.level)) problems.push({ feature: i, code: 'invalid_level', message: `level must be one of ${IMPORT_LEVELS.join(', ')} (grids come with import-grids)` });
    if (f?.geometry !== null && f?.geometry !== undefined) {
      const geometryProblems: Problem[] = [];
      entry.shape = validateFeature({ type: 'Feature', properties: p, geometry: f.geometry }, i, geometryProblems);
      problems.push(...geometryProblems.map((g) => ({ feature: i, code: g.code, message: g.message })));
    }
    entries.push(entry);
  });
  const seen = new Map<string, number>();
  for (const e of entries) {
    if (e.code && seen.has(e.code)) problems.push({ feature: e.feature, code: 'duplicate_code', message: `code ${e.code} is also feature ${seen.get(e.code)}` });
    seen.set(e.code, e.feature);
  }
  return entries;
}

/** Resolves parents (in the file or the store), levels, code shapes and scope; returns the unit rows to write. */
async function planUnits(ctx: Ctx, entries: Entry[], problems: OrgProblem[]): Promise<{ rows: (OrgUnitRow & { created_at: string })[]; existing: Map<string, OrgUnitRow> }> {
  const stored = new Map((await orgRepository.findManyByCode(ctx.db, [...new Set(entries.flatMap((e) => [e.code, e.parentCode ?? '']).filter(Boolean))])).map((u) => [u.code, u]));
  const inFile = new Map(entries.map((e) => [e.code, e]));
  const rows = new Map<string, OrgUnitRow & { created_at: string }>();
  const resolve = (e: Entry, depth = 0): OrgUnitRow | null => {
    if (rows.has(e.code)) return rows.get(e.code) ?? null;
    if (depth > 6) return null;
    let parent: OrgUnitRow | null = null;
    if (e.parentCode) {
      const fromFile = inFile.get(e.parentCode);
      parent = fromFile ? resolve(fromFile, depth + 1) : stored.get(e.parentCode) ?? null;
      if (!parent) return (problems.push({ feature: e.feature, code: 'unknown_parent', message: `parent ${e.parentCode} is neither in the file nor in the store` }), null);
      if (childLevel(parent.level) !== e.level) return (problems.push({ feature: e.feature, code: 'invalid_level', message: `a ${e.level} cannot sit under a ${parent.level}` }), null);
      if (!parent.path.startsWith(ctx.actor.orgPath) && !ctx.actor.orgPath.startsWith(`${parent.path}${e.code}/`)) return (problems.push({ feature: e.feature, code: 'outside_scope', message: `parent ${parent.code} is outside your area` }), null);
    } else if (e.level !== 'city') return (problems.push({ feature: e.feature, code: 'unknown_parent', message: `a ${e.level} needs a parentCode` }), null);
    try {
      validateOrgCode(ctx.app.config.gridCode, e.level, e.code, parent?.code ?? null);
    } catch (err) {
      if (!isAppError(err)) throw err;
      return (problems.push({ feature: e.feature, code: 'invalid_code', message: err.message }), null);
    }
    const old = stored.get(e.code);
    const path = `${parent?.path ?? '/'}${e.code}/`;
    if (old && old.path !== path) return (problems.push({ feature: e.feature, code: 'parent_changed', message: `${e.code} sits under ${old.parent_code} in the store; moving units is not an import` }), null);
    const row = { code: e.code, name: e.name, level: e.level, parent_code: parent?.code ?? null, path, depth: parent ? parent.depth + 1 : 0, created_at: ctx.now.toISOString() };
    rows.set(e.code, row);
    return row;
  };
  for (const e of entries) if (e.code && IMPORT_LEVELS.includes(e.level)) resolve(e);
  return { rows: [...rows.values()].sort((a, b) => a.depth - b.depth), existing: new Map([...stored].filter(([code]) => inFile.has(code))) };
}

/** Children inside their parent's outline, siblings not overlapping, each within the tolerance. */
async function checkOutlines(ctx: Ctx, entries: Entry[], tolerance: number, problems: OrgProblem[]): Promise<void> {
  const outlines = new Map<string, Polygons>();
  for (const b of await orgRepository.boundaries(ctx.db, [...new Set(entries.map((e) => e.parentCode).filter((c): c is string => c !== null))])) outlines.set(b.code, b.polygons);
  for (const e of entries) if (e.shape) outlines.set(e.code, e.shape.polygons);
  for (const e of entries) {
    const parent = e.parentCode ? outlines.get(e.parentCode) : undefined;
    if (!e.shape || !parent) continue;
    let outside: number;
    try {
      const rest = polygonClipping.difference(e.shape.polygons as never, parent as never) as Polygons;
      outside = rest.length === 0 ? 0 : areaM2(rest);
    } catch {
      outside = Infinity;
    }
    if (outside > tolerance) problems.push({ feature: e.feature, code: 'outside_parent', message: `${Number.isFinite(outside) ? outside.toFixed(1) : 'an unknown area of'} m² lie outside its parent ${e.parentCode} (tolerance ${tolerance} m²)` });
  }
  const byParent = new Map<string, Entry[]>();
  for (const e of entries) if (e.shape) byParent.set(e.parentCode ?? '', [...(byParent.get(e.parentCode ?? '') ?? []), e]);
  for (const siblings of byParent.values()) {
    const shapes = siblings.map((s) => s.shape as ParsedFeature);
    for (const hit of findOverlaps(shapes, null, tolerance)) {
      problems.push({ feature: siblings[hit.b].feature, code: 'sibling_overlap', message: `overlaps its sibling ${siblings[hit.a].code} (feature ${siblings[hit.a].feature}) by ${hit.areaM2.toFixed(1)} m² (tolerance ${tolerance} m²)` });
    }
  }
}

/**
 * The units `replace` deletes (deepest first): below the file's anchors (the stored parents the
 * file hangs units from; the root when it holds a city), in the actor's area, not grids, not in
 * the file, not the actor's own unit or above it. Each one something still points at (a child
 * that stays, a case, user, department, plan, device … see orgRepository.usage) is a problem.
 */
async function unitsToRemove(ctx: Ctx, entries: Entry[], rows: OrgUnitRow[], problems: OrgProblem[]): Promise<OrgUnitRow[]> {
  const inFile = new Set(entries.map((e) => e.code));
  const anchors = new Set<string>();
  for (const r of rows) if (r.parent_code === null) anchors.add('/');
  else if (!inFile.has(r.parent_code)) anchors.add(r.path.slice(0, r.path.length - r.code.length - 1));
  const below = await orgRepository.under(ctx.db, [...anchors]);
  const actorPath = ctx.actor.orgPath;
  const gone = below.filter((u) => u.level !== 'grid' && !inFile.has(u.code) && u.path.startsWith(actorPath) && u.path !== actorPath);
  const goneCodes = new Set(gone.map((u) => u.code));
  const staying = new Map<string, string[]>();
  for (const u of below) if (u.parent_code && goneCodes.has(u.parent_code) && !goneCodes.has(u.code)) staying.set(u.parent_code, [...(staying.get(u.parent_code) ?? []), `${u.level} ${u.code}`]);
  const usage = await orgRepository.usage(ctx.db, gone);
  for (const u of gone) {
    const blockers = [...(staying.has(u.code) ? [`child units ${(staying.get(u.code) as string[]).slice(0, 5).join(', ')}${(staying.get(u.code) as string[]).length > 5 ? ' …' : ''}`] : []), ...(usage.get(u.code) ?? [])];
    if (blockers.length > 0) problems.push({ feature: null, code: 'unit_in_use', message: `${u.level} ${u.code} ${u.name} is not in the file but still in use: ${blockers.join('; ')}` });
  }
  return gone;
}

/**
 * Imports org units (city, districts, streets, communities) from a GeoJSON FeatureCollection with
 * `code`, `name`, `level`, `parentCode` and optional outlines, in one transaction: new codes are
 * added, existing ones renamed and their outlines replaced. Checks shapes like the grid import,
 * children inside parents and siblings apart (within the tolerance). With `repair`, shapes are
 * first made valid (repairFeatureCollection; overlapping units of one level: the earlier feature
 * keeps the area) and every change is reported. With `replace`, units absent from the file are
 * deleted in the same transaction, or the import refuses when any is still in use. Any problem: nothing is written; throws import_failed with
 * details.problems by feature.
 */
export async function importOrgUnits(ctx: Ctx, input: unknown, opts: ImportOrgUnitsOptions = {}): Promise<OrgImportReport> {
  const tolerance = opts.toleranceM2 ?? ORG_TOLERANCE_M2;
  // Units of one level must not overlap at all (siblings or cousins): repair them as one group.
  const repaired = opts.repair ? repairFeatureCollection(input, { groupOf: (p) => str(p.level) || null }) : { output: input, changes: [] };
  const problems: OrgProblem[] = [];
  const entries = readEntries(repaired.output, problems);
  const run = async (tx: Ctx): Promise<OrgImportReport> => {
    const { rows, existing } = await planUnits(tx, entries, problems);
    await checkOutlines(tx, entries, tolerance, problems);
    if (problems.length > 0) {
      const sorted = problems.sort((a, b) => (a.feature ?? -1) - (b.feature ?? -1));
      throw new AppError('import_failed', `${problems.length} problem(s) in the org-unit file; nothing was written; first: feature ${sorted[0].feature}: ${sorted[0].message}`, { problems: sorted.slice(0, 500), total: problems.length, repairs: repaired.changes });
    }
    const removed = opts.replace ? await unitsToRemove(tx, entries, rows, problems) : [];
    if (problems.length > 0) {
      throw new AppError('import_failed', `--replace: ${problems.length} unit(s) absent from the file are still in use; nothing was written; first: ${problems[0].message}`, { problems: problems.slice(0, 500), total: problems.length, repairs: repaired.changes });
    }
    const shapes = entries.filter((e) => e.shape);
    if (!opts.dryRun) {
      await orgRepository.deleteUnits(tx.db, removed.map((u) => u.code));
      await orgRepository.insertMissing(tx.db, rows.filter((r) => !existing.has(r.code)));
      for (const r of rows) if (existing.get(r.code)?.name !== undefined && existing.get(r.code)?.name !== r.name) await orgRepository.rename(tx.db, r.code, r.name);
      await orgRepository.upsertBoundaries(tx.db, shapes.map((e) => {
        const s = e.shape as ParsedFeature;
        return { code: e.code, geometry: JSON.stringify(s.geometry), min_lon: s.bbox.minLon, min_lat: s.bbox.minLat, max_lon: s.bbox.maxLon, max_lat: s.bbox.maxLat, area_m2: Math.round(s.areaM2 * 100) / 100, updated_at: tx.now.toISOString() };
      }));
    }
    return { dryRun: opts.dryRun ?? false, imported: rows.length, added: rows.length - existing.size, updated: existing.size, outlines: shapes.length, removed: removed.map((u) => u.code), repairs: repaired.changes };
  };
  const report = await inTransaction(ctx, run);
  if (!opts.dryRun && !ctx.db.isTransaction) {
    await loadGridIndex(ctx.app);
    // Outlines and unit names are in every instance's locator: the others reload theirs (PostgreSQL).
    await getCluster(ctx.app).publish('grids');
  }
  return report;
}
