import { Type } from 'typebox';
import { LIMIT_UNITS, STAGES } from './time-limits.js';
import { StringEnum, Nullable } from '../http/schemas.js';
import { QuestionSchema } from '../open311/open311.questions.js';


export const TimeLimitSchema = Type.Object({ amount: Type.Number({ exclusiveMinimum: 0, maximum: 100000 }), unit: StringEnum(LIMIT_UNITS) }, { additionalProperties: false });
export const TimeLimitsSchema = Type.Object(Object.fromEntries(STAGES.map((s) => [s, Type.Optional(TimeLimitSchema)])), { additionalProperties: false });

export const CategoryOut = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  kind: Type.String(),
  standard: Type.String(),
  classCode: Type.String(),
  className: Type.String(),
  name: Type.String(),
  nameEn: Nullable(Type.String()),
  legacyCode: Nullable(Type.String()),
  workflow: Type.String(),
  departmentCode: Nullable(Type.String()),
  priority: Type.Integer(),
  timeLimits: Type.Record(Type.String(), TimeLimitSchema),
  duplicateRadiusM: Type.Integer(),
  duplicateWindowH: Type.Integer(),
  keywords: Type.String(),
  active: Type.Boolean(),
  retiredAt: Nullable(Type.String()),
});

const CategoryFields = {
  code: Type.String({ minLength: 2, maxLength: 20, pattern: '^[A-Za-z0-9_.-]+$', description: 'a code in the local code space (the GB codes are taken)' }),
  name: Type.String({ minLength: 1, maxLength: 100 }),
  nameEn: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
  classCode: Type.String({ minLength: 1, maxLength: 10 }),
  className: Type.Optional(Type.String({ minLength: 1, maxLength: 60, description: 'required when the class is new' })),
  kind: StringEnum(['component', 'matter', 'local'] as const),
  workflow: Type.String({ minLength: 1, maxLength: 40 }),
  questions: Type.Optional(Type.Array(QuestionSchema, { maxItems: 50 })),
};

/** A local category: code, names, class, kind, workflow and optionally every operational setting. */
export const CategoryIn = Type.Object({
  ...CategoryFields,
  departmentCode: Type.Optional(Nullable(Type.String())),
  priority: Type.Optional(Type.Integer({ minimum: 1, maximum: 4 })),
  timeLimits: Type.Optional(TimeLimitsSchema),
  duplicateRadiusM: Type.Optional(Type.Integer({ minimum: 0, maximum: 10000 })),
  duplicateWindowH: Type.Optional(Type.Integer({ minimum: 0, maximum: 24 * 365 })),
  keywords: Type.Optional(Type.String({ maxLength: 500 })),
}, { additionalProperties: false });

export const CategoryPatch = Type.Object({
  departmentCode: Type.Optional(Nullable(Type.String())),
  priority: Type.Optional(Type.Integer({ minimum: 1, maximum: 4 })),
  timeLimits: Type.Optional(TimeLimitsSchema),
  duplicateRadiusM: Type.Optional(Type.Integer({ minimum: 0, maximum: 10000 })),
  duplicateWindowH: Type.Optional(Type.Integer({ minimum: 0, maximum: 24 * 365 })),
  keywords: Type.Optional(Type.String({ maxLength: 500 })),
  active: Type.Optional(Type.Boolean({ description: 'false retires the category (hidden from intake and Open311, kept for history)' })),
  code: Type.Optional(CategoryFields.code),
  name: Type.Optional(CategoryFields.name),
  nameEn: CategoryFields.nameEn,
  classCode: Type.Optional(CategoryFields.classCode),
  className: CategoryFields.className,
  kind: Type.Optional(CategoryFields.kind),
  workflow: Type.Optional(CategoryFields.workflow),
  questions: CategoryFields.questions,
}, { additionalProperties: false });

export const LegacyCodeOut = Type.Object({
  scheme: Type.String(),
  legacyCode: Type.String(),
  legacyName: Nullable(Type.String()),
  categoryCode: Type.String(),
  categoryName: Type.String(),
  note: Nullable(Type.String()),
});

export const LegacyCodesIn = Type.Object({
  csv: Type.String({ minLength: 1, maxLength: 2_000_000, description: 'CSV with header scheme,legacy_code,legacy_name,category_code,note' }),
}, { additionalProperties: false });

export const DepartmentOut = Type.Object({ id: Type.Integer(), code: Type.String(), name: Type.String(), orgCode: Type.String() });
export const DepartmentIn = Type.Object({ code: Type.String({ minLength: 2, maxLength: 40 }), name: Type.String({ minLength: 1, maxLength: 100 }), orgCode: Type.String() }, { additionalProperties: false });

const HHMM = Type.String({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d$' });
export const RoutingRuleIn = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 200 }),
  position: Type.Optional(Type.Integer({ minimum: 0 })),
  categoryCode: Type.Optional(Nullable(Type.String())),
  classCode: Type.Optional(Nullable(Type.String())),
  orgCode: Type.Optional(Nullable(Type.String())),
  channel: Type.Optional(Nullable(Type.String())),
  weekdays: Type.Optional(Nullable(Type.Array(Type.Integer({ minimum: 1, maximum: 7 }), { minItems: 1, maxItems: 7 }))),
  timeFrom: Type.Optional(Nullable(HHMM)),
  timeTo: Type.Optional(Nullable(HHMM)),
  departmentCode: Type.String(),
  active: Type.Optional(Type.Boolean()),
}, { additionalProperties: false });

export const RoutingRuleOut = Type.Object({
  id: Type.Integer(),
  position: Type.Integer(),
  name: Type.String(),
  categoryCode: Nullable(Type.String()),
  classCode: Nullable(Type.String()),
  orgCode: Nullable(Type.String()),
  channel: Nullable(Type.String()),
  weekdays: Nullable(Type.Array(Type.Integer())),
  timeFrom: Nullable(Type.String()),
  timeTo: Nullable(Type.String()),
  departmentCode: Type.String(),
  active: Type.Boolean(),
});

export const ExplainIn = Type.Object({
  categoryCode: Type.String(),
  orgCode: Type.String(),
  channel: Type.String({ minLength: 1, maxLength: 40 }),
  at: Type.Optional(Type.String({ format: 'date-time' })),
}, { additionalProperties: false });

export const ExplainOut = Type.Object({
  department: Nullable(DepartmentOut),
  ruleId: Nullable(Type.Integer()),
  via: Type.String(),
  explanation: Type.String(),
  trace: Type.Array(Type.Object({ ruleId: Type.Integer(), name: Type.String(), matched: Type.Boolean(), reasons: Type.Array(Type.String()) })),
});
