import { describe, expect, it } from 'vitest';
import { buildGridMap, mapNameFor, type GridFeature } from './caseMap';

const grid = (code: string): GridFeature => ({ type: 'Feature', properties: { code }, geometry: { type: 'Polygon', coordinates: [] } });

describe('buildGridMap', () => {
  it('draws the grids by code, emphasises the case grid and puts the pin at lon/lat', () => {
    const option = buildGridMap('m', [{ lon: 106.8, lat: 39.67, label: 'WH1' }], '150302001002001');
    expect(option.geo).toMatchObject({ map: 'm', nameProperty: 'code' });
    expect(option.geo.regions).toEqual([expect.objectContaining({ name: '150302001002001' })]);
    expect(option.series[0]).toMatchObject({ type: 'scatter', coordinateSystem: 'geo', data: [{ name: 'WH1', value: [106.8, 39.67] }] });
  });

  it('emphasises nothing without a grid and names a map by its grid codes in any order', () => {
    expect(buildGridMap('m', []).geo.regions).toEqual([]);
    expect(mapNameFor([grid('b'), grid('a')])).toBe(mapNameFor([grid('a'), grid('b')]));
    expect(mapNameFor([grid('a')])).not.toBe(mapNameFor([grid('b')]));
  });
});
