import type { MultiPolygon } from 'polygon-clipping';
import { AppError } from '../errors.js';
import { readCityDivisions, type CityDivisions } from '../org/divisions.js';
import { allocateGrids } from './geometry/allocate.js';
import { classifyCommunity, classifyStreet, shortCommunityName, type CommunityKind } from './geometry/classify.js';
import type { Feature, FeatureCollection, Position } from './geometry/geojson.js';
import { partitionDistricts, splitCommunity, splitDistrict, splitStreet, type PlaneFrame } from './geometry/layout.js';
import { snapRound } from './geometry/noding.js';
import { centroidOf, distance } from './geometry/planar.js';
import { forkRng, mulberry32 } from './geometry/rng.js';
import { toLonLat, toPlane, WUHAI_DISTRICT_FRAMES } from './geometry/wuhai.js';

export type { Feature, FeatureCollection } from './geometry/geojson.js';
export { KM_PER_DEG_LAT, KM_PER_DEG_LON, WUHAI_DISTRICT_FRAMES, type DistrictFrame } from './geometry/wuhai.js';

export interface GenerateDemoGridsOptions {
  /** Integer PRNG seed; the same seed gives identical output on every machine. Default 1503. */
  seed?: number;
  /** Total number of grids (kept within what the per-kind ranges allow). Default 640. */
  targetGrids?: number;
}

export interface GridProperties {
  /** 12-digit community (村级) code the grid belongs to. */
  community: string;
  /** Display name, e.g. 和平社区第3网格 (unique within a district). */
  name: string;
  /** 1-based number of the grid within its community. */
  serial: number;
}

export interface AreaProperties {
  code: string;
  name: string;
  /** Code of the enclosing unit: the city for a district, the district for a street, the street for a community. */
  parent: string;
}

export interface DemoGeometry {
  grids: FeatureCollection<GridProperties>;
  communityAreas: FeatureCollection<AreaProperties>;
  streetAreas: FeatureCollection<AreaProperties>;
  districtAreas: FeatureCollection<AreaProperties>;
}

/** Vertices closer than this (degrees, ≈0.2 m) are merged before rounding to 6 decimals. */
const SNAP_TOLERANCE_DEG = 2e-6;
const DECIMALS = 6;

/** Share of the spare grids per kind: urban communities nearer the centre get the most. */
const GRID_WEIGHT: Record<CommunityKind, (nearness: number) => number> = {
  urban: (nearness) => nearness,
  town: () => 0.25,
  village: () => 0.12,
  zone: () => 0.12,
};

interface Unit {
  code: string;
  name: string;
  parent: string;
  area: MultiPolygon;
}

interface District extends Unit {
  frame: PlaneFrame & { urbanRadiusKm: number };
}

interface Community extends Unit {
  kind: CommunityKind;
  /** 1 at the district centre, falling off with distance in urban radii. */
  nearness: number;
}

/**
 * Draws a deterministic synthetic map of unit grids (单元网格) over a city's real divisions.
 * Overlapping district extents are partitioned by nearest centre; each district is split into
 * streets, each street into communities and each community into grids by seeded Voronoi cells
 * clipped to the parent; all levels are then snap-rounded together to 6 decimals, so the output
 * is a valid, overlap-free RFC 7946 mosaic in which every grid lies in its community and district.
 * Urban communities are small and dense near district centres; villages and zones are larger and
 * further out. Throws validation_failed when a district has no entry in WUHAI_DISTRICT_FRAMES.
 */
export function generateDemoGrids(divisions: CityDivisions = readCityDivisions('1503'), opts: GenerateDemoGridsOptions = {}): DemoGeometry {
  const seed = opts.seed ?? 1503;
  const districts = drawDistricts(divisions);
  const streets = districts.flatMap((d) => drawStreets(divisions, d, seed));
  const communities = streets.flatMap((s) => drawCommunities(divisions, s, districts, seed));
  const jitter = mulberry32(seed);
  const counts = allocateGrids(
    communities.map((c) => ({ kind: c.kind, weight: (0.75 + 0.5 * jitter.next()) * GRID_WEIGHT[c.kind](c.nearness) })),
    opts.targetGrids ?? 640,
  );
  const grids = communities.flatMap((c, i) => splitCommunity(forkRng(seed, `community:${c.code}`), c.area, counts[i]).map((area) => ({ community: c, area })));

  // Coarse levels go first so their vertices win when snapping merges near-duplicates.
  const levels: Unit[][] = [districts, streets, communities];
  const rounded = snapRound([...levels.flat().map((u) => u.area), ...grids.map((g) => g.area)].map(toDegrees), SNAP_TOLERANCE_DEG, DECIMALS);
  const [districtAreas, streetAreas, communityAreas] = levels.map((units, k) => {
    const offset = levels.slice(0, k).reduce((n, l) => n + l.length, 0);
    return collection(units.map((u, i) => feature(rounded[offset + i], { code: u.code, name: u.name, parent: u.parent })));
  });
  return { grids: collection(gridFeatures(grids, rounded.slice(levels.flat().length))), communityAreas, streetAreas, districtAreas };
}

function drawDistricts(divisions: CityDivisions): District[] {
  const frames = divisions.districts.map(({ code }) => {
    const frame = WUHAI_DISTRICT_FRAMES[code];
    if (!frame) throw new AppError('validation_failed', `no demo frame (extent box, centre) for district ${code}`, { field: 'districts' });
    const [sw, ne] = [toPlane([frame.box[0], frame.box[1]]), toPlane([frame.box[2], frame.box[3]])];
    return { box: [sw[0], sw[1], ne[0], ne[1]] as PlaneFrame['box'], centre: toPlane(frame.centre), urbanRadiusKm: frame.urbanRadiusKm };
  });
  const areas = partitionDistricts(frames);
  return divisions.districts.map((d, i) => ({ code: d.code, name: d.name, parent: divisions.city.code, area: areas[i], frame: frames[i] }));
}

function drawStreets(divisions: CityDivisions, district: District, seed: number): Unit[] {
  const rows = divisions.streets.filter((s) => s.districtCode === district.code);
  const plans = rows.map((s) => ({ kind: classifyStreet(s.name), communities: divisions.communities.filter((c) => c.streetCode === s.code).length }));
  const { centre, urbanRadiusKm } = district.frame;
  const areas = splitDistrict(forkRng(seed, `district:${district.code}`), district.area, centre, urbanRadiusKm, plans);
  return rows.map((s, k) => ({ code: s.code, name: s.name, parent: district.code, area: areas[k] }));
}

function drawCommunities(divisions: CityDivisions, street: Unit, districts: District[], seed: number): Community[] {
  const { centre, urbanRadiusKm } = (districts.find((d) => d.code === street.parent) ?? districts[0]).frame;
  const streetKind = classifyStreet(street.name);
  const rows = divisions.communities.filter((c) => c.streetCode === street.code);
  const kinds = rows.map((c) => classifyCommunity(c.name, streetKind));
  const areas = splitStreet(forkRng(seed, `street:${street.code}`), street.area, centre, urbanRadiusKm, kinds);
  return rows.map((c, k) => ({
    code: c.code,
    name: c.name,
    parent: street.code,
    area: areas[k],
    kind: kinds[k],
    nearness: 1 / (1 + distance(centroidOf(areas[k]), centre) / urbanRadiusKm),
  }));
}

function gridFeatures(grids: { community: Unit }[], areas: MultiPolygon[]): Feature<GridProperties>[] {
  const serials = new Map<string, number>();
  return grids.flatMap(({ community }, i) => {
    // A grid whose rings all collapsed under snapping is a sliver; its neighbours cover it.
    if (areas[i].length === 0) return [];
    const serial = (serials.get(community.code) ?? 0) + 1;
    serials.set(community.code, serial);
    return [feature(areas[i], { community: community.code, name: `${shortCommunityName(community.name)}第${serial}网格`, serial })];
  });
}

function toDegrees(mp: MultiPolygon): MultiPolygon {
  return mp.map((poly) => poly.map((ring) => ring.map((p) => toLonLat(p))));
}

function feature<P>(mp: MultiPolygon, properties: P): Feature<P> {
  const coords = mp.map((poly) => poly.map((ring) => ring.map(([x, y]): Position => [x, y])));
  return coords.length === 1
    ? { type: 'Feature', geometry: { type: 'Polygon', coordinates: coords[0] }, properties }
    : { type: 'Feature', geometry: { type: 'MultiPolygon', coordinates: coords }, properties };
}

function collection<P>(features: Feature<P>[]): FeatureCollection<P> {
  return { type: 'FeatureCollection', features };
}
