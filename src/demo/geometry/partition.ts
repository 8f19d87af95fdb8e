import { Delaunay } from 'd3-delaunay';
import type { MultiPolygon, Pair, Polygon } from 'polygon-clipping';
import { clip } from './boolean.js';
import { boxOf, centroidOf, distance, multiPolygonArea } from './planar.js';

/**
 * Splits `parent` into `ownerCount` regions: the Voronoi cells of `sites`, unioned per owner
 * (`owners[i]` owns site i) and clipped to the parent. A clip against a non-convex parent can
 * leave an owner several pieces; all but the largest are handed to the neighbouring owner they
 * touch, so regions stay single polygons wherever the geometry allows.
 * Throws if an owner has no site, because its region would be empty.
 */
export function partitionByVoronoi(parent: MultiPolygon, sites: Pair[], owners: number[], ownerCount: number): MultiPolygon[] {
  if (ownerCount === 1) return [parent];
  const cellsByOwner: Polygon[][] = Array.from({ length: ownerCount }, () => []);
  const [minX, minY, maxX, maxY] = boxOf(parent);
  const pad = Math.max(maxX - minX, maxY - minY) * 0.05 + 1e-6;
  const voronoi = Delaunay.from(sites).voronoi([minX - pad, minY - pad, maxX + pad, maxY + pad]);
  sites.forEach((_, i) => {
    const cell = voronoi.cellPolygon(i);
    // d3-delaunay returns null only for a duplicate site, whose twin already covers the cell.
    if (cell) cellsByOwner[owners[i]].push([cell.map(([x, y]): Pair => [x, y])]);
  });
  const regions = cellsByOwner.map((cells, owner) => {
    if (cells.length === 0) throw new Error(`partition owner ${owner} has no site`);
    const merged = cells.length === 1 ? cells : clip('union', cells[0], ...cells.slice(1));
    return clip('intersection', merged, parent);
  });
  for (let owner = 0; owner < ownerCount; owner++) reassignStrays(regions, owner, sites, owners);
  return regions;
}

/** Moves the smaller pieces of `regions[owner]` to the nearest other owner whose region they join. */
function reassignStrays(regions: MultiPolygon[], owner: number, sites: Pair[], owners: number[]): void {
  if (regions[owner].length < 2) return;
  const parts = regions[owner]
    .map((poly) => ({ poly, area: multiPolygonArea([poly]) }))
    .sort((a, b) => b.area - a.area);
  const kept: MultiPolygon = [parts[0].poly];
  for (const { poly } of parts.slice(1)) {
    const c = centroidOf([poly]);
    const neighbours = [...new Set(
      sites
        .map((s, i) => ({ d: distance(s, c), o: owners[i] }))
        .filter(({ o }) => o !== owner)
        .sort((a, b) => a.d - b.d)
        .map(({ o }) => o),
    )].slice(0, 4);
    let joined = false;
    for (const o of neighbours) {
      const union = tryUnion(regions[o], [poly]);
      if (union?.length === 1) {
        regions[o] = union;
        joined = true;
        break;
      }
    }
    if (!joined) kept.push(poly);
  }
  regions[owner] = kept;
}

/** A union used only to test whether a stray piece joins a region; a failed union just means "no". */
function tryUnion(a: MultiPolygon, b: MultiPolygon): MultiPolygon | undefined {
  try {
    return clip('union', a, b);
  } catch {
    return undefined;
  }
}
