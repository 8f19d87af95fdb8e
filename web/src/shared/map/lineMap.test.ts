import { describe, expect, it } from 'vitest';
import { boundsOf, buildLineMap } from './lineMap';

describe('buildLineMap', () => {
  it('draws each line as a polyline and each point at lon/lat, framed by the bounds', () => {
    const option = buildLineMap({ map: 'm', lines: [{ name: 't', coords: [[106.8, 39.6], [106.81, 39.61]], color: '#f00' }], points: [{ name: 'e', at: [106.8, 39.6], color: '#00f' }], bounds: [[106.7, 39.7], [106.9, 39.5]] });
    expect(option.geo).toMatchObject({ map: 'm', boundingCoords: [[106.7, 39.7], [106.9, 39.5]] });
    expect(option.series[0]).toMatchObject({ type: 'lines', polyline: true, data: [{ name: 't', coords: [[106.8, 39.6], [106.81, 39.61]] }] });
    expect(option.series[1].data).toEqual([expect.objectContaining({ name: 'e', value: [106.8, 39.6] })]);
    expect(buildLineMap({ map: 'm', lines: [] }).geo).not.toHaveProperty('boundingCoords');
  });

  it('frames positions with padding, at least about 100 m, top-left first', () => {
    expect(boundsOf([])).toBeNull();
    const [tl, br] = boundsOf([[106.8, 39.6], [106.8, 39.6]]) ?? [];
    expect(tl?.[0]).toBeCloseTo(106.799, 9);
    expect(tl?.[1]).toBeCloseTo(39.601, 9);
    expect(br?.[0]).toBeCloseTo(106.801, 9);
    expect(br?.[1]).toBeCloseTo(39.599, 9);
    const wide = boundsOf([[106.0, 39.0], [107.0, 40.0]], 0.1);
    expect(wide?.[0][0]).toBeCloseTo(105.9);
    expect(wide?.[1][1]).toBeCloseTo(38.9);
  });
});
