import { areaM2, bboxOf, interiorPoint, pointInRings, type BBox, type GridGeometry, type PolygonRings, type Polygons, type Ring } from './geometry.js';
import { findRingClashes } from './geometry.segments.js';
import { findOverlaps } from './geometry.overlap.js';
import type { Problem } from './grid.problems.js';

/** A feature whose geometry passed every check, normalised: 2-D positions, closed rings, no repeated vertices. */
export interface ParsedFeature {
  index: number;
  geometry: GridGeometry;
  polygons: Polygons;
  properties: Record<string, unknown>;
  bbox: BBox;
  areaM2: number;
}

export interface ValidationResult {
  features: ParsedFeature[];
  problems: Problem[];
}

export const MAX_FEATURES = 50_000;
/** Default: grids may overlap by at most this much (digitising noise along shared edges). */
export const DEFAULT_OVERLAP_TOLERANCE_M2 = 1;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Reads one ring: positions must be [lon, lat, ...] numbers in range, at least 4, closed. */
function parseRing(raw: unknown, feature: number, ring: number, problems: Problem[]): Ring | null {
  const at = (code: Problem['code'], message: string) => (problems.push({ feature, ring, code, message }), null);
  if (!Array.isArray(raw)) return at('malformed_coordinates', `ring ${ring} is not an array of positions`);
  const out: Ring = [];
  for (let i = 0; i < raw.length; i++) {
    const p: unknown = raw[i];
    if (!Array.isArray(p) || p.length < 2 || typeof p[0] !== 'number' || typeof p[1] !== 'number') {
      return at('malformed_coordinates', `ring ${ring} position ${i} is not [lon, lat]`);
    }
    const [lon, lat] = p as [number, number];
    if (!Number.isFinite(lon) || !Number.isFinite(lat) || lon < -180 || lon > 180 || lat < -90 || lat > 90) {
      return at('coordinate_out_of_range', `ring ${ring} position ${i} [${lon}, ${lat}] is outside lon -180..180 / lat -90..90`);
    }
    const prev = out[out.length - 1];
    if (!prev || prev[0] !== lon || prev[1] !== lat) out.push([lon, lat]);
  }
  if (raw.length < 4) return at('ring_too_short', `ring ${ring} has ${raw.length} positions; a ring needs at least 4 (closing one included)`);
  const first = raw[0] as number[];
  const last = raw[raw.length - 1] as number[];
  if (first[0] !== last[0] || first[1] !== last[1]) return at('ring_not_closed', `ring ${ring} does not end where it starts`);
  if (out.length < 4) return at('ring_too_short', `ring ${ring} has fewer than 3 distinct vertices`);
  return out;
}

/** Reads the polygons of a geometry's coordinates, numbering rings across polygons. */
function parsePolygons(raw: unknown, feature: number, problems: Problem[]): Polygons | null {
  if (!Array.isArray(raw) || raw.length === 0) return (problems.push({ feature, code: 'malformed_coordinates', message: 'coordinates are not a list of polygons' }), null);
  const polygons: Polygons = [];
  let ring = 0;
  let ok = true;
  for (const rawPolygon of raw) {
    if (!Array.isArray(rawPolygon) || rawPolygon.length === 0) {
      problems.push({ feature, ring, code: 'malformed_coordinates', message: `polygon starting at ring ${ring} has no rings` });
      ok = false;
      continue;
    }
    const polygon: PolygonRings = [];
    for (const rawRing of rawPolygon) {
      const parsed = parseRing(rawRing, feature, ring++, problems);
      if (parsed) polygon.push(parsed);
      else ok = false;
    }
    polygons.push(polygon);
  }
  return ok ? polygons : null;
}

const within = (inner: BBox, outer: BBox) => inner.minLon >= outer.minLon && inner.maxLon <= outer.maxLon && inner.minLat >= outer.minLat && inner.maxLat <= outer.maxLat;

/** Topology of well-formed rings: crossings, holes outside their shell, parts inside each other, zero area. */
function checkTopology(polygons: Polygons, feature: number): Problem[] {
  const problems: Problem[] = [];
  for (const clash of findRingClashes(polygons.flat())) {
    problems.push(clash.kind === 'self'
      ? { feature, ring: clash.ringA, code: 'self_intersection', message: `ring ${clash.ringA} crosses or touches itself` }
      : { feature, ring: clash.ringA, code: 'ring_intersection', message: `rings ${clash.ringA} and ${clash.ringB} cross each other` });
  }
  if (problems.length > 0) return problems;
  let ring = 0;
  polygons.forEach((polygon) => {
    const shellBox = bboxOf([polygon]);
    polygon.slice(1).forEach((hole, h) => {
      const [x, y] = interiorPoint([[hole]]);
      if (!within(bboxOf([[hole]]), shellBox) || !pointInRings(x, y, [polygon[0]])) {
        problems.push({ feature, ring: ring + 1 + h, code: 'hole_outside_shell', message: `hole ring ${ring + 1 + h} is not inside its outer ring ${ring}` });
      }
    });
    ring += polygon.length;
  });
  polygons.forEach((p, i) => {
    const [x, y] = interiorPoint([p]);
    const host = polygons.findIndex((q, j) => j !== i && pointInRings(x, y, q));
    if (host >= 0) problems.push({ feature, code: 'parts_overlap', message: `polygon ${i} lies inside polygon ${host} of the same MultiPolygon` });
  });
  if (problems.length === 0 && areaM2(polygons) <= 0) problems.push({ feature, code: 'zero_area', message: 'the shape has no area' });
  return problems;
}

/** An overlap area for messages ("an unknown area" when clipping failed). */
export const formatArea = (m2: number) => (Number.isFinite(m2) ? `${m2.toFixed(1)} m²` : 'an unknown area');

/** Checks one feature; returns it normalised when it has no problem. */
export function validateFeature(raw: unknown, index: number, problems: Problem[]): ParsedFeature | null {
  if (!isObject(raw) || raw.type !== 'Feature') return (problems.push({ feature: index, code: 'not_a_feature', message: 'not a GeoJSON Feature' }), null);
  const props = raw.properties ?? {};
  if (!isObject(props)) return (problems.push({ feature: index, code: 'not_a_feature', message: 'properties must be an object or null' }), null);
  const geom = raw.geometry;
  if (!isObject(geom) || (geom.type !== 'Polygon' && geom.type !== 'MultiPolygon')) {
    const type = isObject(geom) ? String(geom.type) : String(geom);
    return (problems.push({ feature: index, code: 'unsupported_geometry', message: `geometry ${type} is not a Polygon or MultiPolygon` }), null);
  }
  const polygons = parsePolygons(geom.type === 'Polygon' ? [geom.coordinates] : geom.coordinates, index, problems);
  if (!polygons) return null;
  const topology = checkTopology(polygons, index);
  if (topology.length > 0) return (problems.push(...topology), null);
  const geometry: GridGeometry = geom.type === 'Polygon' ? { type: 'Polygon', coordinates: polygons[0] } : { type: 'MultiPolygon', coordinates: polygons };
  return { index, geometry, polygons, properties: props, bbox: bboxOf(polygons), areaM2: areaM2(polygons) };
}

/**
 * Validates a GeoJSON FeatureCollection of grid shapes (WGS84 Polygon/MultiPolygon, holes allowed)
 * without touching the database. Every problem is listed with its feature (and ring) index and a
 * stable code (see grid.problems.ts); features that pass are returned normalised. Pairs of grids
 * overlapping by more than `overlapToleranceM2` are reported on the later feature.
 */
export function validateFeatureCollection(input: unknown, opts: { overlapToleranceM2?: number } = {}): ValidationResult {
  if (!isObject(input) || input.type !== 'FeatureCollection' || !Array.isArray(input.features)) {
    return { features: [], problems: [{ feature: null, code: 'not_feature_collection', message: 'the file is not a GeoJSON FeatureCollection' }] };
  }
  if (input.features.length === 0) return { features: [], problems: [{ feature: null, code: 'empty_collection', message: 'the FeatureCollection has no features' }] };
  if (input.features.length > MAX_FEATURES) {
    return { features: [], problems: [{ feature: null, code: 'too_many_features', message: `at most ${MAX_FEATURES} grids per import, got ${input.features.length}` }] };
  }
  const problems: Problem[] = [];
  const features = input.features.map((f: unknown, i: number) => validateFeature(f, i, problems)).filter((f): f is ParsedFeature => f !== null);
  const tolerance = opts.overlapToleranceM2 ?? DEFAULT_OVERLAP_TOLERANCE_M2;
  for (const hit of findOverlaps(features, null, tolerance)) {
    const [a, b] = [features[hit.a].index, features[hit.b].index];
    problems.push({ feature: b, code: 'grid_overlap', otherFeature: a, message: `overlaps feature ${a} by ${formatArea(hit.areaM2)} (tolerance ${tolerance} m²)` });
  }
  return { features, problems };
}
