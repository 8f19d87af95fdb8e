import { AppError } from '../errors.js';
import { METRES_PER_DEGREE, pointInRings, segmentDistanceSq, type PolygonRings } from '../grids/geometry.js';

/** One GPS fix: when (epoch ms), where (WGS84). */
export interface TrackPoint {
  t: number;
  lon: number;
  lat: number;
}

/** A track as posted: a LineString whose positions carry their time as a 4th coordinate, or a Feature with `properties.times`. */
export type TrackInput =
  | { type: 'LineString'; coordinates: number[][] }
  | { type: 'Feature'; geometry: { type: 'LineString'; coordinates: number[][] }; properties?: { times?: (string | number)[]; coordTimes?: (string | number)[] } | null };

/** What a target looks like on the map: a point (risk point), lines (river reach, route) or polygons (grid, lake). */
export type TargetGeometry =
  | { type: 'Point'; coordinates: number[] }
  | { type: 'LineString'; coordinates: number[][] }
  | { type: 'MultiLineString'; coordinates: number[][][] }
  | { type: 'Polygon'; coordinates: number[][][] }
  | { type: 'MultiPolygon'; coordinates: number[][][][] };

/** Epoch ms of a time given as ISO-8601 text, epoch milliseconds, or epoch seconds (below 1e11). */
function timeOf(value: string | number | undefined, index: number): number {
  const ms = typeof value === 'number' ? (value < 1e11 ? value * 1000 : value) : typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value) ? Date.parse(value) : NaN;
  if (!Number.isFinite(ms)) throw new AppError('validation_failed', `track point ${index} has no valid time (4th coordinate or properties.times[${index}])`, { field: 'track' });
  return ms;
}

/**
 * The points of a posted track, each with its own time, in the order given. Throws
 * validation_failed for a point without a time, coordinates out of range, or times and
 * coordinates of different lengths.
 */
export function parseTrack(track: TrackInput): TrackPoint[] {
  const coords = track.type === 'Feature' ? track.geometry.coordinates : track.coordinates;
  const times = track.type === 'Feature' ? track.properties?.times ?? track.properties?.coordTimes : undefined;
  if (times && times.length !== coords.length) throw new AppError('validation_failed', 'properties.times must have one time per coordinate', { field: 'track' });
  return coords.map((c, i) => {
    const [lon, lat] = c;
    if (!(lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90)) throw new AppError('invalid_coordinates', `track point ${i} is not a WGS84 lon,lat`, { field: 'track' });
    return { lon, lat, t: timeOf(times ? times[i] : c[3], i) };
  });
}

/** Merges a batch into stored points: one point per timestamp (the first stored wins), sorted by time. */
export function mergePoints(stored: TrackPoint[], batch: TrackPoint[]): TrackPoint[] {
  const byTime = new Map<number, TrackPoint>();
  for (const p of [...stored, ...batch]) if (!byTime.has(p.t)) byTime.set(p.t, p);
  return [...byTime.values()].sort((a, b) => a.t - b.t);
}

/** Great-circle distance in metres (haversine on the mean sphere). */
export function haversineM(a: { lon: number; lat: number }, b: { lon: number; lat: number }): number {
  const r = Math.PI / 180;
  const dLat = (b.lat - a.lat) * r;
  const dLon = (b.lon - a.lon) * r;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * r) * Math.cos(b.lat * r) * Math.sin(dLon / 2) ** 2;
  return 2 * (METRES_PER_DEGREE * 180 / Math.PI) * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Length of a time-sorted track in metres. */
export function trackLengthM(points: TrackPoint[]): number {
  let sum = 0;
  for (let i = 1; i < points.length; i++) sum += haversineM(points[i - 1], points[i]);
  return sum;
}

/**
 * The highest speed (km/h) over any stretch of at least `windowS` seconds: short windows would
 * turn GPS jitter between two fixes a second apart into absurd speeds.
 */
export function maxSpeedKmh(points: TrackPoint[], windowS = 10): number {
  let max = 0;
  let j = 0;
  let along = 0;
  const cumulative = [0];
  for (let i = 1; i < points.length; i++) cumulative.push((along += haversineM(points[i - 1], points[i])));
  for (let i = 0; i < points.length; i++) {
    if (j < i) j = i;
    while (j < points.length && points[j].t - points[i].t < windowS * 1000) j++;
    if (j >= points.length) break;
    const speed = ((cumulative[j] - cumulative[i]) / ((points[j].t - points[i].t) / 1000)) * 3.6;
    if (speed > max) max = speed;
  }
  return max;
}

/** Distance in metres from a position to the track (its segments; a single fix is a point). */
function distanceToTrack(lon: number, lat: number, points: TrackPoint[]): number {
  const kx = Math.cos((lat * Math.PI) / 180) * METRES_PER_DEGREE;
  if (points.length === 1) return Math.sqrt(segmentDistanceSq(lon, lat, points[0].lon, points[0].lat, points[0].lon, points[0].lat, kx));
  let best = Infinity;
  for (let i = 1; i < points.length; i++) {
    const d = segmentDistanceSq(lon, lat, points[i - 1].lon, points[i - 1].lat, points[i].lon, points[i].lat, kx);
    if (d < best) best = d;
  }
  return Math.sqrt(best);
}

/** Points along a line every `stepM` metres (its vertices included). */
function sampleLine(line: number[][], stepM: number): number[][] {
  const out: number[][] = [];
  for (let i = 1; i < line.length; i++) {
    const a = { lon: line[i - 1][0], lat: line[i - 1][1] };
    const b = { lon: line[i][0], lat: line[i][1] };
    const n = Math.max(1, Math.ceil(haversineM(a, b) / stepM));
    for (let k = 0; k < n; k++) out.push([a.lon + ((b.lon - a.lon) * k) / n, a.lat + ((b.lat - a.lat) * k) / n]);
  }
  if (line.length) out.push(line[line.length - 1]);
  return out;
}

/** A lattice of about `n`×`n` points over a polygon's box, kept where they fall inside it. */
function samplePolygon(rings: number[][][], n: number): number[][] {
  const xs = rings[0].map((p) => p[0]);
  const ys = rings[0].map((p) => p[1]);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const out: number[][] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const x = x0 + ((i + 0.5) * (x1 - x0)) / n;
      const y = y0 + ((j + 0.5) * (y1 - y0)) / n;
      if (pointInRings(x, y, rings as PolygonRings)) out.push([x, y]);
    }
  }
  return out.length ? out : [rings[0][0]];
}

/** The places of a target a patrol should pass near, to measure coverage (at most a few hundred). */
export function targetSamples(g: TargetGeometry): number[][] {
  switch (g.type) {
    case 'Point':
      return [g.coordinates];
    case 'LineString':
      return thin(sampleLine(g.coordinates, 50));
    case 'MultiLineString':
      return thin(g.coordinates.flatMap((l) => sampleLine(l, 50)));
    case 'Polygon':
      return samplePolygon(g.coordinates, 12);
    case 'MultiPolygon':
      return g.coordinates.flatMap((p) => samplePolygon(p, 8));
  }
}

function thin(points: number[][], max = 300): number[][] {
  if (points.length <= max) return points;
  const step = points.length / max;
  return Array.from({ length: max }, (_, i) => points[Math.floor(i * step)]);
}

/** Whether a position lies in a polygon target (lines and points have no inside). */
function insideTarget(g: TargetGeometry, lon: number, lat: number): boolean {
  if (g.type === 'Polygon') return pointInRings(lon, lat, g.coordinates as PolygonRings);
  if (g.type === 'MultiPolygon') return g.coordinates.some((p) => pointInRings(lon, lat, p as PolygonRings));
  return false;
}

/**
 * How well a track covers its target: the share of the target's sample places within `bufferM`
 * of the track, and whether any fix lies on the target at all (inside a polygon or within
 * `bufferM` of a sample place). A track with no fix on the target is flagged outside_target.
 */
export function coverageOf(points: TrackPoint[], g: TargetGeometry, bufferM: number): { coverage: number; touches: boolean } {
  if (points.length === 0) return { coverage: 0, touches: false };
  const samples = targetSamples(g);
  const near = samples.filter(([x, y]) => distanceToTrack(x, y, points) <= bufferM).length;
  const touches = near > 0 || points.some((p) => insideTarget(g, p.lon, p.lat));
  return { coverage: near / samples.length, touches };
}
