import { Type } from 'typebox';
import { IsoDate, Nullable, StringEnum } from '../http/schemas.js';
import { GovernancePlanIn } from '../cases/case.schema.js';
import { HAZARD_GROUPS } from './hazard.service.js';

export const HazardKpiQuery = Type.Object({
  org: Type.Optional(Type.String({ pattern: '^\\d{4,20}$' })),
  from: Type.Optional(IsoDate()),
  to: Type.Optional(IsoDate()),
  groupBy: Type.Optional(StringEnum(HAZARD_GROUPS, { description: 'figures per enterprise, industry, supervising department or org unit at a level' })),
}, { additionalProperties: false });

const Rate = Nullable(Type.Number());
const Figures = {
  found: Type.Integer({ description: '排查出的隐患 (reported in the period)' }),
  major: Type.Integer({ description: '重大隐患' }),
  rectified: Type.Integer({ description: '已整改 (验收通过 or 销号)' }),
  majorRectified: Type.Integer(),
  rectifiedOnTime: Type.Integer({ description: 'rectification reported by the deadline (a 重大隐患: its 治理方案\'s)' }),
  closed: Type.Integer({ description: '已销号' }),
  open: Type.Integer(),
  overdue: Type.Integer({ description: 'open past the deadline' }),
  rectificationRate: Rate,
  majorRectificationRate: Rate,
  onTimeRate: Rate,
  inspectionsRequired: Type.Integer({ description: 'inspections of risk points the plans required in the period' }),
  inspectionsDone: Type.Integer(),
  inspectionRate: Rate,
};

export const HazardKpiOut = Type.Object({
  org: Type.Object({ code: Type.String(), name: Type.String(), level: Type.String() }),
  from: Type.String(),
  to: Type.String(),
  groupBy: Nullable(Type.String()),
  total: Type.Object(Figures),
  groups: Type.Array(Type.Object({ key: Nullable(Type.String()), name: Nullable(Type.String()), ...Figures })),
});

export const HazardOut = Type.Object({
  id: Type.Integer(), number: Type.String(), status: Type.String(), statusLabel: Type.String(),
  hazardLevel: Type.Union([Type.Literal('general'), Type.Literal('major')]), supervised: Type.Boolean(),
  description: Type.String(), createdAt: Type.String(), deadline: Nullable(Type.String()), handledAt: Nullable(Type.String()), closedAt: Nullable(Type.String()),
  major: Type.Boolean(), rectified: Type.Boolean(), onTime: Type.Boolean(), closed: Type.Boolean(), open: Type.Boolean(), overdue: Type.Boolean(),
  enterprise: Nullable(Type.Object({ id: Type.Integer(), name: Type.String(), creditCode: Type.String(), industry: Type.String() })),
  riskPoint: Nullable(Type.Object({ id: Type.Integer(), name: Type.String(), level: Type.String(), target: Type.String() })),
  patrolId: Nullable(Type.Integer()),
  plan: Nullable(Type.Object({ ...GovernancePlanIn.properties, submittedAt: Type.String(), submittedBy: Type.String(), revisions: Type.Integer() })),
  progress: Type.Array(Type.Object({ at: Type.String(), by: Type.String(), note: Type.String() })),
});
