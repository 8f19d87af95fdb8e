import type { Generated } from 'kysely';

/** The tables of 重污染天气 warnings; migration 2026-11-30T1320_pollution_warnings. */
export interface WarningTables {
  pollution_response_plan: ResponsePlanTable;
  pollution_warnings: PollutionWarningTable;
  pollution_warning_tasks: WarningTaskTable;
}

export type WarningLevel = 'yellow' | 'orange' | 'red';

export interface ResponsePlanTable {
  id: Generated<number>;
  level: WarningLevel;
  department_code: string;
  task: string;
  deadline_hours: number;
  position: number;
}

export interface PollutionWarningTable {
  id: Generated<number>;
  level: WarningLevel;
  status: 'active' | 'lifted';
  trigger: 'manual' | 'rule';
  reason: string;
  lon: number;
  lat: number;
  issued_by: string;
  issued_at: string;
  upgraded_at: string | null;
  lifted_by: string | null;
  lifted_at: string | null;
  lift_note: string | null;
}

export interface WarningTaskTable {
  id: Generated<number>;
  warning_id: number;
  level: WarningLevel;
  department_code: string;
  task: string;
  due_at: string;
  case_id: number;
}
