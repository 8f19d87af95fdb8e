import type { GridShapeRow } from './grid.repository.js';

/**
 * Stored grids as the JSON text of a GeoJSON FeatureCollection (each feature: id, properties code,
 * name and communityCode, geometry), each geometry's stored JSON text spliced in as it is: a city
 * of 10,000 grids is about 7 MB, and parsing every geometry to serialise it again held the event
 * loop for over a second.
 */
export function gridFeatureCollectionJson(rows: readonly GridShapeRow[]): string {
  const features = rows.map((row) => {
    const head = JSON.stringify({ type: 'Feature', id: row.code, properties: { code: row.code, name: row.name, communityCode: row.parent_code ?? '' } });
    return `${head.slice(0, -1)},"geometry":${row.geometry}}`;
  });
  return `{"type":"FeatureCollection","features":[${features.join(',')}]}`;
}
