import { Type } from 'typebox';
import { Nullable, PageQuery, StringEnum } from '../http/schemas.js';
import { DEVICE_STATUSES } from './device.service.js';

const DeviceId = Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$', description: 'letters, digits, - and _, at most 64' });
const KindCode = Type.String({ pattern: '^[a-z][a-z0-9_]{0,39}$' });
const Lon = Type.Number({ minimum: -180, maximum: 180 });
const Lat = Type.Number({ minimum: -90, maximum: 90 });

export const DeviceParams = Type.Object({ id: DeviceId });

export const DeviceIn = Type.Object({
  id: DeviceId,
  kind: KindCode,
  lon: Lon,
  lat: Lat,
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 80 })),
  departmentCode: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 40 }))),
  status: Type.Optional(StringEnum(DEVICE_STATUSES)),
  reachCode: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 40, description: 'water-quality stations: the 河长制 reach sampled (a river target code, e.g. HH-WH-02); its class is checked against the reach\'s target' }))),
}, { additionalProperties: false });

export const DevicePatch = Type.Object({
  lon: Type.Optional(Lon),
  lat: Type.Optional(Lat),
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 80 })),
  departmentCode: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 40 }))),
  status: Type.Optional(StringEnum(DEVICE_STATUSES)),
  reachCode: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 40, description: 'water-quality stations: the 河长制 reach sampled (a river target code, e.g. HH-WH-02); its class is checked against the reach\'s target' }))),
}, { additionalProperties: false, minProperties: 1 });

export const DeviceOut = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  name: Type.String(),
  lon: Type.Number(),
  lat: Type.Number(),
  gridCode: Type.String(),
  departmentId: Nullable(Type.Integer()),
  status: Type.String({ description: 'active | maintenance | retired' }),
  lastSeenAt: Nullable(Type.String()),
  createdAt: Type.String(),
  reachCode: Nullable(Type.String()),
});

export const DeviceQuery = Type.Object({
  kind: Type.Optional(KindCode),
  status: Type.Optional(StringEnum(DEVICE_STATUSES)),
  ...PageQuery,
}, { additionalProperties: false });

export const DeviceKindIn = Type.Object({
  code: KindCode,
  name: Type.String({ minLength: 1, maxLength: 40 }),
  metrics: Type.Array(Type.String({ pattern: '^[a-z][a-z0-9_]{0,31}$' }), { minItems: 1, maxItems: 32, uniqueItems: true }),
  alarmCategory: Type.String({ minLength: 1, maxLength: 20, description: 'the local category of the cases its alarms open (e.g. LGZ05)' }),
}, { additionalProperties: false });

export const DeviceKindOut = Type.Object({
  code: Type.String(),
  name: Type.String(),
  metrics: Type.Array(Type.String()),
  alarmCategory: Type.String(),
  builtin: Type.Boolean(),
});
