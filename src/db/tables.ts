import type { ColumnType, Generated } from 'kysely';
import type { SocialTables } from '../social/social.tables.js';
import type { IndicatorTables } from '../indicators/indicator.tables.js';
import type { WarningTables } from '../air/warning.tables.js';

/** Row types of every table, as Kysely sees them. Timestamps are ISO-8601 UTC strings. */
export interface Database extends SocialTables, IndicatorTables, WarningTables {
  throttle_events: ThrottleEventTable;
  key_checks: KeyCheckTable;
  rate_windows: RateWindowTable;
  org_units: OrgUnitTable;
  grid_shapes: GridShapeTable;
  departments: DepartmentTable;
  categories: CategoryTable;
  routing_rules: RoutingRuleTable;
  users: UserTable;
  sessions: SessionTable;
  api_keys: ApiKeyTable;
  calendar_days: CalendarDayTable;
  cases: CaseTable;
  case_events: CaseEventTable;
  case_attachments: CaseAttachmentTable;
  kpi_rollup: KpiRollupTable;
  kpi_hours: KpiHoursTable;
  history_pending_counts: HistoryPendingCountsTable;
  case_number_counters: CaseNumberCounterTable;
  case_number_bases: CaseNumberBaseTable;
  notifications: NotificationTable;
  open311_services: Open311ServiceTable;
  open311_tokens: Open311TokenTable;
  open311_requests: Open311RequestTable;
  open311_updates: Open311UpdateTable;
  org_outlines: OrgOutlineTable;
  legacy_category_codes: LegacyCategoryCodeTable;
  org_boundaries: OrgBoundaryTable;
  store_changes: StoreChangeTable;
  public_upload_tokens: PublicUploadTokenTable;
  patrol_targets: PatrolTargetTable;
  patrol_plans: PatrolPlanTable;
  patrols: PatrolTable;
  patrol_points: PatrolPointTable;
  patrol_findings: PatrolFindingTable;
  patrol_photos: PatrolPhotoTable;
  enterprises: EnterpriseTable;
  risk_points: RiskPointTable;
  device_kinds: DeviceKindTable;
  devices: DeviceTable;
  readings: ReadingTable;
  reading_rollups: ReadingRollupTable;
  reading_dead_letters: ReadingDeadLetterTable;
  alarm_rules: AlarmRuleTable;
  alarm_states: AlarmStateTable;
  demo_history: DemoHistoryTable;
}

export type OrgLevel = 'city' | 'district' | 'street' | 'community' | 'grid';

export interface OrgUnitTable {
  code: string;
  name: string;
  level: OrgLevel;
  parent_code: string | null;
  path: string;
  depth: number;
  stat_code: string | null;
  created_at: string;
}

export interface GridShapeTable {
  code: string;
  geometry: string;
  min_lon: number;
  min_lat: number;
  max_lon: number;
  max_lat: number;
  area_m2: number;
  updated_at: string;
}

export interface DepartmentTable {
  id: Generated<number>;
  code: string;
  name: string;
  org_code: string;
  created_at: string;
}

export interface CategoryTable {
  id: Generated<number>;
  code: string;
  kind: 'component' | 'matter' | 'local';
  standard: string;
  class_code: string;
  class_name: string;
  name: string;
  legacy_code: string | null;
  workflow: string;
  department_code: string | null;
  priority: Generated<number>;
  time_limits: Generated<string>;
  duplicate_radius_m: Generated<number>;
  duplicate_window_h: Generated<number>;
  questions: Generated<string>;
  keywords: Generated<string>;
  active: Generated<number>;
  name_en: string | null;
  /** When the category was retired (active = 0): hidden from intake and Open311, kept for history. */
  retired_at: string | null;
  updated_at: string;
}

export interface RoutingRuleTable {
  id: Generated<number>;
  position: number;
  name: string;
  category_code: string | null;
  class_code: string | null;
  org_code: string | null;
  channel: string | null;
  weekdays: string | null;
  time_from: string | null;
  time_to: string | null;
  department_code: string;
  active: number;
  updated_at: string;
}

export interface UserTable {
  id: Generated<number>;
  username: string;
  password_hash: string;
  display_name: string;
  role: string;
  org_code: string;
  department_id: number | null;
  phone: string | null;
  disabled: number;
  created_at: string;
}

export interface SessionTable {
  token_hash: string;
  user_id: number;
  created_at: string;
  expires_at: string;
}

export interface ApiKeyTable {
  id: Generated<number>;
  name: string;
  key_hash: string;
  prefix: string;
  role: string;
  org_code: string;
  /** Space-separated scope names (auth/scopes.ts). */
  scopes: string;
  created_at: string;
  revoked_at: string | null;
}

export interface CalendarDayTable {
  date: string;
  is_workday: number;
  name: string | null;
  source: string;
  updated_at: string;
}

export interface CaseTable {
  id: Generated<number>;
  number: string;
  city_code: string;
  workflow: string;
  status: string;
  previous_status: string | null;
  version: Generated<number>;
  category_id: number;
  category_code: string;
  class_code: string;
  channel: string;
  description: string;
  address: string | null;
  lon: number;
  lat: number;
  grid_code: string | null;
  community_code: string | null;
  street_code: string | null;
  district_code: string | null;
  org_path: string;
  department_id: number | null;
  routing_rule_id: number | null;
  routing_explanation: string | null;
  priority: number;
  reporter_name: string | null;
  /** The reporter's phone, masked (138****5678); the value itself is encrypted in reporter_phone_enc. */
  reporter_phone: string | null;
  reporter_phone_enc: string | null;
  /** HMAC of the normalised phone: phone searches without decrypting. */
  reporter_phone_hash: string | null;
  /** The reporter's ID number, masked; the value itself is encrypted in reporter_id_enc. */
  reporter_id_number: string | null;
  reporter_id_enc: string | null;
  reporter_id_hash: string | null;
  /** When the retention job removed the reporter's personal data. */
  reporter_anonymised_at: string | null;
  reporter_user_id: number | null;
  created_by: string;
  private: Generated<number>;
  stage: string | null;
  stage_started_at: string | null;
  /** JSON StageClock of the running stage. */
  stage_clock: string | null;
  stage_deadline: string | null;
  /** JSON StageClock of the whole case (the category's handle limit from intake): `deadline`. */
  case_clock: string | null;
  suspended_at: string | null;
  light: Generated<string>;
  next_light_at: string | null;
  deadline: string | null;
  extension_count: Generated<number>;
  /** JSON {amount, unit, note, requestedBy} of an extension awaiting approval. */
  pending_extension: string | null;
  overdue_stages: Generated<number>;
  escalation_level: Generated<number>;
  supervised: Generated<number>;
  supervise_note: string | null;
  parent_case_id: number | null;
  rework_count: Generated<number>;
  registered_at: string | null;
  dispatched_at: string | null;
  handled_at: string | null;
  closed_at: string | null;
  callback_contacted: number | null;
  callback_solved: number | null;
  callback_satisfaction: string | null;
  idempotency_key: string | null;
  client_request_id: string | null;
  attributes: Generated<string>;
  /** The id of the row a history import read this case from (unique). */
  source_id: string | null;
  /** The legacy category code the case came in with (intake or history import), mapped to category_code. */
  legacy_category_code: string | null;
  created_at: string;
  updated_at: string;
}

export interface CaseEventTable {
  id: Generated<number>;
  case_id: number;
  seq: number;
  at: string;
  actor_kind: string;
  actor_id: number;
  actor_name: string;
  actor_role: string;
  action: string;
  from_status: string | null;
  to_status: string | null;
  note: string | null;
  /** 1 when the note may be shown to the public (scrubbed); staff notes default to internal. */
  note_public: Generated<number>;
  data: Generated<string>;
  /** sha256 chain link over the previous event's hash and this event's fields (cases/case.audit.ts). */
  hash: string | null;
}

export interface CaseAttachmentTable {
  id: Generated<number>;
  case_id: number;
  sha256: string;
  mime: string;
  size: number;
  filename: string;
  phase: string;
  uploaded_by: string;
  created_at: string;
}

/** Where a roll-up row counts: a period (day or month) × one org unit of any level × category × department × channel. */
export interface KpiRollupKey {
  /** 'd': period is a local date YYYY-MM-DD; 'm': period is a month YYYY-MM (the sum of its days). */
  grain: 'd' | 'm';
  period: string;
  org_code: string;
  org_level: OrgLevel;
  /** '' for the root. */
  parent_code: string;
  org_path: string;
  category_code: string;
  class_code: string;
  /** 0 = no department yet. */
  department_id: number;
  channel: string;
}

/**
 * A packed count per cell, as JSON {"cell": count}: text on SQLite, jsonb on PostgreSQL (read back
 * parsed). Written as JSON text; kpis/kpi.packed.ts encodes and decodes it.
 */
export type PackedCounts = ColumnType<string | Record<string, number> | null, string | null | undefined, string | null>;

/** Cases a history import wrote whose KPI counters are not written yet (history/history.import.ts). */
export interface HistoryPendingCountsTable {
  id: Generated<number>;
  /** JSON array of case ids. */
  case_ids: string;
  created_at: string;
}

/** Reports per org unit (every level) × day or month, in `cells` by weekday × 24 + hour (Monday 0, the city's clock). */
export interface KpiHoursTable {
  org_code: string;
  grain: 'd' | 'm';
  period: string;
  cells: ColumnType<string | Record<string, number>, string, string>;
}

/** Additive KPI counters per period × org unit (every level) × category × department × channel. */
export interface KpiRollupTable extends KpiRollupKey {
  reported: Generated<number>;
  registered: Generated<number>;
  rejected: Generated<number>;
  dispatched: Generated<number>;
  dispatched_on_time: Generated<number>;
  handled: Generated<number>;
  handled_on_time: Generated<number>;
  reworked: Generated<number>;
  closed: Generated<number>;
  closed_on_time: Generated<number>;
  closed_by_deadline: Generated<number>;
  verified: Generated<number>;
  verified_on_time: Generated<number>;
  checked: Generated<number>;
  checked_on_time: Generated<number>;
  should_close: Generated<number>;
  overdue: Generated<number>;
  handling_ms_sum: Generated<number>;
  handling_count: Generated<number>;
  voided: Generated<number>;
  callbacks: Generated<number>;
  contacted: Generated<number>;
  solved: Generated<number>;
  satisfied: Generated<number>;
  basically_satisfied: Generated<number>;
  dissatisfied: Generated<number>;
  /** Closures of the key's period per duration bucket (kpis/kpi.histogram.ts); NULL when none. */
  durations: PackedCounts;
}

/** PostgreSQL: a day's serial is a value of case_number_seq minus the day's base. */
export interface CaseNumberBaseTable {
  prefix: string;
  day: string;
  base: number;
}

export interface CaseNumberCounterTable {
  prefix: string;
  day: string;
  last: number;
}

export interface NotificationTable {
  id: Generated<number>;
  case_id: number;
  org_code: string;
  role: string;
  kind: string;
  message: string;
  created_at: string;
  read_at: string | null;
}

/** Open311 settings of a category (no row: a realtime service with a generated notice). */
export interface Open311ServiceTable {
  category_id: number;
  type: 'realtime' | 'batch' | 'blackbox';
  service_notice: string | null;
  updated_at: string;
}

/** A batch POST: acknowledged with `token`, turned into a case by the in-process queue. */
export interface Open311TokenTable {
  token: string;
  status: 'pending' | 'done' | 'failed';
  case_id: number | null;
  error: string | null;
  api_key_id: number;
  client_request_id: string | null;
  /** JSON Actor of the submitting API key. */
  actor: string;
  /** JSON of the validated request, enough to create the case after a restart. */
  payload: string;
  created_at: string;
  updated_at: string;
}

/** What an Open311 POST carried beyond the case's own columns (email is personal data). */
export interface Open311RequestTable {
  case_id: number;
  api_key_id: number | null;
  token: string | null;
  email: string | null;
  device_id: string | null;
  account_id: string | null;
  media_url: string | null;
  fixmystreet_id: string | null;
  created_at: string;
}

/** A mySociety update received once per (key, update_id). */
export interface Open311UpdateTable {
  id: Generated<number>;
  api_key_id: number;
  client_update_id: string;
  case_id: number;
  event_id: number;
  /** The photo URL the client posted with the update, if any. */
  media_url: string | null;
  created_at: string;
}

/** The outline of an org unit above the grid level: the union of its grids (see grids/grid.outlines.ts). */
export interface OrgOutlineTable {
  code: string;
  level: string;
  /** GeoJSON MultiPolygon, WGS84. */
  geometry: string;
  area_m2: number;
  grid_count: number;
  fingerprint: string;
  updated_at: string;
}

/** A citizen-portal report's photo token: only its hash is stored; it expires and has few uses. */
export interface PublicUploadTokenTable {
  token_hash: string;
  case_id: number;
  uses: Generated<number>;
  expires_at: string;
  created_at: string;
}

/** An old category code (GB/T 30428.2-2013 four digits, or a city's own) and the current category it maps to. */
export interface LegacyCategoryCodeTable {
  scheme: string;
  legacy_code: string;
  legacy_name: string | null;
  category_id: number;
  note: string | null;
  updated_at: string;
}

/** A surveyed outline of an org unit imported from the city's own file (import-org-units). */
export interface OrgBoundaryTable {
  code: string;
  /** GeoJSON Polygon or MultiPolygon, WGS84. */
  geometry: string;
  min_lon: number;
  min_lat: number;
  max_lon: number;
  max_lat: number;
  area_m2: number;
  updated_at: string;
}

export interface PatrolTargetTable {
  id: Generated<number>;
  /** Stable across releases: other areas refer to a target (a river reach, a risk point) by it. */
  code: string;
  kind: 'grid' | 'river' | 'safety' | 'route';
  name: string;
  org_code: string;
  org_path: string;
  /** GeoJSON geometry (Point, LineString, MultiLineString, Polygon, MultiPolygon) or null. */
  geometry: string | null;
  attributes: string;
  active: number;
  created_at: string;
}

export interface PatrolPlanTable {
  id: Generated<number>;
  target_id: number;
  kind: string;
  assignee_user_id: number | null;
  assignee_role: string | null;
  org_code: string;
  org_path: string;
  /** For 河长制 plans: the chief's level (city, district, street, community, village). */
  level: string | null;
  period: string;
  times: number;
  min_duration_s: number;
  min_distance_m: number;
  min_coverage: number;
  starts_on: string;
  active: number;
  note: string | null;
  created_at: string;
  updated_at: string;
}

export interface PatrolTable {
  id: Generated<number>;
  client_id: string | null;
  plan_id: number | null;
  target_id: number;
  kind: string;
  user_id: number;
  org_path: string;
  started_at: string;
  ended_at: string | null;
  duration_s: number;
  distance_m: number;
  coverage: number | null;
  max_speed_kmh: number;
  point_count: number;
  flags: string;
  created_at: string;
  updated_at: string;
}

export interface PatrolPointTable {
  patrol_id: number;
  t: string;
  lon: number;
  lat: number;
}

/** A photo taken on a patrol; the bytes are in the attachment store under `sha256`. */
export interface PatrolPhotoTable {
  id: Generated<number>;
  patrol_id: number;
  sha256: string;
  mime: string;
  size: number;
  filename: string;
  lon: number | null;
  lat: number | null;
  taken_at: string | null;
  uploaded_by: number;
  created_at: string;
}

export interface PatrolFindingTable {
  patrol_id: number;
  case_id: number;
  created_at: string;
}

/** A failure (or known-address mark) of a throttle shared by the instances; `key` is a SHA-256 hash, times in epoch ms. */
export interface ThrottleEventTable {
  key: string;
  at: number;
  expires_at: number;
}

/** A fixed-window request counter shared by the instances; `key` is a SHA-256 hash, `expires_at` epoch ms. */
export interface RateWindowTable {
  key: string;
  hits: number;
  expires_at: number;
}

/** A kind of device (data: the built-in ones are seeded, a city adds its own) and the metrics it may send. */
export interface DeviceKindTable {
  code: string;
  name: string;
  /** JSON array of metric names. */
  metrics: string;
  alarm_category: string;
  builtin: number;
  created_at: string;
}

/** A registered sensor, located in a grid (org_path is its grid's path, for scoping). */
export interface DeviceTable {
  id: string;
  kind: string;
  name: string;
  lon: number;
  lat: number;
  grid_code: string;
  org_path: string;
  department_id: number | null;
  /** active | maintenance | retired */
  status: string;
  attributes: string;
  last_seen_at: string | null;
  created_at: string;
  updated_at: string;
}

/** One metric of one reading; (device_id, metric, ts) is unique, so a replay inserts nothing. */
export interface ReadingTable {
  device_id: string;
  metric: string;
  ts: string;
  value: number;
  received_at: string;
}

/** Count, sum, min and max of a metric per device and hour or city day, maintained with each insert. */
export interface ReadingRollupTable {
  device_id: string;
  metric: string;
  period: 'hour' | 'day';
  bucket: string;
  n: number;
  sum: number;
  min: number;
  max: number;
}

/** A refused reading payload, with why. */
export interface ReadingDeadLetterTable {
  id: Generated<number>;
  received_at: string;
  source: 'mqtt' | 'http';
  topic: string | null;
  device_id: string | null;
  reason: string;
  payload: string;
  /** SHA-256 of source, topic and payload: a redelivered refusal is stored once. */
  fingerprint: string | null;
}

/** An alarm rule for one device or every device of a kind. */
export interface AlarmRuleTable {
  id: Generated<number>;
  type: 'threshold' | 'rate' | 'offline';
  device_id: string | null;
  kind: string | null;
  metric: string | null;
  op: string | null;
  threshold: number | null;
  for_minutes: number;
  category_code: string;
  org_path: string;
  enabled: number;
  created_at: string;
  updated_at: string;
}

/** Where a rule stands for one device, and the open case its firings attach to. */
export interface AlarmStateTable {
  rule_id: number;
  device_id: string;
  state: 'normal' | 'pending' | 'firing';
  since: string | null;
  case_id: number | null;
  last_value: number | null;
  last_ts: string | null;
  firings: number;
  updated_at: string;
}

/** The fingerprint of a personal-data key the store was written with (`hmac` or `key:<id>`); never the key. */
export interface KeyCheckTable {
  name: string;
  fingerprint: string;
  created_at: string;
}

/** How far the demo history build got (one row, id 1): src/demo/demo.history.ts. */
export interface DemoHistoryTable {
  id: number;
  state: 'building' | 'done';
  seed: number;
  days: number;
  cases_per_day: number;
  end_at: string;
  day: number;
  cases: number;
  checkpoint: string | null;
  updated_at: string;
}

export interface EnterpriseTable {
  id: Generated<number>;
  credit_code: string;
  name: string;
  industry: string;
  address: string | null;
  lon: number;
  lat: number;
  grid_code: string;
  org_path: string;
  department_code: string | null;
  created_at: string;
}

export interface RiskPointTable {
  id: Generated<number>;
  enterprise_id: number;
  /** The patrol target (kind safety) inspections of this point are recorded against. */
  target_id: number;
  name: string;
  method: string;
  /** The assessment as given (JSON): LEC factors, matrix L and S, a 5-grade, or a direct colour. */
  assessment: string;
  score: number | null;
  level: 'red' | 'orange' | 'yellow' | 'blue';
  control_level: string;
  measures: string;
  created_at: string;
}

/** Per-topic change counters bumped by SQLite triggers (migration 2026-11-30T1500_store_changes). */
export interface StoreChangeTable {
  topic: string;
  version: number;
}
