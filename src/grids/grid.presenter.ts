import type { GridGeometry } from './geometry.js';
import type { GridShapeRow } from './grid.repository.js';

/** A stored grid as a GeoJSON Feature for the map. */
export function presentGridFeature(row: GridShapeRow) {
  return {
    type: 'Feature' as const,
    id: row.code,
    geometry: JSON.parse(row.geometry) as GridGeometry,
    properties: { code: row.code, name: row.name, communityCode: row.parent_code ?? '' },
  };
}
