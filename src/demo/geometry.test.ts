import pc, { type MultiPolygon, type Pair } from 'polygon-clipping';
import { beforeAll, describe, expect, it } from 'vitest';
import { readCityDivisions, type CityDivisions } from '../org/divisions.js';
import { generateDemoGrids, KM_PER_DEG_LAT, KM_PER_DEG_LON, WUHAI_DISTRICT_FRAMES, type DemoGeometry } from './geometry.js';
import { allocateGrids } from './geometry/allocate.js';
import type { AreaGeometry } from './geometry/geojson.js';
import { centroidOf, multiPolygonArea, signedRingArea } from './geometry/planar.js';
import { overlappingPairs, ringSelfIntersections, segmentsTouch } from './geometry/validity.js';

const M2_PER_DEG2 = KM_PER_DEG_LON * KM_PER_DEG_LAT * 1e6;
const ONE_M2 = 1 / M2_PER_DEG2;

const asMulti = (g: AreaGeometry): MultiPolygon => (g.type === 'Polygon' ? [g.coordinates] : g.coordinates);
const areaM2 = (g: AreaGeometry | MultiPolygon) => multiPolygonArea(Array.isArray(g) ? g : asMulti(g)) * M2_PER_DEG2;
const rings = (g: AreaGeometry): Pair[][] => asMulti(g).flat();

let divisions: CityDivisions;
let demo: DemoGeometry;

beforeAll(() => {
  divisions = readCityDivisions('1503');
  demo = generateDemoGrids(divisions);
});

describe('generateDemoGrids — determinism and counts', () => {
  it('is identical across runs with the same seed and differs with another seed', () => {
    expect(generateDemoGrids(divisions)).toEqual(demo);
    const other = generateDemoGrids(divisions, { seed: 7 });
    expect(other.grids.features[0].geometry).not.toEqual(demo.grids.features[0].geometry);
  });

  it('draws 600–680 grids, honours targetGrids and names them per community', () => {
    expect(demo.grids.features.length).toBeGreaterThanOrEqual(600);
    expect(demo.grids.features.length).toBeLessThanOrEqual(680);
    expect(generateDemoGrids(divisions, { targetGrids: 610 }).grids.features).toHaveLength(610);
    // community names repeat across districts (幸福社区), so names are unique per district
    const names = demo.grids.features.map((f) => f.properties.name);
    const keyed = demo.grids.features.map((f) => `${f.properties.community.slice(0, 6)} ${f.properties.name}`);
    expect(new Set(keyed).size).toBe(keyed.length);
    expect(names).toContain('和平社区第1网格');
    expect(names).toContain('新地村第1网格');
  });

  it('covers every community of the divisions with at least one grid and no unknown code', () => {
    const codes = new Set(divisions.communities.map((c) => c.code));
    expect(codes.size).toBe(87);
    const perCommunity = new Map<string, number>();
    for (const f of demo.grids.features) {
      expect(f.properties.community).toMatch(/^\d{12}$/);
      expect(codes.has(f.properties.community)).toBe(true);
      perCommunity.set(f.properties.community, (perCommunity.get(f.properties.community) ?? 0) + 1);
    }
    expect([...perCommunity.keys()].sort()).toEqual([...codes].sort());
    expect(demo.communityAreas.features.map((f) => f.properties.code).sort()).toEqual([...codes].sort());
    expect(demo.streetAreas.features).toHaveLength(22);
    expect(demo.districtAreas.features.map((f) => f.properties.code)).toEqual(['150302', '150303', '150304']);
  });

  it('gives urban communities 6–12 grids and villages 2–4', () => {
    const perCommunity = new Map<string, number>();
    for (const f of demo.grids.features) perCommunity.set(f.properties.community, (perCommunity.get(f.properties.community) ?? 0) + 1);
    const streetNames = new Map(divisions.streets.map((s) => [s.code, s.name]));
    const countsWhere = (test: (name: string, street: string) => boolean) =>
      divisions.communities.filter((c) => test(c.name, streetNames.get(c.streetCode) ?? '')).map((c) => perCommunity.get(c.code) ?? 0);
    const urban = countsWhere((name, street) => street.endsWith('街道') && /社区(居委会)?$/.test(name));
    const villages = countsWhere((name) => /(村委会|村民委员会)$/.test(name));
    expect(urban.length).toBeGreaterThan(55);
    expect(villages).toHaveLength(13);
    expect(Math.min(...urban)).toBeGreaterThanOrEqual(6);
    expect(Math.max(...urban)).toBeLessThanOrEqual(12);
    expect(Math.min(...villages)).toBeGreaterThanOrEqual(2);
    expect(Math.max(...villages)).toBeLessThanOrEqual(4);
  });

  it('rejects a district without a demo frame', () => {
    const bogus = { ...divisions, districts: [...divisions.districts, { code: '150399', name: '虚构区' }] };
    expect(() => generateDemoGrids(bogus)).toThrow(expect.objectContaining({ code: 'validation_failed' }));
  });
});

describe('generateDemoGrids — geometry validity', () => {
  it('has closed, counter-clockwise, simple rings with ≥4 positions and 6-decimal coordinates', () => {
    for (const f of [...demo.grids.features, ...demo.communityAreas.features, ...demo.streetAreas.features, ...demo.districtAreas.features]) {
      asMulti(f.geometry).forEach((poly) =>
        poly.forEach((ring, k) => {
          expect(ring.length).toBeGreaterThanOrEqual(4);
          expect(ring[ring.length - 1]).toEqual(ring[0]);
          expect(signedRingArea(ring) > 0).toBe(k === 0);
          expect(ringSelfIntersections(ring)).toEqual([]);
          for (const [x, y] of ring) expect([Math.round(x * 1e6) / 1e6, Math.round(y * 1e6) / 1e6]).toEqual([x, y]);
        }),
      );
    }
  });

  it('has no two grids (or parts of one grid) overlapping by 1 m² or more', () => {
    const shapes = demo.grids.features.flatMap((f) => asMulti(f.geometry).map((poly): MultiPolygon => [poly]));
    expect(overlappingPairs(shapes, ONE_M2)).toEqual([]);
    const communities = demo.communityAreas.features.map((f) => asMulti(f.geometry));
    expect(overlappingPairs(communities, ONE_M2)).toEqual([]);
  });

  it('keeps every grid inside its district box and its community area', () => {
    const communities = new Map(demo.communityAreas.features.map((f) => [f.properties.code, asMulti(f.geometry)]));
    for (const f of demo.grids.features) {
      const [minLon, minLat, maxLon, maxLat] = WUHAI_DISTRICT_FRAMES[f.properties.community.slice(0, 6)].box;
      for (const [x, y] of rings(f.geometry).flat()) {
        expect(x >= minLon && x <= maxLon && y >= minLat && y <= maxLat, `${f.properties.name} at ${x},${y}`).toBe(true);
      }
      const outside = pc.difference(asMulti(f.geometry), communities.get(f.properties.community) ?? []);
      expect(areaM2(outside), f.properties.name).toBeLessThan(1);
    }
  });

  it('tiles the districts: grid areas add up to the district areas', () => {
    const grids = demo.grids.features.reduce((sum, f) => sum + areaM2(f.geometry), 0);
    const districts = demo.districtAreas.features.reduce((sum, f) => sum + areaM2(f.geometry), 0);
    expect(Math.abs(grids - districts) / districts).toBeLessThan(1e-6);
  });

  it('draws urban grids near the centres smaller on average than village grids', () => {
    const names = new Map(divisions.communities.map((c) => [c.code, c.name]));
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const near = (f: (typeof demo.grids.features)[number]) => {
      const { centre, urbanRadiusKm } = WUHAI_DISTRICT_FRAMES[f.properties.community.slice(0, 6)];
      const [x, y] = centroidOf(asMulti(f.geometry));
      return Math.hypot((x - centre[0]) * KM_PER_DEG_LON, (y - centre[1]) * KM_PER_DEG_LAT) < urbanRadiusKm;
    };
    const urban = demo.grids.features.filter((f) => /社区居委会$/.test(names.get(f.properties.community) ?? '') && near(f));
    const village = demo.grids.features.filter((f) => /(村委会|村民委员会)$/.test(names.get(f.properties.community) ?? ''));
    expect(urban.length).toBeGreaterThan(200);
    expect(mean(urban.map((f) => areaM2(f.geometry))) * 10).toBeLessThan(mean(village.map((f) => areaM2(f.geometry))));
  });
});

describe('geometry helpers', () => {
  it('segmentsTouch and ringSelfIntersections catch crossings, pinches and folds', () => {
    expect(segmentsTouch([0, 0], [2, 2], [0, 2], [2, 0])).toBe(true);
    expect(segmentsTouch([0, 0], [1, 0], [2, 0], [3, 0])).toBe(false);
    expect(ringSelfIntersections([[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]])).toEqual([]);
    expect(ringSelfIntersections([[0, 0], [2, 2], [2, 0], [0, 2], [0, 0]]).length).toBeGreaterThan(0);
    expect(ringSelfIntersections([[0, 0], [2, 0], [1, 0], [1, 1], [0, 0]]).length).toBeGreaterThan(0);
  });

  it('allocateGrids hits the target within each kind’s range', () => {
    const claims = [
      { kind: 'urban' as const, weight: 3 },
      { kind: 'urban' as const, weight: 1 },
      { kind: 'village' as const, weight: 1 },
    ];
    // extra 6 over the minima shared 3:1:1 → 3.6, 1.2, 1.2; the largest remainder gets the last one
    expect(allocateGrids(claims, 20)).toEqual([10, 7, 3]);
    expect(allocateGrids(claims, 5)).toEqual([6, 6, 2]);
    expect(allocateGrids(claims, 99)).toEqual([12, 12, 4]);
  });
});
