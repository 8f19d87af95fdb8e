import { createHash } from 'node:crypto';
import polygonClipping from 'polygon-clipping';
import type { AppContext } from '../context.js';
import { areaM2, polygonsOf, type GridGeometry, type Polygons } from './geometry.js';
import { gridRepository, type GridShapeRow } from './grid.repository.js';

/** The outline of an org unit above the grid level: the union of its grids. */
export interface Outline {
  code: string;
  level: 'city' | 'district' | 'street' | 'community';
  polygons: Polygons;
  areaM2: number;
  gridCount: number;
}

const LEVELS = ['city', 'district', 'street', 'community'] as const;

/** A hash of the grid shapes; outlines are recomputed only when it changes. */
export function gridsFingerprint(rows: readonly GridShapeRow[]): string {
  const hash = createHash('sha256');
  for (const r of rows) hash.update(r.path).update('\0').update(r.geometry).update('\n');
  return hash.digest('hex');
}

/**
 * Union of several shapes; polygon-clipping works on the plane of lon/lat, which is fine for
 * outlines. When it gives up on awkward real-world shapes (it can overflow its stack), the parts
 * are kept side by side: the outline then draws its inner borders, but it is drawn.
 */
function union(parts: Polygons[]): Polygons {
  if (parts.length === 1) return parts[0];
  try {
    return polygonClipping.union(parts[0], ...parts.slice(1)) as Polygons;
  } catch {
    return parts.flat();
  }
}

/**
 * Outlines of every community, street, district and city that has grids, each the union of the
 * level below (grids → communities → streets → districts → city), from grid rows whose `path`
 * holds the chain of codes (/city/district/street/community/grid/). A unit with an imported outline
 * in `boundaries` takes that one instead (and its parent unites it). Pure.
 */
export function computeOutlines(rows: readonly GridShapeRow[], boundaries: ReadonlyMap<string, Polygons> = new Map()): Outline[] {
  let current = new Map<string, { polygons: Polygons; gridCount: number }>();
  const byParent = new Map<string, { polygons: Polygons[]; gridCount: number }>();
  const chains = new Map<string, string[]>();
  for (const row of rows) {
    const chain = row.path.split('/').filter(Boolean);
    chains.set(row.code, chain);
    current.set(row.code, { polygons: polygonsOf(JSON.parse(row.geometry) as GridGeometry), gridCount: 1 });
  }
  const out: Outline[] = [];
  // community = depth 3 in the chain, street 2, district 1, city 0
  for (let depth = 3; depth >= 0; depth--) {
    byParent.clear();
    for (const [code, shape] of current) {
      const chain = chains.get(code);
      const parent = chain?.[depth];
      if (!parent || parent === code) continue;
      const entry = byParent.get(parent) ?? { polygons: [], gridCount: 0 };
      entry.polygons.push(shape.polygons);
      entry.gridCount += shape.gridCount;
      byParent.set(parent, entry);
      if (!chains.has(parent) && chain) chains.set(parent, chain.slice(0, depth + 1));
    }
    const next = new Map<string, { polygons: Polygons; gridCount: number }>();
    for (const [code, entry] of byParent) {
      // A surveyed outline imported with the org units (org_boundaries) wins over the union of grids.
      const polygons = boundaries.get(code) ?? union(entry.polygons);
      next.set(code, { polygons, gridCount: entry.gridCount });
      out.push({ code, level: LEVELS[depth], polygons, areaM2: areaM2(polygons), gridCount: entry.gridCount });
    }
    current = next;
  }
  return out;
}

/**
 * Recomputes the stored outlines when the grids differ from those they were computed from
 * (called after grids are loaded or changed). Returns whether it recomputed.
 */
export async function refreshOutlines(app: AppContext, rows: readonly GridShapeRow[]): Promise<boolean> {
  const stored = await gridRepository.importedBoundaries(app.store.db);
  const hash = createHash('sha256').update(gridsFingerprint(rows));
  for (const b of stored) hash.update(b.code).update('\0').update(b.updated_at).update('\n');
  const fingerprint = stored.length === 0 ? gridsFingerprint(rows) : hash.digest('hex');
  if ((await gridRepository.outlineFingerprint(app.store.db)) === fingerprint) return false;
  const outlines = computeOutlines(rows, new Map(stored.map((b) => [b.code, polygonsOf(JSON.parse(b.geometry) as GridGeometry)])));
  const at = app.clock().toISOString();
  await app.store.db.transaction().execute((trx) =>
    gridRepository.replaceOutlines(trx, outlines.map((o) => ({
      code: o.code, level: o.level, geometry: JSON.stringify({ type: 'MultiPolygon', coordinates: o.polygons }),
      area_m2: o.areaM2, grid_count: o.gridCount, fingerprint, updated_at: at,
    }))),
  );
  return true;
}
