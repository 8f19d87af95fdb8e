import { Type } from 'typebox';
import { Nullable, PageQuery, StringEnum } from '../http/schemas.js';

export const ReadingItem = Type.Object({
  deviceId: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }),
  // ts and values are checked by the same parser as MQTT payloads, so that a bad item becomes a
  // dead letter with its reason (like on the broker) rather than failing the whole batch.
  ts: Type.Unknown({ description: 'ISO-8601 instant with Z or an offset' }),
  values: Type.Unknown({ description: '{"<metric>": <finite number>, …}' }),
}, { additionalProperties: false });

export const ReadingsIn = Type.Array(ReadingItem, { minItems: 1, maxItems: 500 });

export const ReadingsOut = Type.Object({
  stored: Type.Integer({ description: 'items with at least one new metric' }),
  duplicates: Type.Integer({ description: 'items already stored (a replay): nothing changed' }),
  refused: Type.Array(Type.Object({ index: Type.Integer(), reason: Type.String() }), { description: 'items kept as dead letters' }),
});

export const SeriesQuery = Type.Object({
  metric: Type.String({ pattern: '^[a-z][a-z0-9_]{0,31}$' }),
  period: StringEnum(['hour', 'day'] as const),
  from: Type.String({ minLength: 10, maxLength: 30, description: 'first bucket: an hour (ISO-8601 UTC) or a city date' }),
  to: Type.String({ minLength: 10, maxLength: 30, description: 'end (exclusive)' }),
  deviceId: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' })),
  kind: Type.Optional(Type.String({ maxLength: 40 })),
  orgCode: Type.Optional(Type.String({ maxLength: 20, description: 'an org unit in your area: its devices together' })),
}, { additionalProperties: false });

export const SeriesOut = Type.Object({
  metric: Type.String(),
  period: Type.String(),
  items: Type.Array(Type.Object({ bucket: Type.String(), n: Type.Integer(), avg: Type.Number(), min: Type.Number(), max: Type.Number(), devices: Type.Integer() })),
});

export const DeadLetterOut = Type.Object({
  id: Type.Integer(),
  receivedAt: Type.String(),
  source: Type.String(),
  topic: Nullable(Type.String()),
  deviceId: Nullable(Type.String()),
  reason: Type.String(),
  payload: Type.String(),
});

export const DeadLetterQuery = Type.Object({ ...PageQuery }, { additionalProperties: false });
