import { Type, type Static } from 'typebox';
import { Nullable, StringEnum } from '../http/schemas.js';
import { ReachQualityOut } from '../patrols/river.schema.js';
import { SATISFACTION } from '../cases/workflow/index.js';

/** Channels a citizen-portal report may name: the web page, or the same page inside an app (H5). */
export const PORTAL_CHANNELS = ['web', 'h5'] as const;

const CaseNumber = Type.String({ pattern: '^[A-Za-z0-9-]{4,40}$', description: 'the tracking number a report answered' });
const Phone4 = Type.String({ pattern: '^\\d{4}$', description: "the last 4 digits of the reporter's phone" });

/** POST /public/reports: what the citizen portal sends (the same limits as Open311 requests). */
export const PublicReportBody = Type.Object({
  categoryCode: Type.String({ minLength: 1, maxLength: 20 }),
  lon: Type.Number({ minimum: -180, maximum: 180 }),
  lat: Type.Number({ minimum: -90, maximum: 90 }),
  description: Type.String({ minLength: 1, maxLength: 4000 }),
  address: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
  name: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
  phone: Type.Optional(Nullable(Type.String({ maxLength: 40 }))),
  channel: Type.Optional(StringEnum(PORTAL_CHANNELS)),
}, { additionalProperties: false });
export type PublicReportBody = Static<typeof PublicReportBody>;

export const PublicReportOut = Type.Object({
  number: Type.String(),
  status: Type.String({ description: 'public status code: received, in_progress, checking, replied, closed, rejected, merged, voided, suspended' }),
  statusText: Type.String(),
  createdAt: Type.String(),
  expectedBy: Nullable(Type.String()),
  uploadToken: Type.String({ description: 'send it as X-Upload-Token with POST /public/reports/{number}/photos; shown once' }),
  uploadExpiresAt: Type.String(),
  photoLimit: Type.Integer(),
  /** Whether the report is tied to the signed-in citizen (then GET /me/cases lists it). */
  mine: Type.Boolean(),
});

export const NumberParams = Type.Object({ number: CaseNumber });
export const TrackQuery = Type.Object({ phone4: Type.Optional(Phone4) }, { additionalProperties: false });
export const TrackBody = Type.Object({ phone4: Type.Optional(Phone4) }, { additionalProperties: false });

export const EvaluationBody = Type.Object({
  phone4: Type.Optional(Phone4),
  solved: Type.Boolean(),
  satisfaction: StringEnum(SATISFACTION),
}, { additionalProperties: false });
export type EvaluationBody = Static<typeof EvaluationBody>;

export const ReopenBody = Type.Object({
  phone4: Type.Optional(Phone4),
  note: Type.String({ minLength: 2, maxLength: 1000 }),
}, { additionalProperties: false });
export type ReopenBody = Static<typeof ReopenBody>;

export const PhotoOut = Type.Object({ id: Type.Integer(), mime: Type.String(), size: Type.Integer(), createdAt: Type.String(), remaining: Type.Integer() });

const PublicStep = Type.Object({
  at: Type.String(),
  step: Type.String({ description: 'what happened, as a code the portal translates (report, verify, dispatch, …)' }),
  text: Type.String({ description: 'the same in Chinese words' }),
  department: Nullable(Type.String()),
  note: Nullable(Type.String({ description: 'free text, scrubbed of phone and ID numbers' })),
});

/** GET /track/{number}: what anyone holding the number and the phone digits may see. No personal data. */
export const TrackOut = Type.Object({
  number: Type.String(),
  category: Type.Object({ code: Type.String(), name: Type.String() }),
  status: Type.String(),
  statusText: Type.String(),
  open: Type.Boolean(),
  area: Nullable(Type.String({ description: 'street and community, not the address' })),
  description: Type.String({ description: 'scrubbed of phone and ID numbers' }),
  createdAt: Type.String(),
  expectedBy: Nullable(Type.String()),
  closedAt: Nullable(Type.String()),
  department: Nullable(Type.String()),
  timeline: Type.Array(PublicStep),
  evaluation: Nullable(Type.Object({ solved: Type.Boolean(), satisfaction: Nullable(Type.String()) })),
  canEvaluate: Type.Boolean(),
  canReopen: Type.Boolean(),
});

/** A reach's public 河长公示牌. */
export const RiverBoardOut = Type.Object({
  code: Type.String(), name: Type.String(),
  waterBody: Type.Object({ code: Type.String(), name: Type.String(), kind: Type.String() }),
  qualityTarget: Nullable(Type.String({ description: 'water-quality target class (GB 3838): I … V' })),
  waterClass: Nullable(Type.Object({ class: Type.String({ description: 'I … V, 劣V' }), at: Nullable(Type.String()) }, { description: "the last class measured at the reach's station" })),
  officePhone: Nullable(Type.String({ description: "the 河长办's public office phone (no chief's personal phone is published)" })),
  department: Nullable(Type.String({ description: 'the responsible department' })),
  demoGeometry: Type.Boolean(),
  geometry: Type.Unknown(),
  at: Nullable(Type.Array(Type.Number(), { description: 'a point on the reach [lon, lat], to place a report' })),
  chiefs: Type.Array(Type.Object({ level: Nullable(Type.String()), org: Type.String(), person: Nullable(Type.String()), frequency: Type.Object({ period: Type.String(), times: Type.Integer(), label: Type.String() }) })),
  quality: Nullable(ReachQualityOut),
});
export const ReachParams = Type.Object({ code: Type.String({ pattern: '^[A-Za-z0-9_.-]{1,60}$' }) });
