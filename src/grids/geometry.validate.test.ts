import { describe, expect, it } from 'vitest';
import { validateFeatureCollection } from './geometry.validate.js';
import { areaM2, METRES_PER_DEGREE, type Ring } from './geometry.js';
import type { Problem } from './grid.problems.js';

// Squares near Wuhai (lon 106.8, lat 39.65); 0.01° ≈ 857 m east–west, 1113 m north–south.
const square = (x: number, y: number, s = 0.01): Ring => [[x, y], [x + s, y], [x + s, y + s], [x, y + s], [x, y]];
const poly = (...rings: unknown[]) => ({ type: 'Polygon', coordinates: rings });
const feat = (geometry: unknown, properties: unknown = {}) => ({ type: 'Feature', properties, geometry });
const fc = (...features: unknown[]) => ({ type: 'FeatureCollection', features });
const codes = (problems: Problem[]) => problems.map((p) => [p.feature, p.ring, p.code]);

describe('validateFeatureCollection', () => {
  it('accepts a clean tiling and measures areas on the sphere', () => {
    const { features, problems } = validateFeatureCollection(fc(feat(poly(square(106.8, 39.65))), feat(poly(square(106.81, 39.65)))));
    expect(problems).toEqual([]);
    expect(features.map((f) => f.index)).toEqual([0, 1]);
    const flat = 0.01 * METRES_PER_DEGREE * 0.01 * METRES_PER_DEGREE * Math.cos((39.655 * Math.PI) / 180);
    expect(features[0].areaM2 / flat).toBeGreaterThan(0.995);
    expect(features[0].areaM2 / flat).toBeLessThan(1.005);
  });

  it('subtracts holes from the area, drops altitude and repeated vertices', () => {
    const hole: Ring = [[106.802, 39.652], [106.802, 39.654], [106.804, 39.654], [106.804, 39.652], [106.802, 39.652]];
    const outer = [[106.8, 39.65, 1000], [106.81, 39.65, 1000], [106.81, 39.65, 1000], [106.81, 39.66], [106.8, 39.66], [106.8, 39.65, 1000]];
    const { features, problems } = validateFeatureCollection(fc(feat(poly(outer, hole))));
    expect(problems).toEqual([]);
    expect(features[0].polygons[0][0]).toEqual(square(106.8, 39.65));
    expect(features[0].areaM2).toBeCloseTo(areaM2([[square(106.8, 39.65)]]) - areaM2([[hole]]), 3);
  });

  it('rejects what is not a FeatureCollection, or an empty one, as a whole', () => {
    for (const input of [null, 'x', { type: 'Feature' }, { type: 'FeatureCollection', features: {} }]) {
      expect(codes(validateFeatureCollection(input).problems)).toEqual([[null, undefined, 'not_feature_collection']]);
    }
    expect(codes(validateFeatureCollection(fc()).problems)).toEqual([[null, undefined, 'empty_collection']]);
  });

  it('reports each bad feature by index with a stable code, and keeps the good ones', () => {
    const { features, problems } = validateFeatureCollection(fc(
      { type: 'Point', coordinates: [1, 2] },
      feat({ type: 'Point', coordinates: [106.8, 39.65] }),
      feat(null),
      feat(poly(square(106.8, 39.65)), ['not', 'an', 'object']),
      feat(poly([['106.8', 39.65], [106.81, 39.65], [106.81, 39.66], ['106.8', 39.65]])),
      feat(poly(square(180, 39.65))),
      feat(poly([[106.8, Infinity], [106.81, 39.65], [106.81, 39.66], [106.8, Infinity]])),
      feat(poly([[106.8, 39.65], [106.81, 39.65], [106.81, 39.66], [106.8, 39.66]])),
      feat(poly([[106.8, 39.65], [106.81, 39.65], [106.8, 39.65]])),
      feat(poly([[106.8, 39.65], [106.81, 39.65], [106.81, 39.65], [106.8, 39.65]])),
      feat(poly(square(106.9, 39.65))),
    ));
    expect(codes(problems)).toEqual([
      [0, undefined, 'not_a_feature'],
      [1, undefined, 'unsupported_geometry'],
      [2, undefined, 'unsupported_geometry'],
      [3, undefined, 'not_a_feature'],
      [4, 0, 'malformed_coordinates'],
      [5, 0, 'coordinate_out_of_range'],
      [6, 0, 'coordinate_out_of_range'],
      [7, 0, 'ring_not_closed'],
      [8, 0, 'ring_too_short'],
      [9, 0, 'ring_too_short'],
    ]);
    expect(features.map((f) => f.index)).toEqual([10]);
  });

  it('finds self-intersections (bow tie, spike) and names the ring', () => {
    const bowTie = [[106.8, 39.65], [106.81, 39.66], [106.81, 39.65], [106.8, 39.66], [106.8, 39.65]];
    const spike = [[106.8, 39.65], [106.81, 39.65], [106.82, 39.65], [106.815, 39.65], [106.81, 39.66], [106.8, 39.65]];
    const touching = [[106.8, 39.65], [106.82, 39.65], [106.81, 39.66], [106.805, 39.65], [106.8, 39.66], [106.8, 39.65]];
    const { problems } = validateFeatureCollection(fc(feat(poly(bowTie)), feat(poly(spike)), feat(poly(touching))));
    expect(codes(problems)).toEqual([[0, 0, 'self_intersection'], [1, 0, 'self_intersection'], [2, 0, 'self_intersection']]);
  });

  it('finds rings crossing each other, holes outside their shell and parts inside each other', () => {
    const outer = square(106.8, 39.65);
    const crossingHole = square(106.805, 39.655);
    const farHole = square(106.9, 39.65, 0.001);
    const multi = { type: 'MultiPolygon', coordinates: [[square(106.7, 39.65)], [outer], [square(106.802, 39.652, 0.002)]] };
    const { problems } = validateFeatureCollection(fc(feat(poly(outer, crossingHole)), feat(poly(outer, farHole)), feat(multi)));
    expect(codes(problems)).toEqual([[0, 0, 'ring_intersection'], [1, 1, 'hole_outside_shell'], [2, undefined, 'parts_overlap']]);
    expect(problems[2].message).toContain('polygon 2 lies inside polygon 1');
  });

  it('allows a hole touching its shell at one point', () => {
    const hole: Ring = [[106.8, 39.655], [106.803, 39.654], [106.803, 39.656], [106.8, 39.655]];
    expect(validateFeatureCollection(fc(feat(poly(square(106.8, 39.65), hole)))).problems).toEqual([]);
  });

  it('reports overlapping grids on the later feature; shared edges and small overlaps pass', () => {
    const { problems } = validateFeatureCollection(fc(
      feat(poly(square(106.8, 39.65))),
      feat(poly(square(106.81, 39.65))),
      feat(poly(square(106.805, 39.655))),
    ));
    expect(codes(problems)).toEqual([[2, undefined, 'grid_overlap'], [2, undefined, 'grid_overlap']]);
    expect(problems.map((p) => p.otherFeature)).toEqual([0, 1]);
    // A sliver 0.000001° of longitude (≈ 0.086 m) wide and 0.01° (≈ 1113 m) tall: ≈ 95 m².
    const sliver = square(106.81 - 0.000001, 39.65);
    const small = validateFeatureCollection(fc(feat(poly(square(106.8, 39.65))), feat(poly(sliver))), { overlapToleranceM2: 100 });
    expect(small.problems).toEqual([]);
    const strict = validateFeatureCollection(fc(feat(poly(square(106.8, 39.65))), feat(poly(sliver))), { overlapToleranceM2: 50 });
    expect(codes(strict.problems)).toEqual([[1, undefined, 'grid_overlap']]);
  });

  it('numbers rings across the polygons of a MultiPolygon', () => {
    const multi = { type: 'MultiPolygon', coordinates: [[square(106.8, 39.65)], [square(106.82, 39.65), [[106.821, 39.651], [106.822, 39.651], [106.821, 39.651]]]] };
    expect(codes(validateFeatureCollection(fc(feat(multi))).problems)).toEqual([[0, 2, 'ring_too_short']]);
  });
});
