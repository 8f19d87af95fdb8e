import type { Ctx } from '../context.js';
import type { Db } from '../db/database.js';
import { orgRepository, type OrgUnitRow } from '../org/org.repository.js';
import { bboxOf, centroidOf, interiorPoint, polygonsOf, type BBox, type GridGeometry } from './geometry.js';
import { formatArea, type ParsedFeature } from './geometry.validate.js';
import { findOverlaps } from './geometry.overlap.js';
import { gridCode, nextSerials, numberingOrder } from './grid.codes.js';
import type { GridIndex } from './grid.index.js';
import { getGridLocator } from './grid.locate.js';
import type { Problem } from './grid.problems.js';
import { gridRepository } from './grid.repository.js';
import { propertyOf } from './grid.properties.js';

/** One grid to write: which feature, under which community, with which code and name. */
export interface PlannedGrid {
  feature: ParsedFeature;
  community: OrgUnitRow;
  code: string;
  name: string;
}

export interface ImportPlan {
  grids: PlannedGrid[];
  /** Codes already in the database among the planned ones (updated in replace mode). */
  existing: Set<string>;
  /** Grids of the imported communities that the import does not keep (replace mode). */
  removed: string[];
}

export interface PlanOptions {
  mode: 'add' | 'replace';
  /** Property names holding the community code (case-insensitive). */
  communityKeys: string[];
  /** Community outlines to map features without a community property; else existing grids are used. */
  outlines: GridIndex | null;
}

/** The community of each feature: its property, else the community whose outline (or existing grid) holds its interior point. */
function communityCodes(ctx: Ctx, features: ParsedFeature[], opts: PlanOptions, problems: Problem[]): Map<ParsedFeature, string> {
  const layout = ctx.app.config.gridCode;
  const width = layout.district + layout.street + layout.community;
  const locator = getGridLocator(ctx.app);
  const out = new Map<ParsedFeature, string>();
  for (const f of features) {
    const raw = propertyOf(f.properties, opts.communityKeys);
    if (raw !== undefined && raw !== null && raw !== '') {
      const code = String(raw).trim();
      if (new RegExp(`^\\d{${width}}$`).test(code)) out.set(f, code);
      else problems.push({ feature: f.index, code: 'unknown_community', message: `community "${code}" is not a ${width}-digit community code` });
      continue;
    }
    const [lon, lat] = interiorPoint(f.polygons);
    const hit = opts.outlines ? opts.outlines.containing(lon, lat) : locator.index.containing(lon, lat);
    const code = hit < 0 ? null : opts.outlines ? opts.outlines.code(hit) : locator.communityOf(hit);
    if (code) out.set(f, code);
    else problems.push({ feature: f.index, code: 'missing_community', message: `no ${opts.communityKeys.join('/')} property, and the grid lies in no known community` });
  }
  return out;
}

/** Loads the named communities, keeping those that exist as communities inside the actor's scope. */
async function loadCommunities(ctx: Ctx, db: Db, codes: string[]): Promise<Map<string, OrgUnitRow>> {
  const found = new Map<string, OrgUnitRow>();
  for (let i = 0; i < codes.length; i += 500) {
    for (const u of await orgRepository.findManyByCode(db, codes.slice(i, i + 500))) {
      if (u.level === 'community' && u.path.startsWith(ctx.actor.orgPath)) found.set(u.code, u);
    }
  }
  return found;
}

/** An explicit grid code and name of a feature, checked; undefined where the feature has none or it is bad. */
function explicitCodeAndName(ctx: Ctx, f: ParsedFeature, community: string, problems: Problem[]): { code?: string; name?: string; ok: boolean } {
  const serialDigits = ctx.app.config.gridCode.serial;
  const rawCode = propertyOf(f.properties, ['code']);
  const rawName = propertyOf(f.properties, ['name']);
  let ok = true;
  let code: string | undefined;
  if (rawCode !== undefined && rawCode !== null && rawCode !== '') {
    code = String(rawCode).trim();
    const serial = code.slice(community.length);
    if (!code.startsWith(community) || !new RegExp(`^\\d{${serialDigits}}$`).test(serial) || Number(serial) === 0) {
      problems.push({ feature: f.index, code: 'invalid_code', message: `code "${code}" must be the community code ${community} followed by a ${serialDigits}-digit serial from 1` });
      ok = false;
    }
  }
  const name = typeof rawName === 'string' ? rawName.trim() : undefined;
  if (rawName !== undefined && rawName !== null && (!name || name.length > 100)) {
    problems.push({ feature: f.index, code: 'invalid_name', message: 'name must be a non-empty text of at most 100 characters' });
    ok = false;
  }
  return { code, name, ok };
}

interface Pending {
  feature: ParsedFeature;
  name?: string;
}

interface Placed {
  grids: PlannedGrid[];
  /** Features without a code, per community code, still to be numbered. */
  pending: Map<string, Pending[]>;
  /** Explicit codes → feature index. */
  codeOwner: Map<string, number>;
}

/** Sorts features into those with a (checked) explicit code and those waiting for a serial. */
function placeFeatures(ctx: Ctx, features: ParsedFeature[], wanted: Map<ParsedFeature, string>, communities: Map<string, OrgUnitRow>, existing: Set<string>, mode: PlanOptions['mode'], problems: Problem[]): Placed {
  const placed: Placed = { grids: [], pending: new Map(), codeOwner: new Map() };
  for (const f of features) {
    const communityCode = wanted.get(f);
    if (communityCode === undefined) continue;
    const community = communities.get(communityCode);
    if (!community) {
      problems.push({ feature: f.index, code: 'unknown_community', message: `community ${communityCode} does not exist or is outside your area` });
      continue;
    }
    const { code, name, ok } = explicitCodeAndName(ctx, f, community.code, problems);
    const owner = code === undefined ? undefined : placed.codeOwner.get(code);
    if (!ok) continue;
    if (code === undefined) {
      placed.pending.set(community.code, [...(placed.pending.get(community.code) ?? []), { feature: f, name }]);
    } else if (owner !== undefined) {
      problems.push({ feature: f.index, code: 'duplicate_code', otherFeature: owner, message: `code ${code} is also used by feature ${owner}` });
    } else if (mode === 'add' && existing.has(code)) {
      problems.push({ feature: f.index, code: 'code_exists', otherGrid: code, message: `grid ${code} already exists (import with mode=replace to redraw it)` });
    } else {
      placed.codeOwner.set(code, f.index);
      placed.grids.push({ feature: f, community, code, name: name ?? defaultName(community, code, ctx.app.config.gridCode.serial) });
    }
  }
  return placed;
}

/**
 * Maps every valid feature to its community and code, numbering features without a code per
 * community (see numberingOrder); in add mode new serials follow the highest existing one and
 * explicit codes must be new, in replace mode the community's grids not re-imported are removed.
 * Appends problems; the plan is only meaningful when none were added.
 */
export async function planImport(ctx: Ctx, features: ParsedFeature[], opts: PlanOptions, problems: Problem[]): Promise<ImportPlan> {
  const wanted = communityCodes(ctx, features, opts, problems);
  const communities = await loadCommunities(ctx, ctx.db, [...new Set(wanted.values())]);
  const existingRows = await gridRepository.gridCodesOf(ctx.db, [...communities.keys()]);
  const existing = new Set(existingRows.map((r) => r.code));
  const { grids, pending, codeOwner } = placeFeatures(ctx, features, wanted, communities, existing, opts.mode, problems);
  for (const [communityCode, list] of pending) {
    const serialOf = (code: string) => Number(code.slice(communityCode.length));
    const taken = new Set([...codeOwner.keys()].filter((c) => c.startsWith(communityCode)).map(serialOf));
    const existingSerials = existingRows.filter((r) => r.parent_code === communityCode).map((r) => serialOf(r.code));
    const start = opts.mode === 'add' ? Math.max(0, ...existingSerials) + 1 : 1;
    grids.push(...numberPending(communities.get(communityCode) as OrgUnitRow, list, taken, start, ctx.app.config.gridCode.serial, problems));
  }
  grids.sort((a, b) => a.feature.index - b.feature.index);
  const kept = new Set(grids.map((g) => g.code));
  const removed = opts.mode === 'replace' ? existingRows.filter((r) => !kept.has(r.code)).map((r) => r.code).sort() : [];
  return { grids, existing: new Set([...kept].filter((c) => existing.has(c))), removed };
}

function defaultName(community: OrgUnitRow, code: string, serialDigits: number): string {
  return `${community.name}第${Number(code.slice(-serialDigits))}网格`;
}

function numberPending(community: OrgUnitRow, list: Pending[], taken: Set<number>, start: number, digits: number, problems: Problem[]): PlannedGrid[] {
  const order = numberingOrder(list.map(({ feature: f }) => ({ feature: f.index, centroid: centroidOf(f.polygons), height: f.bbox.maxLat - f.bbox.minLat })));
  const serials = nextSerials(order.length, taken, start, 10 ** digits - 1);
  if (!serials) {
    problems.push({ feature: order[0], code: 'serial_exhausted', message: `community ${community.code} would need more than ${10 ** digits - 1} grids` });
    return [];
  }
  const byIndex = new Map(list.map((p) => [p.feature.index, p]));
  return order.map((index, k) => {
    const { feature, name } = byIndex.get(index) as Pending;
    const code = gridCode(community.code, serials[k], digits);
    return { feature, community, code, name: name ?? defaultName(community, code, digits) };
  });
}

/**
 * Problems for planned grids overlapping stored grids that stay (all of them in add mode; those
 * of other communities in replace mode) by more than `toleranceM2`.
 */
export async function overlapsWithExisting(db: Db, plan: ImportPlan, mode: 'add' | 'replace', toleranceM2: number): Promise<Problem[]> {
  if (plan.grids.length === 0) return [];
  const box: BBox = bboxOf(plan.grids.flatMap((g) => g.feature.polygons));
  const replaced = mode === 'replace' ? [...new Set(plan.grids.map((g) => g.community.code))] : [];
  const rows = await gridRepository.listShapesInBox(db, box, replaced);
  const others = rows.map((r) => {
    const polygons = polygonsOf(JSON.parse(r.geometry) as GridGeometry);
    return { code: r.code, polygons, bbox: bboxOf(polygons) };
  });
  return findOverlaps(plan.grids.map((g) => g.feature), others, toleranceM2).map((hit) => ({
    feature: plan.grids[hit.a].feature.index,
    code: 'grid_overlap' as const,
    otherGrid: others[hit.b].code,
    message: `overlaps existing grid ${others[hit.b].code} by ${formatArea(hit.areaM2)} (tolerance ${toleranceM2} m²)`,
  }));
}
