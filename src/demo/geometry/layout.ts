import type { MultiPolygon, Pair, Polygon } from 'polygon-clipping';
import { clip } from './boolean.js';
import type { CommunityKind, StreetKind } from './classify.js';
import { partitionByVoronoi } from './partition.js';
import { distance, multiPolygonArea } from './planar.js';
import type { Rng } from './rng.js';
import { drawPool, spreadPoints } from './sampling.js';

// All functions here work in the local km plane (see wuhai.ts).

/** A district's box and centre in the km plane. */
export interface PlaneFrame {
  box: [number, number, number, number];
  centre: Pair;
}

function boxPolygon([x0, y0, x1, y1]: [number, number, number, number]): Polygon {
  return [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]];
}

/** The half-plane of points nearer to `b` than to `a`, as a polygon far larger than the city. */
function nearerHalfPlane(a: Pair, b: Pair): Polygon {
  const mx = (a[0] + b[0]) / 2;
  const my = (a[1] + b[1]) / 2;
  const len = distance(a, b);
  const dx = ((b[0] - a[0]) / len) * 1e4;
  const dy = ((b[1] - a[1]) / len) * 1e4;
  return [[[mx - dy, my + dx], [mx + dy, my - dx], [mx + dy + dx, my - dx + dy], [mx - dy + dx, my + dx + dy], [mx - dy, my + dx]]];
}

/**
 * Turns overlapping district boxes into a partition: where boxes overlap, the area goes to the
 * district whose centre is nearest, so each district stays inside its own box.
 */
export function partitionDistricts(frames: PlaneFrame[]): MultiPolygon[] {
  return frames.map((own, i) => {
    const box = boxPolygon(own.box);
    const lost = frames
      .filter((_, j) => j !== i)
      .map((other) => clip('intersection', box, boxPolygon(other.box), nearerHalfPlane(own.centre, other.centre)));
    return clip('difference', box, ...lost);
  });
}

/** A regular octagon around `c` with circumradius `r` (trig-free, so bit-identical everywhere). */
function octagon([cx, cy]: Pair, r: number): Polygon {
  const s = r * Math.SQRT1_2;
  const pts: Pair[] = [[r, 0], [s, s], [0, r], [-s, s], [-r, 0], [-s, -s], [0, -r], [s, -s]];
  const ring = pts.map(([x, y]): Pair => [cx + x, cy + y]);
  return [[...ring, ring[0]]];
}

/** How a street is drawn: its kind and how many communities it must hold. */
export interface StreetPlan {
  kind: StreetKind;
  communities: number;
}

/**
 * Splits a district into its streets: urban streets share a compact core around the centre,
 * towns and zones share the rest. Both are unions of Voronoi cells of well-spread sites, each
 * site joining the nearest street anchor of its ring, so the core stays round and small. Outer
 * anchors reach further the more communities their street holds (zones reach less).
 */
export function splitDistrict(rng: Rng, area: MultiPolygon, centre: Pair, radius: number, plans: StreetPlan[]): MultiPolygon[] {
  if (plans.length <= 1) return plans.map(() => area);
  const urban = plans.flatMap((p, i) => (p.kind === 'urban' ? [i] : []));
  const outer = plans.flatMap((p, i) => (p.kind === 'urban' ? [] : [i]));
  const core = urban.length > 0 && outer.length > 0 ? clip('intersection', area, octagon(centre, radius)) : urban.length > 0 ? area : [];
  const rest = core === area ? [] : core.length > 0 ? clip('difference', area, core) : area;
  const coreSites = core.length > 0 ? spreadPoints(rng, drawPool(rng, core, 300), 5 * urban.length + 3) : [];
  const restCount = Math.min(60, Math.max(4 * outer.length, Math.round(multiPolygonArea(rest) / 15)));
  const restSites = rest.length > 0 ? spreadPoints(rng, drawPool(rng, rest, 20 * restCount), restCount, coreSites) : [];
  const reach = plans.map((p) => (p.kind === 'zone' ? 0.7 : 1) * Math.sqrt(Math.max(1, p.communities)));
  const nearestOf = (units: number[], anchors: Pair[]) => (site: Pair) => {
    let best = 0;
    anchors.forEach((a, k) => {
      if (distance(site, a) / reach[units[k]] < distance(site, anchors[best]) / reach[units[best]]) best = k;
    });
    return units[best];
  };
  const coreUnits = urban.length > 0 ? urban : outer;
  const restUnits = outer.length > 0 ? outer : urban;
  const owners = [
    ...coreSites.map(nearestOf(coreUnits, coreSites.slice(0, coreUnits.length))),
    ...restSites.map(nearestOf(restUnits, restSites.slice(0, restUnits.length))),
  ];
  return partitionByVoronoi(area, [...coreSites, ...restSites], owners, plans.length);
}

/**
 * Splits a street into its communities by Voronoi cells of seeds: residential communities take
 * seeds nearest the district centre (denser towards it), villages and zones the outlying rest.
 */
export function splitStreet(rng: Rng, area: MultiPolygon, centre: Pair, radius: number, kinds: CommunityKind[]): MultiPolygon[] {
  if (kinds.length <= 1) return kinds.map(() => area);
  const near = kinds.flatMap((k, i) => (k === 'urban' || k === 'town' ? [i] : []));
  const far = kinds.flatMap((k, i) => (k === 'urban' || k === 'town' ? [] : [i]));
  const pool = drawPool(rng, area, 40 * kinds.length, (p) => {
    const q = distance(p, centre) / (2 * radius);
    return 1 / (1 + q * q);
  })
    .map((p) => ({ p, d: distance(p, centre) }))
    .sort((a, b) => a.d - b.d)
    .map(({ p }) => p);
  const split = near.length === 0 ? 0 : far.length === 0 ? pool.length : Math.ceil(pool.length * 0.3);
  const nearSeeds = spreadPoints(rng, pool.slice(0, split), near.length, [], 6);
  const farSeeds = spreadPoints(rng, pool.slice(split), far.length, nearSeeds);
  const seeds: Pair[] = [];
  near.forEach((unit, k) => (seeds[unit] = nearSeeds[k]));
  far.forEach((unit, k) => (seeds[unit] = farSeeds[k]));
  return partitionByVoronoi(area, seeds, seeds.map((_, i) => i), kinds.length);
}

/** Splits a community into `count` grids by Voronoi cells of evenly spread seeds. */
export function splitCommunity(rng: Rng, area: MultiPolygon, count: number): MultiPolygon[] {
  if (count <= 1) return [area];
  const seeds = spreadPoints(rng, drawPool(rng, area, 25 * count), count);
  return partitionByVoronoi(area, seeds, seeds.map((_, i) => i), count);
}
