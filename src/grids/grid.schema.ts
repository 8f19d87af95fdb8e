import { Type } from 'typebox';
import { StringEnum } from '../http/schemas.js';

/** GET /locate query: a WGS84 point. */
export const LocateQuery = Type.Object({
  lon: Type.Number({ minimum: -180, maximum: 180, description: 'longitude, WGS84 degrees' }),
  lat: Type.Number({ minimum: -90, maximum: 90, description: 'latitude, WGS84 degrees' }),
}, { additionalProperties: false });

const GridRef = Type.Object({ code: Type.String(), name: Type.String() });

export const LocateOut = Type.Object({
  grid: Type.Union([GridRef, Type.Null()]),
  chain: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), level: Type.String() })),
  outside: Type.Boolean(),
  snappedMetres: Type.Optional(Type.Number({ description: 'set when the point lay outside every grid and was snapped to the nearest one' })),
});

/** GET /grids.geojson query. */
export const GridsQuery = Type.Object({
  parent: Type.Optional(Type.String({ pattern: '^\\d{4,20}$', description: 'only grids under this org unit (inside your area)' })),
}, { additionalProperties: false });

const PolygonCoordinates = Type.Array(Type.Array(Type.Array(Type.Number())));

export const GridFeatureCollectionOut = Type.Object({
  type: Type.Literal('FeatureCollection'),
  features: Type.Array(Type.Object({
    type: Type.Literal('Feature'),
    id: Type.String(),
    geometry: Type.Union([
      Type.Object({ type: Type.Literal('Polygon'), coordinates: PolygonCoordinates }),
      Type.Object({ type: Type.Literal('MultiPolygon'), coordinates: Type.Array(PolygonCoordinates) }),
    ]),
    properties: Type.Object({ code: Type.String(), name: Type.String(), communityCode: Type.String() }),
  })),
});

/** POST /grids/import query. */
export const ImportQuery = Type.Object({
  mode: Type.Optional(StringEnum(['add', 'replace'] as const, { description: 'add (default) keeps existing grids; replace redraws each imported community' })),
  dryRun: Type.Optional(Type.Boolean({ description: 'check and report without writing' })),
  communityProperty: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  requireCoverage: Type.Optional(Type.Boolean()),
}, { additionalProperties: false });

/**
 * POST /grids/import body: a GeoJSON FeatureCollection. Members are checked here; geometries and
 * properties are checked by the importer, which reports every problem by feature index.
 */
export const ImportBody = Type.Object({
  type: Type.Literal('FeatureCollection'),
  features: Type.Array(Type.Object({
    type: Type.String(),
    id: Type.Optional(Type.Union([Type.String(), Type.Number()])),
    geometry: Type.Unknown(),
    properties: Type.Optional(Type.Union([Type.Object({}, { additionalProperties: true }), Type.Null()])),
    bbox: Type.Optional(Type.Array(Type.Number())),
  }, { additionalProperties: false })),
  name: Type.Optional(Type.String()),
  crs: Type.Optional(Type.Unknown()),
  bbox: Type.Optional(Type.Array(Type.Number())),
}, { additionalProperties: false });

export const ImportReportOut = Type.Object({
  mode: Type.String(),
  dryRun: Type.Boolean(),
  imported: Type.Integer(),
  created: Type.Integer(),
  updated: Type.Integer(),
  removed: Type.Array(Type.String()),
  communities: Type.Array(Type.String()),
  grids: Type.Array(Type.Object({ feature: Type.Integer(), code: Type.String(), name: Type.String(), communityCode: Type.String(), areaM2: Type.Number() })),
  uncoveredCommunities: Type.Array(Type.String()),
});
