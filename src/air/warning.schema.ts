import { Type } from 'typebox';
import { Nullable, StringEnum } from '../http/schemas.js';

const Level = StringEnum(['yellow', 'orange', 'red'] as const, { description: 'yellow 黄色 | orange 橙色 | red 红色' });
const Lon = Type.Optional(Type.Number({ minimum: -180, maximum: 180, description: 'where the task cases are located (default: the first air station)' }));
const Lat = Type.Optional(Type.Number({ minimum: -90, maximum: 90 }));

export const WarningParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });

export const WarningIn = Type.Object({
  level: Level,
  reason: Type.String({ minLength: 1, maxLength: 500 }),
  lon: Lon,
  lat: Lat,
}, { additionalProperties: false });

export const AssessIn = Type.Object({
  forecast: Type.Array(Type.Object({ date: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }), aqi: Type.Integer({ minimum: 0, maximum: 500 }) }, { additionalProperties: false }), { maxItems: 10, description: 'the forecast daily AQI of the coming days' }),
  lon: Lon,
  lat: Lat,
}, { additionalProperties: false });

export const LiftIn = Type.Object({ note: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false });

export const PlanTaskSchema = Type.Object({
  level: Level,
  departmentCode: Type.String({ minLength: 1, maxLength: 40 }),
  task: Type.String({ minLength: 1, maxLength: 200 }),
  deadlineHours: Type.Integer({ minimum: 1, maximum: 720 }),
}, { additionalProperties: false });
export const PlanIn = Type.Array(PlanTaskSchema, { maxItems: 100 });
export const PlanOut = Type.Object({ items: Type.Array(PlanTaskSchema) });

export const WarningOut = Type.Object({
  id: Type.Integer(),
  level: Type.String(),
  levelName: Type.String({ description: '黄色预警 | 橙色预警 | 红色预警' }),
  status: Type.String({ description: 'active | lifted' }),
  trigger: Type.String({ description: 'manual | rule' }),
  reason: Type.String(),
  issuedAt: Type.String(),
  upgradedAt: Nullable(Type.String()),
  liftedAt: Nullable(Type.String()),
  liftNote: Nullable(Type.String()),
  jointZone: Nullable(Type.Object({ name: Type.String(), members: Type.Array(Type.String()) }, { description: 'the 大气污染联防联控 zone the city shares (GRIDLOOP_AIR_JOINT_ZONE)' })),
  completion: Type.Object({ total: Type.Integer(), done: Type.Integer(), overdue: Type.Integer() }),
  tasks: Type.Array(Type.Object({
    level: Type.String(), departmentCode: Type.String(), departmentId: Nullable(Type.Integer()), task: Type.String(), dueAt: Type.String(),
    caseId: Type.Integer(), caseNumber: Type.String(), caseStatus: Type.String(), done: Type.Boolean(), overdue: Type.Boolean(),
  })),
});

export const AssessOut = Type.Object({
  days: Type.Array(Type.Object({ date: Type.String(), aqi: Type.Integer(), source: Type.String({ description: 'measured | forecast' }) })),
  level: Nullable(Type.String()),
  reason: Nullable(Type.String()),
  action: Type.String({ description: 'issued | upgraded | none' }),
  warningId: Nullable(Type.Integer()),
});
