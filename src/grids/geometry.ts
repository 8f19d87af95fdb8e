/**
 * Plain WGS84 polygon geometry: types and measures shared by validation, import and the index.
 * Coordinates are [lon, lat] degrees. Point-in-polygon and orientation work in the lon/lat plane
 * (as GeoJSON tools do); areas and distances are in metres on a sphere.
 */

/** [lon, lat] in WGS84 degrees. */
export type Position = [number, number];
/** A closed ring: the last position repeats the first. */
export type Ring = Position[];
/** One polygon: the outer ring first, then its holes. */
export type PolygonRings = Ring[];
/** A grid's shape as a list of polygons (a GeoJSON Polygon is a list of one). */
export type Polygons = PolygonRings[];

export type GridGeometry = { type: 'Polygon'; coordinates: PolygonRings } | { type: 'MultiPolygon'; coordinates: Polygons };

export interface BBox {
  minLon: number;
  minLat: number;
  maxLon: number;
  maxLat: number;
}

// WGS84 equatorial radius for areas, as @turf/area and geojson-area use, so figures match GIS tools.
const AREA_RADIUS_M = 6378137;
// Mean Earth radius for short distances (local equirectangular projection).
const MEAN_RADIUS_M = 6371008.8;
/** Metres per degree of latitude (and of longitude at the equator) on the mean sphere. */
export const METRES_PER_DEGREE = (Math.PI * MEAN_RADIUS_M) / 180;

const rad = (deg: number) => (deg * Math.PI) / 180;

/** The polygons of a Polygon or MultiPolygon geometry. */
export function polygonsOf(geometry: GridGeometry): Polygons {
  return geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
}

/** Bounding box of every position of `polygons`' outer rings (holes lie inside them). */
export function bboxOf(polygons: Polygons): BBox {
  const box: BBox = { minLon: Infinity, minLat: Infinity, maxLon: -Infinity, maxLat: -Infinity };
  for (const polygon of polygons) {
    for (const [lon, lat] of polygon[0] ?? []) {
      if (lon < box.minLon) box.minLon = lon;
      if (lat < box.minLat) box.minLat = lat;
      if (lon > box.maxLon) box.maxLon = lon;
      if (lat > box.maxLat) box.maxLat = lat;
    }
  }
  return box;
}

/** Area of a closed ring in m² on the sphere (spherical excess, unsigned). */
export function ringAreaM2(ring: Ring): number {
  const m = ring.length - 1;
  if (m < 3) return 0;
  let total = 0;
  for (let i = 0; i < m; i++) {
    const lower = ring[i];
    const middle = ring[(i + 1) % m];
    const upper = ring[(i + 2) % m];
    total += (rad(upper[0]) - rad(lower[0])) * Math.sin(rad(middle[1]));
  }
  return Math.abs((total * AREA_RADIUS_M * AREA_RADIUS_M) / 2);
}

/** Area in m² of polygons with holes: outer rings minus holes. */
export function areaM2(polygons: Polygons): number {
  let total = 0;
  for (const polygon of polygons) {
    polygon.forEach((ring, i) => (total += i === 0 ? ringAreaM2(ring) : -ringAreaM2(ring)));
  }
  return Math.max(0, total);
}

/** Signed shoelace area and the area moment of a ring in the lon/lat plane. */
function ringMoments(ring: Ring): { a: number; cx: number; cy: number } {
  let a = 0;
  let cx = 0;
  let cy = 0;
  for (let i = 0; i < ring.length - 1; i++) {
    const [x0, y0] = ring[i];
    const [x1, y1] = ring[i + 1];
    const f = x0 * y1 - x1 * y0;
    a += f;
    cx += (x0 + x1) * f;
    cy += (y0 + y1) * f;
  }
  return { a: a / 2, cx: cx / 6, cy: cy / 6 };
}

/** Area-weighted centroid in the lon/lat plane (holes subtract); the bbox centre if degenerate. */
export function centroidOf(polygons: Polygons): Position {
  let a = 0;
  let cx = 0;
  let cy = 0;
  for (const polygon of polygons) {
    polygon.forEach((ring, i) => {
      const m = ringMoments(ring);
      // Orientation varies between sources: outer rings count positive and holes negative, whatever their winding.
      const sign = (i === 0 ? 1 : -1) * Math.sign(m.a);
      a += sign * m.a;
      cx += sign * m.cx;
      cy += sign * m.cy;
    });
  }
  if (Math.abs(a) < 1e-18) {
    const box = bboxOf(polygons);
    return [(box.minLon + box.maxLon) / 2, (box.minLat + box.maxLat) / 2];
  }
  return [cx / a, cy / a];
}

/**
 * A point guaranteed inside a valid polygon set (unlike the centroid of a U shape): on the horizontal
 * line through the largest polygon's centroid, the middle of the widest stretch inside that polygon.
 */
export function interiorPoint(polygons: Polygons): Position {
  let largest = polygons[0];
  let best = -1;
  for (const polygon of polygons) {
    const area = areaM2([polygon]);
    if (area > best) [largest, best] = [polygon, area];
  }
  const [cx, y] = centroidOf([largest]);
  const xs: number[] = [];
  for (const ring of largest) {
    for (let i = 0; i < ring.length - 1; i++) {
      const [x0, y0] = ring[i];
      const [x1, y1] = ring[i + 1];
      if (y0 > y !== y1 > y) xs.push(x0 + ((y - y0) * (x1 - x0)) / (y1 - y0));
    }
  }
  xs.sort((p, q) => p - q);
  let point: Position = [cx, y];
  let widest = -1;
  for (let i = 0; i + 1 < xs.length; i += 2) {
    if (xs[i + 1] - xs[i] > widest) [widest, point] = [xs[i + 1] - xs[i], [(xs[i] + xs[i + 1]) / 2, y]];
  }
  return point;
}

/** Even-odd point-in-polygon over all rings of one polygon (holes included); boundary points may go either way. */
export function pointInRings(x: number, y: number, rings: PolygonRings): boolean {
  let inside = false;
  for (const ring of rings) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i];
      const [xj, yj] = ring[j];
      if (yi > y !== yj > y && x < xj + ((y - yj) * (xi - xj)) / (yi - yj)) inside = !inside;
    }
  }
  return inside;
}

/**
 * Squared distance in m² from (x, y) to the segment (ax, ay)–(bx, by), all in degrees, projected
 * equirectangularly with `kx` metres per degree of longitude (cos(lat) × METRES_PER_DEGREE).
 */
export function segmentDistanceSq(x: number, y: number, ax: number, ay: number, bx: number, by: number, kx: number): number {
  const px = (x - ax) * kx;
  const py = (y - ay) * METRES_PER_DEGREE;
  const dx = (bx - ax) * kx;
  const dy = (by - ay) * METRES_PER_DEGREE;
  const len2 = dx * dx + dy * dy;
  let t = len2 > 0 ? (px * dx + py * dy) / len2 : 0;
  if (t < 0) t = 0;
  else if (t > 1) t = 1;
  const ex = px - t * dx;
  const ey = py - t * dy;
  return ex * ex + ey * ey;
}
