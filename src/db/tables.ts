import type { Generated } from 'kysely';

/** Row types of every table, as Kysely sees them. Timestamps are ISO-8601 UTC strings. */
export interface Database {
  org_units: OrgUnitTable;
  grid_shapes: GridShapeTable;
  departments: DepartmentTable;
  categories: CategoryTable;
  routing_rules: RoutingRuleTable;
  users: UserTable;
  sessions: SessionTable;
  api_keys: ApiKeyTable;
  calendar_days: CalendarDayTable;
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
