import { describe, expect, it } from 'vitest';
import { coverageOf, haversineM, maxSpeedKmh, mergePoints, parseTrack, trackLengthM, type TrackPoint } from './patrol.track.js';

const T0 = Date.parse('2026-11-20T02:00:00Z');
// 0.001° of latitude ≈ 111.2 m on the mean sphere.
const north = (n: number, everyS: number, lon = 106.8): TrackPoint[] => Array.from({ length: n }, (_, i) => ({ t: T0 + i * everyS * 1000, lon, lat: 39.67 + i * 0.001 }));

describe('tracks', () => {
  it('reads times from a 4th coordinate (ms or s) or from properties.times', () => {
    expect(parseTrack({ type: 'LineString', coordinates: [[106.8, 39.67, 0, T0], [106.8, 39.671, 0, T0 / 1000 + 60]] }).map((p) => p.t)).toEqual([T0, T0 + 60_000]);
    const f = parseTrack({ type: 'Feature', geometry: { type: 'LineString', coordinates: [[106.8, 39.67], [106.8, 39.671]] }, properties: { times: ['2026-11-20T02:00:00Z', '2026-11-20T02:01:00Z'] } });
    expect(f[1]).toEqual({ t: T0 + 60_000, lon: 106.8, lat: 39.671 });
    expect(() => parseTrack({ type: 'LineString', coordinates: [[106.8, 39.67]] })).toThrow(/time/);
    expect(() => parseTrack({ type: 'Feature', geometry: { type: 'LineString', coordinates: [[106.8, 39.67]] }, properties: { times: [] } })).toThrow(/one time per/);
    expect(() => parseTrack({ type: 'LineString', coordinates: [[206.8, 39.67, 0, T0]] })).toThrow(/WGS84/);
  });

  it('merges batches by timestamp: repeats add nothing, order does not matter', () => {
    const all = north(10, 30);
    const merged = mergePoints(mergePoints(all.slice(5), all.slice(0, 6)), all.slice(3, 8));
    expect(merged).toEqual(all);
  });

  it('measures length and the top speed over 10 s stretches', () => {
    const walk = north(11, 60); // 1.112 km in 10 minutes
    expect(trackLengthM(walk)).toBeCloseTo(1112, -1);
    expect(maxSpeedKmh(walk)).toBeCloseTo(6.67, 1);
    const drive = north(11, 4); // 111 m every 4 s = 100 km/h
    expect(maxSpeedKmh(drive)).toBeGreaterThan(95);
    expect(haversineM({ lon: 106.8, lat: 39.67 }, { lon: 106.8, lat: 39.68 })).toBeCloseTo(1112, -1);
  });

  it('coverage of a line target: the share of its length passed within the buffer', () => {
    const reach = { type: 'LineString' as const, coordinates: [[106.8, 39.67], [106.8, 39.69]] }; // 2.2 km north
    expect(coverageOf(north(11, 60), reach, 100).coverage).toBeCloseTo(0.55, 1); // walked the first 1.1 km
    expect(coverageOf(north(11, 60, 106.9), reach, 100)).toEqual({ coverage: 0, touches: false }); // 8.5 km east
  });

  it('a polygon target is touched by any fix inside it', () => {
    const grid = { type: 'Polygon' as const, coordinates: [[[106.79, 39.66], [106.81, 39.66], [106.81, 39.68], [106.79, 39.68], [106.79, 39.66]]] };
    expect(coverageOf([{ t: T0, lon: 106.8, lat: 39.67 }], grid, 10).touches).toBe(true);
    expect(coverageOf([{ t: T0, lon: 106.85, lat: 39.67 }], grid, 10).touches).toBe(false);
  });
});
