import { Type, type Static } from 'typebox';
import { StringEnum, Nullable, PageQuery, DateOrDateTime } from '../http/schemas.js';
import { CHANNELS } from './case.channels.js';
import { SATISFACTION } from './workflow/index.js';
import { QUEUE_KEYS } from './case.queues.js';
import { DisputeIntakeIn, PetitionIntakeIn } from '../social/social.schema.js';


export const CaseCreateBody = Type.Object({
  categoryCode: Type.String({ minLength: 1, maxLength: 20 }),
  lon: Type.Number({ minimum: -180, maximum: 180 }),
  lat: Type.Number({ minimum: -90, maximum: 90 }),
  description: Type.String({ minLength: 1, maxLength: 4000 }),
  channel: StringEnum(CHANNELS),
  address: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
  reporter: Type.Optional(Type.Object({
    name: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
    phone: Type.Optional(Nullable(Type.String({ pattern: '^[0-9+\\- ]{3,20}$' }))),
    idNumber: Type.Optional(Nullable(Type.String({ pattern: '^(\\d{15}|\\d{17}[0-9Xx])$', description: 'resident ID number (GB 11643); stored encrypted' }))),
  }, { additionalProperties: false })),
  private: Type.Optional(Type.Boolean()),
  dispute: Type.Optional(DisputeIntakeIn),
  petition: Type.Optional(PetitionIntakeIn),
  attributes: Type.Optional(Type.Record(Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_]{0,59}$' }), Type.Union([Type.String({ maxLength: 500 }), Type.Number(), Type.Boolean()]), {
    maxProperties: 30,
    description: 'facts about the case its flow may need: a hazard (workflow hazard) needs hazardLevel general or major (major: supervised at once)',
  })),
}, { additionalProperties: false });
export type CaseCreateBody = Static<typeof CaseCreateBody>;

const PlanText = (description: string) => Type.String({ minLength: 1, maxLength: 2000, description });

/** 重大隐患治理方案 (hazard flow, submit_plan): the six parts 安全生产事故隐患排查治理暂行规定 第十五条 names. */
export const GovernancePlanIn = Type.Object({
  targets: PlanText('治理的目标和任务'),
  measures: PlanText('采取的方法和措施'),
  funds: Type.Number({ minimum: 0, maximum: 1e12, description: '经费, 元' }),
  materials: Type.Optional(Type.String({ maxLength: 2000, description: '物资' })),
  organisation: PlanText('负责治理的机构'),
  responsible: Type.String({ minLength: 1, maxLength: 100, description: '负责人 (name or post)' }),
  deadline: Type.String({ format: 'date-time', description: "治理的时限: becomes the case's deadline" }),
  requirements: Type.Optional(Type.String({ maxLength: 2000, description: '治理的要求' })),
  safetyMeasures: PlanText('安全措施 (during the work)'),
  emergencyPlan: PlanText('应急预案'),
}, { additionalProperties: false });

export const TransitionBody = Type.Object({
  action: Type.String({ minLength: 1, maxLength: 40 }),
  version: Type.Integer({ minimum: 1 }),
  note: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })),
  notePublic: Type.Optional(Type.Boolean({ description: 'Show this note to the public (Open311 readers, the updates feed), with phone, ID, e-mail and card numbers masked. Default false: the note is internal, seen only by staff.' })),
  departmentId: Type.Optional(Type.Integer({ minimum: 1 })),
  targetCaseId: Type.Optional(Type.Integer({ minimum: 1 })),
  newDeadline: Type.Optional(Type.String({ format: 'date-time' })),
  extensionAmount: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 10000 })),
  callback: Type.Optional(Type.Object({
    contacted: Type.Boolean(),
    solved: Nullable(Type.Boolean()),
    satisfaction: Nullable(StringEnum(SATISFACTION)),
  }, { additionalProperties: false })),
  governancePlan: Type.Optional(GovernancePlanIn),
}, { additionalProperties: false });
export type TransitionBody = Static<typeof TransitionBody>;

/** Orders the case list accepts. */
export const CASE_SORTS = ['createdAt', '-createdAt', 'updatedAt', '-updatedAt', 'deadline', '-deadline', 'stageDeadline', '-stageDeadline', 'number', '-number', 'priority', '-priority'] as const;
export type CaseSort = (typeof CASE_SORTS)[number];

/** Filters shared by GET /cases and GET /cases.csv: what you see is what you export. */
export const CaseListQuery = Type.Object({
  status: Type.Optional(Type.String({ maxLength: 300, description: 'comma-separated states' })),
  org: Type.Optional(Type.String({ pattern: '^\\d{4,20}$', description: 'org unit code: its whole subtree' })),
  category: Type.Optional(Type.String({ maxLength: 20 })),
  channel: Type.Optional(StringEnum(CHANNELS)),
  light: Type.Optional(Type.String({ pattern: '^(green|yellow|red|severe|none)(,(green|yellow|red|severe|none))*$' })),
  overdue: Type.Optional(Type.Boolean()),
  from: Type.Optional(DateOrDateTime()),
  to: Type.Optional(DateOrDateTime()),
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  reporterPhone: Type.Optional(Type.String({ pattern: '^[0-9+\\- ]{3,20}$', description: 'cases reported from this phone (any spelling; needs the right to see personal data)' })),
  class: Type.Optional(Type.String({ pattern: '^[0-9A-Za-z_-]{1,20}$', description: 'category class code: every category of the class' })),
  riskLevel: Type.Optional(Type.String({ pattern: '^(major|significant|general)(,(major|significant|general))*$', description: 'disputes (矛盾纠纷) of these risk levels only, comma-separated: major 重大, significant 较大, general 一般' })),
  queue: Type.Optional(StringEnum(QUEUE_KEYS, { description: 'a workbench queue of your role (see GET /cases/queues)' })),
  sort: Type.Optional(StringEnum(CASE_SORTS, { description: 'order: a field, descending with a leading "-"; default -createdAt (the CSV export is always newest first)' })),
  cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 400, pattern: '^[A-Za-z0-9_-]+$', description: 'the nextCursor of the previous page (same filters and sort): the page after it, as cheap as the first (offset is then ignored)' })),
  ...PageQuery,
}, { additionalProperties: false });
export type CaseListQuery = Static<typeof CaseListQuery>;

/** A page of a case list: `total` is exact up to 10,000 matches, an estimate beyond (totalIsEstimate). */
export const CasePage = <T extends Parameters<typeof Type.Array>[0]>(item: T) => Type.Object({
  items: Type.Array(item),
  total: Type.Integer({ description: 'how many cases match: exact up to 10,000, beyond that an estimate (see totalIsEstimate); counted once per filter until a case is written (writes by another instance show within 5 s)' }),
  totalIsEstimate: Type.Boolean({ description: 'true when total is an estimate (more than 10,000 match; counting them all would cost more than the page)' }),
  limit: Type.Integer(),
  offset: Type.Integer(),
  nextCursor: Nullable(Type.String({ description: 'pass as `cursor` for the next page; null on the last page' })),
});

export const QueueCountsOut = Type.Object({
  items: Type.Array(Type.Object({ key: StringEnum(QUEUE_KEYS), label: Type.String(), count: Type.Integer() })),
});

/** The CSV export takes the list's filters but no paging: it is every matching row. */
export const CaseCsvQuery = Type.Omit(CaseListQuery, ['limit', 'offset', 'cursor'], { additionalProperties: false });

const Reporter = Type.Object({ name: Nullable(Type.String()), phone: Nullable(Type.String()), idNumber: Nullable(Type.String()) });

export const CaseSummaryOut = Type.Object({
  id: Type.Integer(),
  number: Type.String(),
  workflow: Type.String(),
  status: Type.String(),
  statusLabel: Type.String(),
  openStatus: Type.String(),
  version: Type.Integer(),
  categoryCode: Type.String(),
  classCode: Type.String(),
  channel: Type.String(),
  description: Type.String(),
  address: Nullable(Type.String()),
  lon: Type.Number(),
  lat: Type.Number(),
  grid: Type.Object({ code: Nullable(Type.String()) }),
  communityCode: Nullable(Type.String()),
  streetCode: Nullable(Type.String()),
  districtCode: Nullable(Type.String()),
  departmentId: Nullable(Type.Integer()),
  priority: Type.Integer(),
  deadline: Nullable(Type.String()),
  stage: Nullable(Type.String()),
  stageDeadline: Nullable(Type.String()),
  light: Type.String(),
  supervised: Type.Boolean(),
  /** Kept from the public: anonymous Open311 readers and API keys never see it. */
  private: Type.Boolean(),
  escalationLevel: Type.Integer(),
  parentCaseId: Nullable(Type.Integer()),
  reworkCount: Type.Integer(),
  reporter: Reporter,
  createdAt: Type.String(),
  updatedAt: Type.String(),
  closedAt: Nullable(Type.String()),
});

export const AttachmentOut = Type.Object({ id: Type.Integer(), sha256: Type.String(), mime: Type.String(), size: Type.Integer(), filename: Type.String(), phase: Type.String(), createdAt: Type.String(), url: Type.String() });

const SlaPartOut = Type.Object({
  light: Type.String(),
  deadline: Type.String(),
  remainingMinutes: Type.Integer({ description: 'minutes left (negative when overdue), working time for working-time limits' }),
  unit: StringEnum(['working', 'natural'] as const),
  suspended: Type.Boolean(),
});

export const CaseOut = Type.Object({
  ...CaseSummaryOut.properties,
  allowedActions: Type.Array(Type.String()),
  allowedActionLabels: Type.Record(Type.String(), Type.String()),
  actionInputs: Type.Record(Type.String(), Type.Array(Type.Union([Type.String(), Type.Array(Type.String())])), { description: 'per allowed action, the inputs it requires (a list = at least one of them)' }),
  routing: Type.Object({ ruleId: Nullable(Type.Integer()), explanation: Nullable(Type.String()) }),
  superviseNote: Nullable(Type.String()),
  extensionCount: Type.Integer(),
  pendingExtension: Nullable(Type.Record(Type.String(), Type.Unknown())),
  callback: Nullable(Type.Object({ contacted: Type.Boolean(), solved: Type.Boolean(), satisfaction: Nullable(Type.String()) })),
  registeredAt: Nullable(Type.String()),
  dispatchedAt: Nullable(Type.String()),
  handledAt: Nullable(Type.String()),
  attributes: Type.Record(Type.String(), Type.Unknown()),
  attachments: Type.Array(AttachmentOut),
  sla: Type.Object({ stage: Nullable(SlaPartOut), case: Nullable(SlaPartOut) }, { description: 'the running stage and the whole case at the time of the request' }),
});

export const CaseCreatedOut = Type.Object({
  ...CaseOut.properties,
  duplicates: Type.Array(CaseSummaryOut),
  replayed: Type.Boolean(),
});

export const EventOut = Type.Object({
  seq: Type.Integer(),
  at: Type.String(),
  actor: Type.String(),
  role: Type.String(),
  action: Type.String(),
  from: Nullable(Type.String()),
  to: Nullable(Type.String()),
  note: Nullable(Type.String()),
  notePublic: Type.Boolean({ description: 'whether the note is shown to the public (masked)' }),
  data: Type.Record(Type.String(), Type.Unknown()),
});
