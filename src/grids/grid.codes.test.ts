import { describe, expect, it } from 'vitest';
import { gridCode, nextSerials, numberingOrder, type Unnumbered } from './grid.codes.js';

describe('numberingOrder (west → east, north → south)', () => {
  // Nine grids of height 0.01° whose centroids wobble by up to 0.003° around a 3 × 3 layout:
  //
  //   row 39.68:  f4  f0  f7        → serials 1 2 3
  //   row 39.67:  f2  f8  f5        → serials 4 5 6
  //   row 39.66:  f6  f1  f3        → serials 7 8 9
  //            106.80 106.81 106.82
  const at = (feature: number, lon: number, lat: number): Unnumbered => ({ feature, centroid: [lon, lat], height: 0.01 });
  const grids = [
    at(0, 106.81, 39.678), at(1, 106.812, 39.663), at(2, 106.798, 39.672), at(3, 106.82, 39.657), at(4, 106.801, 39.682),
    at(5, 106.823, 39.669), at(6, 106.8, 39.661), at(7, 106.819, 39.68), at(8, 106.809, 39.67),
  ];

  it('numbers rows from the north, each row from the west', () => {
    expect(numberingOrder(grids)).toEqual([4, 0, 7, 2, 8, 5, 6, 1, 3]);
  });

  it('does not depend on input order', () => {
    expect(numberingOrder([...grids].reverse())).toEqual([4, 0, 7, 2, 8, 5, 6, 1, 3]);
  });

  it('starts a new row once a centroid is more than half the median height below the row top', () => {
    expect(numberingOrder([at(0, 106.82, 39.67), at(1, 106.8, 39.6651)])).toEqual([1, 0]); // 0.0049 below: same row
    expect(numberingOrder([at(0, 106.82, 39.67), at(1, 106.8, 39.6649)])).toEqual([0, 1]); // 0.0051 below: next row
  });
});

describe('nextSerials and gridCode', () => {
  it('takes the lowest free serials from the start', () => {
    expect(nextSerials(4, new Set([2, 3, 5]), 1, 999)).toEqual([1, 4, 6, 7]);
    expect(nextSerials(2, new Set(), 10, 999)).toEqual([10, 11]);
  });

  it('reports running out of serials', () => {
    expect(nextSerials(2, new Set([999]), 998, 999)).toBeNull();
    expect(nextSerials(0, new Set(), 1000, 999)).toEqual([]);
  });

  it('pads the serial after the community code', () => {
    expect(gridCode('150302001002', 7, 3)).toBe('150302001002007');
  });
});
