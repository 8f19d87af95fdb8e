import type { Pair } from 'polygon-clipping';

/** Extent box [minLon, minLat, maxLon, maxLat], centre and urban-core radius of one district. */
export interface DistrictFrame {
  box: [number, number, number, number];
  centre: Pair;
  urbanRadiusKm: number;
}

/**
 * Wuhai's districts as given by the demo spec (see cn-governance-rules §10). The boxes overlap;
 * `partitionDistricts` gives each overlap to the district whose centre is nearest.
 */
export const WUHAI_DISTRICT_FRAMES: Readonly<Record<string, DistrictFrame>> = {
  '150302': { box: [106.75, 39.5, 106.97, 39.92], centre: [106.818, 39.674], urbanRadiusKm: 5 },
  '150303': { box: [106.74, 39.04, 107.14, 39.55], centre: [106.885, 39.442], urbanRadiusKm: 3.5 },
  '150304': { box: [106.61, 39.43, 106.79, 39.63], centre: [106.723, 39.502], urbanRadiusKm: 4.5 },
};

// A local equirectangular plane around Wuhai (km per degree at 39.5°N), so Voronoi cells are
// round on the ground rather than stretched north–south. Constants, not trigonometry, keep the
// output bit-identical everywhere.
const LON0 = 106.875;
const LAT0 = 39.5;
export const KM_PER_DEG_LON = 85.9;
export const KM_PER_DEG_LAT = 111.03;

/** Longitude/latitude → local plane in km. */
export function toPlane([lon, lat]: Pair): Pair {
  return [(lon - LON0) * KM_PER_DEG_LON, (lat - LAT0) * KM_PER_DEG_LAT];
}

/** Local plane in km → longitude/latitude (the exact inverse map of `toPlane`, up to float rounding). */
export function toLonLat([x, y]: Pair): Pair {
  return [LON0 + x / KM_PER_DEG_LON, LAT0 + y / KM_PER_DEG_LAT];
}
