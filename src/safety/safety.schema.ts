import { Type } from 'typebox';
import { Nullable, StringEnum } from '../http/schemas.js';
import { CONTROL_LEVELS, RISK_LEVELS } from './risk.js';

export const EnterpriseIn = Type.Object({
  creditCode: Type.String({ minLength: 18, maxLength: 18, description: '统一社会信用代码 (GB 32100), check character verified' }),
  name: Type.String({ minLength: 1, maxLength: 200 }),
  industry: Type.String({ minLength: 1, maxLength: 100 }),
  address: Type.Optional(Type.String({ maxLength: 300 })),
  lon: Type.Number({ minimum: -180, maximum: 180 }),
  lat: Type.Number({ minimum: -90, maximum: 90 }),
  departmentCode: Type.Optional(Type.String({ maxLength: 40, description: 'the supervising department' })),
}, { additionalProperties: false });

export const RiskPointIn = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 200 }),
  assessment: Type.Union([
    Type.Object({ method: Type.Literal('lec'), l: Type.Number(), e: Type.Number(), c: Type.Number() }, { additionalProperties: false }),
    Type.Object({ method: Type.Literal('matrix'), l: Type.Integer(), s: Type.Integer() }, { additionalProperties: false }),
    Type.Object({ method: Type.Literal('grade5'), grade: Type.Integer() }, { additionalProperties: false }),
    Type.Object({ method: Type.Literal('direct'), level: StringEnum(RISK_LEVELS) }, { additionalProperties: false }),
  ]),
  controlLevel: StringEnum(CONTROL_LEVELS, { description: '管控层级: 公司/车间/班组/岗位' }),
  measures: Type.String({ minLength: 1, maxLength: 2000, description: '管控措施' }),
  lon: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
  lat: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })),
}, { additionalProperties: false });

export const RiskPointOut = Type.Object({
  id: Type.Integer(), name: Type.String(), target: Type.String(), method: Type.String(), assessment: Type.Unknown(), score: Nullable(Type.Number()),
  level: Type.String(), levelLabel: Type.String(), controlLevel: Type.String(), measures: Type.String(),
});

export const EnterpriseOut = Type.Object({
  id: Type.Integer(), creditCode: Type.String(), name: Type.String(), industry: Type.String(), address: Nullable(Type.String()), lon: Type.Number(), lat: Type.Number(),
  grid: Type.String(), departmentCode: Nullable(Type.String()), level: Nullable(Type.String()), levelLabel: Nullable(Type.String()), riskPoints: Type.Array(RiskPointOut),
});

export const EnterpriseListQuery = Type.Object({
  org: Type.Optional(Type.String({ pattern: '^\\d{4,20}$' })),
  department: Type.Optional(Type.String({ maxLength: 40 })),
  industry: Type.Optional(Type.String({ maxLength: 100 })),
}, { additionalProperties: false });

export const RiskMapOut = Type.Object({
  counts: Type.Object({ red: Type.Integer(), orange: Type.Integer(), yellow: Type.Integer(), blue: Type.Integer(), none: Type.Integer() }),
  features: Type.Array(Type.Object({
    type: Type.Literal('Feature'),
    geometry: Type.Object({ type: Type.Literal('Point'), coordinates: Type.Array(Type.Number()) }),
    properties: Type.Object({ id: Type.Integer(), name: Type.String(), level: Nullable(Type.String()), points: Type.Integer() }),
  })),
});
