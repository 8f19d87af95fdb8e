/** The tables of the city indicators (城市体征); migration 2026-11-30T1300_city_indicators. */
export interface IndicatorTables {
  indicators: IndicatorTable;
  indicator_values: IndicatorValueTable;
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
