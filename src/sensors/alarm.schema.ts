import { Type } from 'typebox';
import { Nullable, StringEnum } from '../http/schemas.js';
import { ALARM_OPS, ALARM_TYPES } from './alarm.evaluate.js';

export const AlarmRuleIn = Type.Object({
  type: Type.Optional(StringEnum(ALARM_TYPES, { description: 'threshold (default): value op threshold; rate: change per minute op threshold; offline: no reading for forMinutes' })),
  deviceId: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' })),
  kind: Type.Optional(Type.String({ pattern: '^[a-z][a-z0-9_]{0,39}$', description: "every device of this kind in your area" })),
  metric: Type.Optional(Type.String({ pattern: '^[a-z][a-z0-9_]{0,31}$' })),
  op: Type.Optional(StringEnum(ALARM_OPS)),
  threshold: Type.Optional(Type.Number()),
  forMinutes: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_080, description: 'the condition must hold this long (offline: the silence)' })),
  categoryCode: Type.Optional(Type.String({ minLength: 1, maxLength: 20, description: "default: the kind's alarm category (offline: LGZ09)" })),
  enabled: Type.Optional(Type.Boolean()),
}, { additionalProperties: false });

export const AlarmRulePatch = Type.Object({
  op: Type.Optional(StringEnum(ALARM_OPS)),
  threshold: Type.Optional(Type.Number()),
  forMinutes: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_080 })),
  enabled: Type.Optional(Type.Boolean()),
}, { additionalProperties: false, minProperties: 1 });

export const AlarmRuleParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });

export const AlarmRuleOut = Type.Object({
  id: Type.Integer(),
  type: Type.String(),
  deviceId: Nullable(Type.String()),
  kind: Nullable(Type.String()),
  metric: Nullable(Type.String()),
  op: Nullable(Type.String()),
  threshold: Nullable(Type.Number()),
  forMinutes: Type.Integer(),
  categoryCode: Type.String(),
  enabled: Type.Boolean(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
