import { Type } from 'typebox';
import { IsoDate, Nullable, PageQuery, StringEnum } from '../http/schemas.js';
import { COMPLIANCE_GROUPS } from './patrol.compliance.service.js';
import { TARGET_KINDS } from './patrol.targets.js';

const Position = Type.Array(Type.Number(), { minItems: 2, maxItems: 4 });
const Line = Type.Array(Position, { minItems: 1, maxItems: 5000 });
const Time = Type.Union([Type.String({ maxLength: 40 }), Type.Number()]);

/** A posted track: a LineString whose positions carry their time as a 4th coordinate (epoch ms or s), or a Feature with properties.times. */
export const TrackIn = Type.Union([
  Type.Object({ type: Type.Literal('LineString'), coordinates: Line }, { additionalProperties: false }),
  Type.Object({
    type: Type.Literal('Feature'),
    geometry: Type.Object({ type: Type.Literal('LineString'), coordinates: Line }, { additionalProperties: false }),
    properties: Type.Optional(Nullable(Type.Object({ times: Type.Optional(Type.Array(Time, { maxItems: 5000 })), coordTimes: Type.Optional(Type.Array(Time, { maxItems: 5000 })) }))),
  }, { additionalProperties: false }),
]);

const Coords = Type.Array(Type.Number(), { minItems: 2, maxItems: 3 });
/** Geometry of a register entry: a point, lines or polygons. */
export const TargetGeometryIn = Type.Union([
  Type.Object({ type: Type.Literal('Point'), coordinates: Coords }),
  Type.Object({ type: Type.Literal('LineString'), coordinates: Type.Array(Coords, { maxItems: 20000 }) }),
  Type.Object({ type: Type.Literal('MultiLineString'), coordinates: Type.Array(Type.Array(Coords, { maxItems: 20000 }), { maxItems: 500 }) }),
  Type.Object({ type: Type.Literal('Polygon'), coordinates: Type.Array(Type.Array(Coords, { maxItems: 20000 }), { maxItems: 100 }) }),
  Type.Object({ type: Type.Literal('MultiPolygon'), coordinates: Type.Array(Type.Array(Type.Array(Coords, { maxItems: 20000 }), { maxItems: 100 }), { maxItems: 100 }) }),
]);

export const FindingIn = Type.Object({
  categoryCode: Type.String({ minLength: 1, maxLength: 20 }),
  lon: Type.Number({ minimum: -180, maximum: 180 }),
  lat: Type.Number({ minimum: -90, maximum: 90 }),
  description: Type.String({ minLength: 1, maxLength: 2000 }),
  address: Type.Optional(Type.String({ maxLength: 300 })),
  attributes: Type.Optional(Type.Record(Type.String({ maxLength: 60 }), Type.Unknown())),
  clientId: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
}, { additionalProperties: false });

export const PatrolIn = Type.Object({
  planId: Type.Optional(Type.Integer({ minimum: 1 })),
  target: Type.Optional(Type.String({ minLength: 1, maxLength: 60, description: 'a target code (when no planId)' })),
  startedAt: Type.String({ format: 'date-time' }),
  endedAt: Type.Optional(Type.String({ format: 'date-time' })),
  track: Type.Optional(TrackIn),
  findings: Type.Optional(Type.Array(FindingIn, { maxItems: 50 })),
  clientId: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: "the phone's id for the patrol: batches with the same id add to one patrol" })),
}, { additionalProperties: false });

export const FindingOut = Type.Object({ caseId: Type.Integer(), number: Type.String(), status: Type.String(), categoryCode: Type.String(), description: Type.String() });

export const PatrolOut = Type.Object({
  id: Type.Integer(),
  planId: Nullable(Type.Integer()),
  target: Type.Object({ code: Type.String(), name: Type.String() }),
  kind: Type.String(),
  person: Type.String(),
  personId: Type.Integer(),
  startedAt: Type.String(),
  endedAt: Nullable(Type.String()),
  durationS: Type.Integer(),
  distanceM: Type.Number(),
  coverage: Nullable(Type.Number()),
  maxSpeedKmh: Type.Number(),
  pointCount: Type.Integer(),
  flags: Type.Array(Type.String()),
  findings: Type.Array(FindingOut),
});

export const PatrolPhotoOut = Type.Object({
  id: Type.Integer(), url: Type.String(), mime: Type.String(), size: Type.Integer(), filename: Type.String(),
  lon: Nullable(Type.Number()), lat: Nullable(Type.Number()), takenAt: Nullable(Type.String()), createdAt: Type.String(),
});

export const PatrolPhotoQuery = Type.Object({
  lon: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
  lat: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })),
  takenAt: Type.Optional(Type.String({ format: 'date-time' })),
}, { additionalProperties: false });

export const PatrolDetailOut = Type.Object({
  ...PatrolOut.properties,
  photos: Type.Array(PatrolPhotoOut),
  track: Type.Object({
    type: Type.Literal('Feature'),
    geometry: Type.Object({ type: Type.Literal('LineString'), coordinates: Type.Array(Type.Array(Type.Number())) }),
    properties: Type.Object({ times: Type.Array(Type.String()) }),
  }),
  targetGeometry: Nullable(Type.Unknown()),
});

export const PatrolListQuery = Type.Object({
  org: Type.Optional(Type.String({ pattern: '^\\d{4,20}$' })),
  from: Type.Optional(IsoDate()),
  to: Type.Optional(IsoDate()),
  kind: Type.Optional(StringEnum(TARGET_KINDS)),
  target: Type.Optional(Type.String({ maxLength: 60 })),
  mine: Type.Optional(Type.Boolean()),
  ...PageQuery,
}, { additionalProperties: false });

export const TargetIn = Type.Object({
  code: Type.String({ pattern: '^[A-Za-z0-9_.-]{1,60}$' }),
  kind: StringEnum(TARGET_KINDS),
  name: Type.String({ minLength: 1, maxLength: 200 }),
  orgCode: Type.String({ pattern: '^\\d{4,20}$' }),
  geometry: Type.Optional(Nullable(TargetGeometryIn)),
  attributes: Type.Optional(Type.Record(Type.String({ maxLength: 60 }), Type.Unknown())),
}, { additionalProperties: false });

export const TargetOut = Type.Object({
  id: Type.Integer(), code: Type.String(), kind: Type.String(), name: Type.String(), orgCode: Type.String(),
  geometry: Nullable(Type.Unknown()), attributes: Type.Record(Type.String(), Type.Unknown()),
});

export const PlanIn = Type.Object({
  target: Type.String({ minLength: 1, maxLength: 60 }),
  assigneeUserId: Type.Optional(Type.Integer({ minimum: 1 })),
  assigneeRole: Type.Optional(Type.String({ maxLength: 30 })),
  orgCode: Type.Optional(Type.String({ pattern: '^\\d{4,20}$' })),
  level: Type.Optional(Type.String({ maxLength: 30 })),
  frequency: Type.String({ minLength: 1, maxLength: 30, description: '"week:1" or "每周 1 次" (day, week, xun 旬, month, quarter, halfyear, year)' }),
  minDurationMinutes: Type.Optional(Type.Integer({ minimum: 0, maximum: 1440 })),
  minDistanceMetres: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
  minCoverage: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
  startsOn: Type.Optional(IsoDate()),
  note: Type.Optional(Type.String({ maxLength: 500 })),
}, { additionalProperties: false });

export const PlanPatchIn = Type.Object({
  frequency: Type.Optional(Type.String({ minLength: 1, maxLength: 30, description: '"week:1" or "每周 1 次"' })),
  level: Type.Optional(Nullable(Type.String({ maxLength: 30 }))),
  minDurationMinutes: Type.Optional(Type.Integer({ minimum: 0, maximum: 1440 })),
  minDistanceMetres: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
  minCoverage: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
  note: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
  active: Type.Optional(Type.Literal(false, { description: 'false retires the plan' })),
}, { additionalProperties: false, minProperties: 1 });

export const PlanOut = Type.Object({
  id: Type.Integer(),
  target: Type.Object({ code: Type.String(), name: Type.String() }),
  kind: Type.String(),
  assignee: Type.Object({ userId: Nullable(Type.Integer()), name: Nullable(Type.String()), role: Nullable(Type.String()) }),
  org: Type.Object({ code: Type.String(), name: Type.String() }),
  level: Nullable(Type.String()),
  frequency: Type.Object({ period: Type.String(), times: Type.Integer(), label: Type.String() }),
  minimums: Type.Object({ durationMinutes: Type.Number(), distanceMetres: Type.Number(), coverage: Type.Number() }),
  startsOn: Type.String(),
  note: Nullable(Type.String()),
});

export const PlanListQuery = Type.Object({
  org: Type.Optional(Type.String({ pattern: '^\\d{4,20}$' })),
  kind: Type.Optional(StringEnum(TARGET_KINDS)),
}, { additionalProperties: false });

export const ComplianceQuery = Type.Object({
  org: Type.Optional(Type.String({ pattern: '^\\d{4,20}$' })),
  from: Type.Optional(IsoDate()),
  to: Type.Optional(IsoDate()),
  kind: Type.Optional(StringEnum(TARGET_KINDS)),
  groupBy: Type.Optional(StringEnum(COMPLIANCE_GROUPS, { description: 'drill-down: sum the rows per org unit at this level' })),
}, { additionalProperties: false });

const Figures = { required: Type.Integer(), done: Type.Integer(), missed: Type.Integer(), rate: Nullable(Type.Number()), tooShort: Type.Integer(), flagged: Type.Integer() };

export const ComplianceOut = Type.Object({
  org: Type.Object({ code: Type.String(), name: Type.String(), level: Type.String() }),
  from: Type.String(),
  to: Type.String(),
  kind: Nullable(Type.String()),
  rows: Type.Array(Type.Object({
    planId: Type.Integer(), person: Type.String(), personId: Nullable(Type.Integer()), role: Nullable(Type.String()),
    target: Type.String(), targetName: Type.String(), kind: Type.String(), org: Type.String(), orgName: Type.String(), level: Nullable(Type.String()), frequency: Type.String(),
    ...Figures,
  })),
  groups: Type.Array(Type.Object({ code: Nullable(Type.String()), name: Nullable(Type.String()), ...Figures })),
});


