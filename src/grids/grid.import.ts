import { inTransaction, type Ctx } from '../context.js';
import type { Db } from '../db/database.js';
import { AppError, isAppError } from '../errors.js';
import { translateDbError } from '../db/errors.js';
import { DEFAULT_OVERLAP_TOLERANCE_M2, validateFeatureCollection } from './geometry.validate.js';
import { GridIndex } from './grid.index.js';
import { readGridFile } from './grid.file.js';
import { loadGridIndex } from './grid.locate.js';
import { getCluster } from '../cluster/cluster.js';
import { overlapsWithExisting, planImport, type ImportPlan } from './grid.plan.js';
import { problemsError, type Problem } from './grid.problems.js';
import { DEFAULT_COMMUNITY_KEYS, propertyOf } from './grid.properties.js';
import { gridRepository } from './grid.repository.js';
import polygonClipping from 'polygon-clipping';
import { areaM2, pointInRings, type Polygons } from './geometry.js';
import { repairFeatureCollection, type RepairChange } from './geometry.repair.js';
import { orgRepository } from '../org/org.repository.js';

export interface ImportGridsOptions {
  /** add (default): keep existing grids, new codes must be new. replace: each imported community's grids become exactly the imported ones. */
  mode?: 'add' | 'replace';
  /** Check everything and report, write nothing. */
  dryRun?: boolean;
  /** The property holding the community code; default: community, communityCode or community_code (any case). */
  communityProperty?: string;
  /** Community outlines (FeatureCollection, community code in the same property) for features without a community property. */
  communityPolygons?: unknown;
  /** Largest overlap tolerated between two grids, m² (default 1). */
  overlapToleranceM2?: number;
  /** Fail when a community next to the imported ones (same street) is left without any grid. */
  requireCoverage?: boolean;
  /** Make shapes valid first (repairFeatureCollection: overlaps go to the earlier feature) and report each change. */
  repair?: boolean;
  /** How far (m²) a grid may stick out of its community's imported outline (default 100). */
  outsideToleranceM2?: number;
}

export interface ImportReport {
  mode: 'add' | 'replace';
  dryRun: boolean;
  imported: number;
  created: number;
  updated: number;
  removed: string[];
  communities: string[];
  grids: { feature: number; code: string; name: string; communityCode: string; areaM2: number }[];
  /**
   * Communities under the same streets as the imported ones that have no grid at all. Community
   * outlines are not stored, so "uncovered" means "no grid", not gaps between grids.
   */
  uncoveredCommunities: string[];
  /** What --repair changed, by feature (empty without it). */
  repairs: RepairChange[];
}

/** Indexes community outlines given with the import; throws invalid_geometry/import_failed listing their problems. */
function outlineIndex(input: unknown, keys: string[]): GridIndex {
  const { features, problems } = validateFeatureCollection(input, { overlapToleranceM2: Infinity });
  const shapes = features.flatMap((f) => {
    const code = propertyOf(f.properties, keys);
    if (code !== undefined && code !== null && code !== '') return [{ code: String(code).trim(), polygons: f.polygons }];
    problems.push({ feature: f.index, code: 'missing_community', message: `community outline has no ${keys.join('/')} property` });
    return [];
  });
  if (problems.length > 0) throw problemsError(problems.map((p) => ({ ...p, source: 'communityPolygons' as const })));
  return GridIndex.build(shapes);
}

async function uncovered(db: Db, plan: ImportPlan): Promise<string[]> {
  const streets = [...new Set(plan.grids.map((g) => g.community.parent_code).filter((c): c is string => c !== null))];
  const imported = new Set(plan.grids.map((g) => g.community.code));
  return (await gridRepository.communitiesWithoutGrids(db, streets)).filter((c) => !imported.has(c));
}

async function writePlan(ctx: Ctx, plan: ImportPlan): Promise<void> {
  const now = ctx.now.toISOString();
  try {
    await gridRepository.deleteGrids(ctx.db, plan.removed);
  } catch (err) {
    const e = translateDbError(err);
    if (isAppError(e) && e.code === 'validation_failed') {
      throw new AppError('conflict', 'grids that other records (users, cases…) still refer to cannot be removed: keep their codes in the import', { codes: plan.removed });
    }
    throw err;
  }
  const units = plan.grids.map((g) => ({ code: g.code, name: g.name, level: 'grid' as const, parent_code: g.community.code, path: `${g.community.path}${g.code}/`, depth: g.community.depth + 1, created_at: now }));
  const shapes = plan.grids.map(({ code, feature: f }) => ({
    code,
    geometry: JSON.stringify(f.geometry),
    min_lon: f.bbox.minLon,
    min_lat: f.bbox.minLat,
    max_lon: f.bbox.maxLon,
    max_lat: f.bbox.maxLat,
    area_m2: Math.round(f.areaM2 * 100) / 100,
    updated_at: now,
  }));
  await gridRepository.upsert(ctx.db, units, shapes);
}

/** Grids sticking out of their community's imported outline (org_boundaries) by more than the tolerance. */
async function outsideCommunities(db: Db, plan: ImportPlan, toleranceM2: number): Promise<Problem[]> {
  const outlines = new Map((await orgRepository.boundaries(db, [...new Set(plan.grids.map((g) => g.community.code))])).map((b) => [b.code, b.polygons]));
  const problems: Problem[] = [];
  for (const g of plan.grids) {
    const outline = outlines.get(g.community.code);
    if (!outline) continue;
    let outside: number;
    try {
      const rest = polygonClipping.difference(g.feature.polygons as never, outline as never) as Polygons;
      outside = rest.length === 0 ? 0 : areaM2(rest);
    } catch {
      // polygon-clipping gave up on an awkward pair: fall back to "no vertex outside the outline".
      outside = g.feature.polygons.some((p) => p[0].some(([x, y]) => !outline.some((rings) => pointInRings(x, y, rings)))) ? Infinity : 0;
    }
    if (outside > toleranceM2) problems.push({ feature: g.feature.index, code: 'outside_community', message: `${Number.isFinite(outside) ? outside.toFixed(1) : 'an unknown area of'} m² lie outside the outline of community ${g.community.code} (tolerance ${toleranceM2} m²)` });
  }
  return problems;
}

function report(plan: ImportPlan, mode: 'add' | 'replace', dryRun: boolean, uncoveredCommunities: string[], repairs: RepairChange[]): ImportReport {
  return {
    repairs,
    mode,
    dryRun,
    imported: plan.grids.length,
    created: plan.grids.length - plan.existing.size,
    updated: plan.existing.size,
    removed: plan.removed,
    communities: [...new Set(plan.grids.map((g) => g.community.code))].sort(),
    grids: plan.grids.map((g) => ({ feature: g.feature.index, code: g.code, name: g.name, communityCode: g.community.code, areaM2: Math.round(g.feature.areaM2 * 100) / 100 })),
    uncoveredCommunities,
  };
}

/** After committed grid changes: this instance rebuilds its grid index, the other instances are told to. */
export async function gridsChanged(ctx: Ctx): Promise<void> {
  await loadGridIndex(ctx.app);
  await getCluster(ctx.app).publish('grids');
}

/**
 * Imports grid polygons from a GeoJSON FeatureCollection in one transaction: validates shapes,
 * maps each feature to a community in the actor's scope (property, else containment), assigns
 * codes and names, checks overlaps with each other and with stored grids, then writes org units
 * (level grid) and grid_shapes, and finally rebuilds the in-memory locator. Any problem means
 * nothing is written. When `ctx.db` is already a transaction (e.g. the demo loader's), the import
 * joins it and the caller must run gridsChanged(ctx) after committing. Throws invalid_geometry or
 * import_failed (details.problems by feature index), and conflict when replace mode would remove
 * grids still referred to.
 */
export async function importGrids(ctx: Ctx, input: unknown, opts: ImportGridsOptions = {}): Promise<ImportReport> {
  const mode = opts.mode ?? 'add';
  const tolerance = opts.overlapToleranceM2 ?? DEFAULT_OVERLAP_TOLERANCE_M2;
  const keys = opts.communityProperty ? [opts.communityProperty] : DEFAULT_COMMUNITY_KEYS;
  const repaired = opts.repair ? repairFeatureCollection(input) : { output: input, changes: [] };
  const { features, problems } = validateFeatureCollection(repaired.output, { overlapToleranceM2: tolerance });
  if (problems.some((p) => p.feature === null)) throw problemsError(problems);
  const outlines = opts.communityPolygons === undefined ? null : outlineIndex(opts.communityPolygons, keys);
  const run = async (tx: Ctx) => {
    const plan = await planImport(tx, features, { mode, communityKeys: keys, outlines }, problems);
    problems.push(...(await overlapsWithExisting(tx.db, plan, mode, tolerance)));
    problems.push(...(await outsideCommunities(tx.db, plan, opts.outsideToleranceM2 ?? 100)));
    const left = await uncovered(tx.db, plan);
    if (opts.requireCoverage) {
      problems.push(...left.map((c): Problem => ({ feature: null, code: 'community_uncovered', message: `community ${c} would have no grid` })));
    }
    if (problems.length > 0) throw problemsError(problems);
    if (!opts.dryRun) await writePlan(tx, plan);
    return report(plan, mode, opts.dryRun ?? false, left, repaired.changes);
  };
  if (ctx.db.isTransaction) return run(ctx);
  const result = await inTransaction(ctx, run);
  if (!opts.dryRun) await gridsChanged(ctx);
  return result;
}

/**
 * `gridloop import-grids <file>`: reads a .geojson/.json/.shp grid file (see readGridFile) and
 * imports it with importGrids. Throws import_failed for unreadable files, else as importGrids.
 */
export async function importGridsFromFile(ctx: Ctx, filePath: string, opts: ImportGridsOptions & { encoding?: string } = {}): Promise<ImportReport> {
  const { encoding, ...rest } = opts;
  return importGrids(ctx, await readGridFile(filePath, { encoding }), rest);
}
