import { describe, expect, it } from 'vitest';
import { GridIndex } from './grid.index.js';
import { METRES_PER_DEGREE, type Ring } from './geometry.js';

const square = (x: number, y: number, s = 0.01): Ring => [[x, y], [x + s, y], [x + s, y + s], [x, y + s], [x, y]];
const codeAt = (index: GridIndex, lon: number, lat: number) => {
  const g = index.containing(lon, lat);
  return g < 0 ? null : index.code(g);
};

describe('GridIndex.containing', () => {
  it('finds the grid, honours holes, and handles MultiPolygon grids', () => {
    const hole: Ring = [[106.803, 39.653], [106.803, 39.657], [106.807, 39.657], [106.807, 39.653], [106.803, 39.653]];
    const index = GridIndex.build([
      { code: '001', polygons: [[square(106.8, 39.65), hole]] },
      { code: '002', polygons: [[square(106.81, 39.65)], [square(106.9, 39.65)]] },
    ]);
    expect(codeAt(index, 106.801, 39.651)).toBe('001');
    expect(codeAt(index, 106.805, 39.655)).toBeNull();
    expect(codeAt(index, 106.815, 39.655)).toBe('002');
    expect(codeAt(index, 106.905, 39.655)).toBe('002');
    expect(codeAt(index, 106.85, 39.655)).toBeNull();
    expect(codeAt(index, 106.805, 39.7)).toBeNull();
  });

  // The shared-edge rule: containment is closed, and a point on an edge or vertex shared by
  // several grids belongs to the one with the smallest code.
  //
  //   39.66 +-----------+-----------+
  //         |  code 004 |  code 003 |
  //   39.65 +-----------X-----------+      X = (106.81, 39.65), shared by all four
  //         |  code 002 |  code 001 |
  //   39.64 +-----------+-----------+
  //      106.80      106.81      106.82
  it('resolves shared edges and vertices to the smallest code', () => {
    const index = GridIndex.build([
      { code: '004', polygons: [[square(106.8, 39.65)]] },
      { code: '003', polygons: [[square(106.81, 39.65)]] },
      { code: '002', polygons: [[square(106.8, 39.64)]] },
      { code: '001', polygons: [[square(106.81, 39.64)]] },
    ]);
    expect(codeAt(index, 106.81, 39.65)).toBe('001');
    expect(codeAt(index, 106.81, 39.655)).toBe('003'); // edge 004 | 003
    expect(codeAt(index, 106.805, 39.65)).toBe('002'); // edge 004 / 002
    expect(codeAt(index, 106.81, 39.645)).toBe('001'); // edge 002 | 001
    expect(codeAt(index, 106.8, 39.655)).toBe('004'); // outer boundary belongs to its only grid
    expect(codeAt(index, 106.81 - 1e-7, 39.655)).toBe('004'); // just off the edge: the side it is on
    expect(codeAt(index, 106.81 + 1e-7, 39.655)).toBe('003');
  });

  it('puts points near a slanted shared edge in exactly one grid', () => {
    // Two triangles sharing the diagonal from (106.8, 39.65) to (106.83, 39.67).
    const a: Ring = [[106.8, 39.65], [106.83, 39.65], [106.83, 39.67], [106.8, 39.65]];
    const b: Ring = [[106.8, 39.65], [106.83, 39.67], [106.8, 39.67], [106.8, 39.65]];
    const index = GridIndex.build([{ code: '002', polygons: [[a]] }, { code: '001', polygons: [[b]] }]);
    for (let k = 1; k < 200; k++) {
      const t = k / 200;
      const [x, y] = [106.8 + 0.03 * t, 39.65 + 0.02 * t];
      for (const off of [1e-8, 1e-10, 1e-12, 1e-14]) {
        expect(codeAt(index, x + off, y)).not.toBeNull();
        expect(codeAt(index, x - off, y)).not.toBeNull();
      }
      expect(codeAt(index, x + 1e-8, y)).toBe('002');
      expect(codeAt(index, x - 1e-8, y)).toBe('001');
    }
  });

  it('is empty-safe', () => {
    const index = GridIndex.build([]);
    expect(index.containing(106.8, 39.65)).toBe(-1);
    expect(index.nearest(106.8, 39.65, 1000)).toBeNull();
  });
});

describe('GridIndex.nearest', () => {
  const lat = 39.655;
  const eastMetres = (m: number) => m / (METRES_PER_DEGREE * Math.cos((lat * Math.PI) / 180));
  const index = GridIndex.build([
    { code: '001', polygons: [[square(106.8, 39.65)]] },
    { code: '002', polygons: [[square(106.83, 39.65)]] },
  ]);

  it('snaps a point outside every grid to the nearest boundary within the limit', () => {
    const near = index.nearest(106.81 + eastMetres(100), lat, 200);
    expect(near && index.code(near.ordinal)).toBe('001');
    expect(near?.metres).toBeCloseTo(100, 1);
    const closerToSecond = index.nearest(106.83 - eastMetres(40), lat, 200);
    expect(closerToSecond && index.code(closerToSecond.ordinal)).toBe('002');
    expect(closerToSecond?.metres).toBeCloseTo(40, 1);
  });

  it('gives up beyond the limit, or with a zero limit', () => {
    expect(index.nearest(106.81 + eastMetres(100), lat, 99)).toBeNull();
    expect(index.nearest(106.81 + eastMetres(100), lat, 0)).toBeNull();
  });

  it('breaks ties towards the smaller code', () => {
    // Exactly between two 1° squares on the equator: both boundaries are 1° away.
    const wide = GridIndex.build([
      { code: '009', polygons: [[square(3, 0, 1)]] },
      { code: '005', polygons: [[square(0, 0, 1)]] },
    ]);
    const near = wide.nearest(2, 0.5, 200_000);
    expect(near && wide.code(near.ordinal)).toBe('005');
  });
});
