import { Type } from 'typebox';
import { StringEnum } from '../http/schemas.js';
import { SCREEN_PERIODS } from './screen.period.js';
import { SCREEN_MEASURES } from './screen.service.js';

const Date10 = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
const Num = Type.Union([Type.Number(), Type.Null()]);
const Str = Type.Union([Type.String(), Type.Null()]);

export const ScreenQuerySchema = Type.Object({
  org: Type.Optional(Type.String({ pattern: '^\\d{4,20}$' })),
  period: Type.Optional(StringEnum(SCREEN_PERIODS)),
  from: Type.Optional(Date10),
  to: Type.Optional(Date10),
}, { additionalProperties: false });

export const OrgQuerySchema = Type.Object({ org: Type.Optional(Type.String({ pattern: '^\\d{4,20}$' })) }, { additionalProperties: false });

export const AreasQuerySchema = Type.Object({ ...ScreenQuerySchema.properties, measure: Type.Optional(StringEnum(SCREEN_MEASURES)) }, { additionalProperties: false });

const Org = Type.Object({ code: Type.String(), name: Type.String(), level: Type.String() });
const Range = { from: Type.String(), to: Type.String() };

const Kpis = Type.Object({
  reported: Type.Number(), registered: Type.Number(), closed: Type.Number(), closedOnTime: Type.Number(), shouldClose: Type.Number(), overdue: Type.Number(),
  handled: Type.Number(), callbacks: Type.Number(),
  registrationRate: Num, onTimeDispatchRate: Num, onTimeHandlingRate: Num, reworkRate: Num, closureRate: Num, onTimeClosureRate: Num,
  averageHandlingHours: Num, responseRate: Num, resolutionRate: Num, satisfactionRate: Num, composite: Num, grade: Str, urbanComposite: Num, urbanGrade: Str,
});

export const CardsSchema = Type.Object({
  org: Org, ...Range, previous: Type.Object(Range),
  current: Kpis, before: Kpis,
  now: Type.Object({ open: Type.Number(), overdue: Type.Number(), handling: Type.Number(), supervised: Type.Number() }),
});

export const AreasSchema = Type.Object({
  org: Org, ...Range, measure: Type.String(), childLevel: Str,
  areas: Type.Array(Type.Object({
    code: Type.String(), name: Type.String(), level: Type.String(), areaKm2: Num, value: Num,
    open: Type.Number(), overdue: Type.Number(), handling: Type.Number(), reported: Type.Number(), closed: Type.Number(),
    onTimeClosureRate: Num, satisfactionRate: Num,
    petitionBacklog: Type.Number({ description: '积案: petitions flagged as backlog and not yet resolved, in this unit' }),
  })),
});

const Rank = {
  reported: Type.Number(), closed: Type.Number(), overdue: Type.Number(), onTimeClosureRate: Num, satisfactionRate: Num,
  composite: Num, grade: Str, urbanComposite: Num, urbanGrade: Str,
};
export const RankingsSchema = Type.Object({
  org: Org, ...Range,
  areas: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), ...Rank })),
  departments: Type.Array(Type.Object({ id: Type.Integer(), name: Type.String(), ...Rank })),
});

const Watch = Type.Object({
  id: Type.Integer(), number: Type.String(), status: Type.String(), light: Type.String(), categoryCode: Type.String(), categoryName: Type.String(),
  orgCode: Str, escalationLevel: Type.Integer(), deadline: Str, createdAt: Type.String(),
});
export const TrendsSchema = Type.Object({
  org: Org, ...Range,
  daily: Type.Array(Type.Object({ day: Type.String(), reported: Type.Number(), closed: Type.Number() })),
  categories: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), reported: Type.Number() })),
  channels: Type.Array(Type.Object({ channel: Type.String(), reported: Type.Number() })),
  heatmap: Type.Array(Type.Object({ weekday: Type.Integer(), hour: Type.Integer(), reported: Type.Number() })),
  supervised: Type.Array(Watch),
  escalated: Type.Array(Watch),
});

export const PinsSchema = Type.Object({
  org: Org,
  pins: Type.Array(Type.Object({ id: Type.Integer(), number: Type.String(), status: Type.String(), light: Type.String(), categoryCode: Type.String(), gridCode: Str, lon: Type.Number(), lat: Type.Number(), createdAt: Type.String() })),
});

export const OutlinesSchema = Type.Object({
  type: Type.Literal('FeatureCollection'), org: Org, childLevel: Str,
  features: Type.Array(Type.Object({
    type: Type.Literal('Feature'),
    properties: Type.Object({ code: Type.String(), name: Type.String(), level: Type.String(), role: Type.String() }),
    geometry: Type.Unknown(),
  })),
});

const AqiBrief = Type.Object({ aqi: Type.Number(), level: Type.String({ description: '优 良 轻度污染 中度污染 重度污染 严重污染' }), grade: Type.Integer(), color: Type.String(), primaryPollutant: Str });
const MaybeAqi = Type.Union([AqiBrief, Type.Null()]);

export const VitalsSchema = Type.Object({
  org: Org,
  at: Type.String(),
  air: Type.Object({
    now: Type.Union([Type.Object({ hour: Type.String(), aqi: Num, level: Type.String(), grade: Type.Integer(), color: Type.String(), primaryPollutant: Str }), Type.Null()]),
    stations: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), lon: Type.Number(), lat: Type.Number(), hour: Str, now: MaybeAqi, today: MaybeAqi })),
    hourly: Type.Array(Type.Object({ hour: Type.String(), aqi: Num })),
    daily: Type.Array(Type.Object({ day: Type.String(), aqi: Num, level: Type.String(), grade: Type.Integer(), color: Type.String(), primaryPollutant: Str })),
    goodDays: Type.Object({ year: Type.Integer(), good: Type.Integer(), days: Type.Integer({ description: 'days of the year with readings, today included' }) }),
  }),
  water: Type.Array(Type.Object({
    id: Type.String(), name: Type.String(), lon: Type.Number(), lat: Type.Number(), reach: Str, waterBody: Str, day: Str,
    waterClass: Str, label: Str, deciding: Type.Array(Type.String()), target: Str, targetLabel: Str, onTarget: Type.Union([Type.Boolean(), Type.Null()]),
  })),
  alarms: Type.Array(Type.Object({
    deviceId: Type.String(), name: Type.String(), kind: Type.String(), lon: Type.Number(), lat: Type.Number(), since: Str, value: Num,
    rule: Type.String(), caseId: Type.Union([Type.Integer(), Type.Null()]), caseNumber: Str,
  })),
  devices: Type.Object({ total: Type.Integer(), online: Type.Integer(), kinds: Type.Array(Type.Object({ kind: Type.String(), total: Type.Integer(), online: Type.Integer() })) }),
});
