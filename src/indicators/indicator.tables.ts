/**
 * The tables of the city indicators (城市体征, migration 2026-11-30T1300_city_indicators) and of
 * the reaches' water-quality state (2026-11-30T1310_reach_quality_states).
 */
export interface IndicatorTables {
  indicators: IndicatorTable;
  indicator_values: IndicatorValueTable;
  reach_quality_states: ReachQualityStateTable;
}

export interface ReachQualityStateTable {
  reach_code: string;
  state: 'normal' | 'below';
  case_id: number | null;
  last_class: string | null;
  last_ts: string | null;
  updated_at: string;
}

export interface IndicatorTable {
  code: string;
  name: string;
  unit: string;
  direction: 'higher' | 'lower';
  target_value: number | null;
  target_class: string | null;
  target_year: number;
  source: 'manual' | 'sensor' | 'cases';
  source_ref: string | null;
  plan_figure: number;
  position: number;
  created_at: string;
  updated_at: string;
}

export interface IndicatorValueTable {
  indicator_code: string;
  as_of: string;
  value: number | null;
  value_class: string | null;
  evidence: string | null;
  recorded_by: string;
  recorded_at: string;
}
