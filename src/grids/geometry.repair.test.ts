import { describe, expect, it } from 'vitest';
import { repairFeatureCollection } from './geometry.repair.js';
import { validateFeatureCollection } from './geometry.validate.js';
import { areaM2, type Polygons } from './geometry.js';

const D = 0.001; // ~100 m at these latitudes
const feature = (coordinates: unknown, props: Record<string, unknown> = {}) => ({ type: 'Feature', properties: props, geometry: { type: 'Polygon', coordinates } });
const square = (x: number, y: number, d = D) => [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]];
const fc = (...features: unknown[]) => ({ type: 'FeatureCollection', features });
const polygonsOf = (f: { geometry: { type: string; coordinates: unknown } }): Polygons => (f.geometry.type === 'Polygon' ? [f.geometry.coordinates as Polygons[number]] : (f.geometry.coordinates as Polygons));

describe('repairFeatureCollection', () => {
  it('unkinks a bow-tie into two valid triangles and says so', () => {
    // (0,0) → (1,1) → (1,0) → (0,1) → (0,0) crosses itself in the middle.
    const bowTie = feature([[[106, 39], [106 + D, 39 + D], [106 + D, 39], [106, 39 + D], [106, 39]]]);
    expect(validateFeatureCollection(fc(bowTie)).problems.map((p) => p.code)).toContain('self_intersection');
    const { output, changes } = repairFeatureCollection(fc(bowTie));
    expect(changes.map((c) => c.action)).toEqual(['made_valid']);
    const result = validateFeatureCollection(output);
    expect(result.problems).toEqual([]);
    expect(polygonsOf(result.features[0])).toHaveLength(2);
  });

  it('closes rings, drops repeated vertices and slivers, listing each change', () => {
    const open = [[[106, 39], [106 + D, 39], [106 + D, 39], [106 + D, 39 + D], [106, 39 + D]]];
    const sliver = [[106.01, 39], [106.01 + 1e-6, 39], [106.01, 39 + 1e-6], [106.01, 39]];
    const { output, changes } = repairFeatureCollection(fc({ type: 'Feature', properties: {}, geometry: { type: 'MultiPolygon', coordinates: [open, [sliver]] } }));
    expect(changes.map((c) => c.action).sort()).toEqual(['closed_ring', 'dropped_duplicate_vertices', 'dropped_sliver']);
    expect(validateFeatureCollection(output).problems).toEqual([]);
  });

  it('gives an overlap to the earlier feature of a group and cuts it from the later one', () => {
    const a = feature(square(106, 39), { g: 'x' });
    const b = feature(square(106 + D / 2, 39), { g: 'x' });
    const c = feature(square(106 + D / 2, 39), { g: 'y' });
    const { output, changes } = repairFeatureCollection(fc(a, b, c), { groupOf: (p) => String(p.g) });
    expect(changes.map((ch) => [ch.feature, ch.action])).toEqual([[1, 'gave_overlap']]);
    const [ra, rb, rc] = (output as { features: { geometry: { type: string; coordinates: unknown } }[] }).features;
    const full = areaM2(polygonsOf(ra));
    expect(areaM2(polygonsOf(rb)) / full).toBeCloseTo(0.5, 2);
    // Another group keeps its overlap with the first (it is not a sibling).
    expect(areaM2(polygonsOf(rc)) / full).toBeCloseTo(1, 5);
  });
});
