import polygonClipping from 'polygon-clipping';
import { areaM2, bboxOf, type Polygons, type Ring } from './geometry.js';
import { findOverlaps } from './geometry.overlap.js';
import { validateFeature } from './geometry.validate.js';
import type { Problem } from './grid.problems.js';

/** One change `--repair` made, by feature, for the report. */
export interface RepairChange {
  feature: number;
  action: 'closed_ring' | 'dropped_duplicate_vertices' | 'made_valid' | 'dropped_sliver' | 'gave_overlap' | 'emptied';
  message: string;
}

export interface RepairOptions {
  /** Parts and holes smaller than this are dropped (m², default 10). */
  sliverM2?: number;
  /**
   * Features that must not overlap each other share a group (grids: all; org units: siblings).
   * null: the feature takes part in no overlap repair.
   */
  groupOf?(properties: Record<string, unknown>): string | null;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isPosition = (p: unknown): p is number[] => Array.isArray(p) && p.length >= 2 && typeof p[0] === 'number' && typeof p[1] === 'number' && Number.isFinite(p[0]) && Number.isFinite(p[1]);

/** Reads rings leniently: 2-D positions, closed, no consecutive duplicates; notes what it fixed. */
function readRings(raw: unknown, feature: number, changes: RepairChange[]): Polygons | null {
  if (!Array.isArray(raw)) return null;
  let duplicates = 0;
  let opened = 0;
  const polygons: Polygons = [];
  for (const rawPolygon of raw) {
    if (!Array.isArray(rawPolygon)) return null;
    const polygon: Ring[] = [];
    for (const rawRing of rawPolygon) {
      if (!Array.isArray(rawRing) || !rawRing.every(isPosition)) return null;
      const ring: Ring = [];
      for (const p of rawRing as number[][]) {
        const prev = ring[ring.length - 1];
        if (prev && prev[0] === p[0] && prev[1] === p[1]) duplicates++;
        else ring.push([p[0], p[1]]);
      }
      const [first, last] = [ring[0], ring[ring.length - 1]];
      if (first && (first[0] !== last[0] || first[1] !== last[1])) {
        ring.push([first[0], first[1]]);
        opened++;
      }
      if (ring.length >= 4) polygon.push(ring);
    }
    if (polygon.length > 0) polygons.push(polygon);
  }
  if (duplicates > 0) changes.push({ feature, action: 'dropped_duplicate_vertices', message: `dropped ${duplicates} repeated vertices` });
  if (opened > 0) changes.push({ feature, action: 'closed_ring', message: `closed ${opened} ring(s) that did not end where they started` });
  return polygons;
}

/** Drops parts and holes below the sliver size. */
function dropSlivers(polygons: Polygons, sliverM2: number, feature: number, changes: RepairChange[]): Polygons {
  let dropped = 0;
  const kept = polygons
    .filter((p) => (areaM2([[p[0]]]) >= sliverM2 ? true : (dropped++, false)))
    .map((p) => [p[0], ...p.slice(1).filter((hole) => (areaM2([[hole]]) >= sliverM2 ? true : (dropped++, false)))]);
  if (dropped > 0) changes.push({ feature, action: 'dropped_sliver', message: `dropped ${dropped} part(s) or hole(s) under ${sliverM2} m²` });
  return kept;
}

/**
 * Makes the shapes of a FeatureCollection valid the way GIS tools do (PostGIS ST_MakeValid, QGIS
 * "fix geometries"), listing every change by feature:
 * - rings are closed and repeated vertices dropped;
 * - self-intersecting or crossing rings are rebuilt as the union of what they enclose (a bow-tie
 *   becomes two triangles; overlapping parts merge);
 * - parts and holes smaller than `sliverM2` are dropped;
 * - where two features of one group overlap, the area goes to the one that comes FIRST in the file
 *   and is cut from the later one (reorder the file to choose otherwise).
 * Features it cannot read (no Polygon/MultiPolygon, non-numeric positions) are left as they are,
 * for validation to report. Pure: returns a new collection.
 */
export function repairFeatureCollection(input: unknown, opts: RepairOptions = {}): { output: unknown; changes: RepairChange[] } {
  if (!isObject(input) || !Array.isArray(input.features)) return { output: input, changes: [] };
  const sliverM2 = opts.sliverM2 ?? 10;
  const changes: RepairChange[] = [];
  const shapes: (Polygons | null)[] = input.features.map((raw: unknown, i: number) => {
    if (!isObject(raw) || !isObject(raw.geometry)) return null;
    const g = raw.geometry;
    if (g.type !== 'Polygon' && g.type !== 'MultiPolygon') return null;
    const read = readRings(g.type === 'Polygon' ? [g.coordinates] : g.coordinates, i, changes);
    if (!read || read.length === 0) return null;
    const problems: Problem[] = [];
    const valid = validateFeature({ type: 'Feature', properties: {}, geometry: { type: 'MultiPolygon', coordinates: read } }, i, problems);
    let polygons = read;
    if (!valid) {
      try {
        polygons = polygonClipping.union(read as never) as Polygons;
        changes.push({ feature: i, action: 'made_valid', message: `rebuilt the shape from what its rings enclose (${[...new Set(problems.map((p) => p.code))].join(', ')})` });
      } catch {
        return read;
      }
    }
    return dropSlivers(polygons, sliverM2, i, changes);
  });
  const groups = new Map<string, number[]>();
  input.features.forEach((raw: unknown, i: number) => {
    const props = isObject(raw) && isObject(raw.properties) ? raw.properties : {};
    const group = opts.groupOf ? opts.groupOf(props) : '';
    if (group !== null && shapes[i]) groups.set(group, [...(groups.get(group) ?? []), i]);
  });
  for (const members of groups.values()) {
    const list = members.map((i) => ({ i, polygons: shapes[i] as Polygons, bbox: bboxOf(shapes[i] as Polygons) }));
    const hits = findOverlaps(list, null, 0.01).sort((x, y) => x.b - y.b || x.a - y.a);
    for (const hit of hits) {
      const [keep, cut] = [list[hit.a], list[hit.b]];
      try {
        const rest = polygonClipping.difference(shapes[cut.i] as never, shapes[keep.i] as never) as Polygons;
        shapes[cut.i] = dropSlivers(rest, sliverM2, cut.i, changes);
        changes.push({ feature: cut.i, action: 'gave_overlap', message: `gave ${hit.areaM2.toFixed(1)} m² it shared with feature ${keep.i} to feature ${keep.i} (the earlier feature keeps an overlap)` });
        if ((shapes[cut.i] as Polygons).length === 0) changes.push({ feature: cut.i, action: 'emptied', message: `nothing is left after giving its overlaps away` });
      } catch {
        // Left for validation to report as an overlap.
      }
    }
  }
  const features = input.features.map((raw: unknown, i: number) => {
    const polygons = shapes[i];
    if (!polygons || !isObject(raw)) return raw;
    const geometry = polygons.length === 1 ? { type: 'Polygon', coordinates: polygons[0] } : { type: 'MultiPolygon', coordinates: polygons };
    return { ...raw, geometry };
  });
  return { output: { ...input, features }, changes: changes.sort((a, b) => a.feature - b.feature) };
}
