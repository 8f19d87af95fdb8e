import { Type } from 'typebox';
import { Nullable, StringEnum } from '../http/schemas.js';

const Code = Type.String({ pattern: '^[a-z][a-z0-9_]{0,39}$' });
const Target = Type.Union([Type.Number({ minimum: -1e9, maximum: 1e9 }), StringEnum(['I', 'II', 'III', 'IV', 'V', '劣V'] as const)], { description: 'a number, or a water class (I … 劣V) for a class-valued indicator' });
const Year = Type.Integer({ minimum: 2000, maximum: 2100 });
const IsoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'a city date' });

export const IndicatorParams = Type.Object({ code: Code });

export const IndicatorOut = Type.Object({
  code: Type.String(),
  name: Type.String(),
  unit: Type.String(),
  direction: Type.String({ description: 'higher | lower: which way is better' }),
  target: Type.Union([Type.Number(), Type.String()]),
  targetLabel: Type.String({ description: 'e.g. 43 %, Ⅱ类' }),
  targetYear: Type.Integer(),
  planFigure: Type.Boolean({ description: 'true: the target is the plan\'s own figure (规划目标)' }),
  source: Type.String({ description: 'manual (an entry with evidence) | sensor | cases' }),
  sourceRef: Nullable(Type.String({ description: 'what computes it: air.good_days_share | water.class:<code> | cases.satisfaction_hotline' })),
  actual: Nullable(Type.Union([Type.Number(), Type.String()])),
  actualLabel: Nullable(Type.String()),
  asOf: Nullable(Type.String({ description: 'the city date of the actual (today for computed ones)' })),
  evidence: Nullable(Type.String()),
  onTrack: Nullable(Type.Boolean({ description: 'whether the actual meets the target (null without an actual)' })),
  trend: Nullable(StringEnum(['better', 'worse', 'steady'] as const, { description: 'against the value recorded before the actual\'s date' })),
});

export const IndicatorIn = Type.Object({
  code: Code,
  name: Type.String({ minLength: 1, maxLength: 60 }),
  unit: Type.String({ maxLength: 20 }),
  direction: StringEnum(['higher', 'lower'] as const),
  target: Target,
  targetYear: Year,
  source: Type.Optional(StringEnum(['manual', 'sensor', 'cases'] as const)),
  sourceRef: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 80 }))),
}, { additionalProperties: false });

export const IndicatorPatch = Type.Object({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
  target: Type.Optional(Target),
  targetYear: Type.Optional(Year),
}, { additionalProperties: false, minProperties: 1 });

export const IndicatorValueIn = Type.Object({
  asOf: IsoDate,
  value: Target,
  evidence: Type.String({ minLength: 1, maxLength: 500, description: 'where the figure comes from (a statistics bulletin, a survey, a document number)' }),
}, { additionalProperties: false });

export const IndicatorValuesQuery = Type.Object({
  from: Type.Optional(IsoDate),
  to: Type.Optional(IsoDate),
}, { additionalProperties: false });

export const IndicatorValuesOut = Type.Object({
  code: Type.String(),
  items: Type.Array(Type.Object({
    asOf: Type.String(),
    value: Nullable(Type.Union([Type.Number(), Type.String()])),
    evidence: Nullable(Type.String()),
    recordedAt: Type.String(),
  })),
});
