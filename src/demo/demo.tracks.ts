import { METRES_PER_DEGREE } from '../grids/geometry.js';
import type { TargetGeometry, TrackPoint } from '../patrols/patrol.track.js';

/** How a demo patrol walks: its start, length, speed (km/h), fix interval and where on its route it begins (0–1). */
export interface Walk {
  startMs: number;
  durationS: number;
  speedKmh: number;
  stepS?: number;
  offset: number;
  /** Metres east the whole track is moved (a track recorded somewhere else). */
  shiftM?: number;
}

/**
 * The route a patrol of a target follows: a loop inside a polygon (its outer ring drawn in
 * towards the middle), along a line and back, or a small circle round a point. `loop` says whether
 * the route closes on itself.
 */
export function routeOf(g: TargetGeometry): { path: number[][]; loop: boolean } {
  switch (g.type) {
    case 'Point': {
      const [lon, lat] = g.coordinates;
      const kx = Math.cos((lat * Math.PI) / 180) * METRES_PER_DEGREE;
      const path = Array.from({ length: 13 }, (_, i) => [lon + (60 * Math.cos((i * Math.PI) / 6)) / kx, lat + (60 * Math.sin((i * Math.PI) / 6)) / METRES_PER_DEGREE]);
      return { path, loop: true };
    }
    case 'LineString': return { path: g.coordinates, loop: false };
    case 'MultiLineString': return { path: g.coordinates[0], loop: false };
    case 'Polygon':
    case 'MultiPolygon': {
      const ring = g.type === 'Polygon' ? g.coordinates[0] : g.coordinates[0][0];
      const n = ring.length - 1;
      const cx = ring.slice(0, n).reduce((s, p) => s + p[0], 0) / n;
      const cy = ring.slice(0, n).reduce((s, p) => s + p[1], 0) / n;
      return { path: ring.map(([x, y]) => [cx + (x - cx) * 0.8, cy + (y - cy) * 0.8]), loop: true };
    }
  }
}

/**
 * A GPS track walking a target's route at a steady speed, one fix every `stepS` seconds (default
 * 30), from `offset` of the way along it; a line is walked to its end and back. Deterministic.
 */
export function walkTrack(g: TargetGeometry, walk: Walk): TrackPoint[] {
  const { path, loop } = routeOf(g);
  const lat0 = path[0][1];
  const kx = Math.cos((lat0 * Math.PI) / 180) * METRES_PER_DEGREE;
  const cumulative = [0];
  for (let i = 1; i < path.length; i++) cumulative.push(cumulative[i - 1] + Math.hypot((path[i][0] - path[i - 1][0]) * kx, (path[i][1] - path[i - 1][1]) * METRES_PER_DEGREE));
  const length = cumulative[cumulative.length - 1] || 1;
  const at = (d: number): [number, number] => {
    let along = loop ? ((d % length) + length) % length : d % (2 * length);
    if (!loop && along > length) along = 2 * length - along;
    let i = 1;
    while (i < cumulative.length - 1 && cumulative[i] < along) i++;
    const seg = cumulative[i] - cumulative[i - 1] || 1;
    const f = Math.min(1, Math.max(0, (along - cumulative[i - 1]) / seg));
    return [path[i - 1][0] + (path[i][0] - path[i - 1][0]) * f, path[i - 1][1] + (path[i][1] - path[i - 1][1]) * f];
  };
  const step = walk.stepS ?? 30;
  const metresPerS = walk.speedKmh / 3.6;
  const shift = (walk.shiftM ?? 0) / kx;
  const out: TrackPoint[] = [];
  for (let s = 0; s <= walk.durationS; s += step) {
    const [lon, lat] = at(walk.offset * length + s * metresPerS);
    out.push({ t: walk.startMs + s * 1000, lon: Math.round((lon + shift) * 1e6) / 1e6, lat: Math.round(lat * 1e6) / 1e6 });
  }
  return out;
}
