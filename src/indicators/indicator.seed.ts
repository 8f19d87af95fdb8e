import type { AppContext } from '../context.js';
import { indicatorRepository } from './indicator.repository.js';
import type { IndicatorTable } from './indicator.tables.js';

type Seed = Omit<IndicatorTable, 'created_at' | 'updated_at'>;

/**
 * The indicators the register ships with. plan_figure 1: the target is the plan's own figure (the
 * seed: 黄河乌海段水质稳定保持Ⅱ类, 建成区绿化覆盖率 43%, 人均公园绿地面积 19.5 平方米), taken as
 * 十四五 targets (year 2025) until a city edits them. The 优良天数比例 target (80 %) and the 12345
 * 满意率 target (90 %) are defaults, not the plan's: set them with PATCH /indicators/{code}.
 */
export const BUILTIN_INDICATORS: readonly Seed[] = [
  { code: 'water_huanghe_class', name: '黄河乌海段水质', unit: '类', direction: 'lower', target_value: null, target_class: 'II', target_year: 2025, source: 'sensor', source_ref: 'water.class:HH-WH', plan_figure: 1, position: 10 },
  { code: 'green_coverage_built_up', name: '建成区绿化覆盖率', unit: '%', direction: 'higher', target_value: 43, target_class: null, target_year: 2025, source: 'manual', source_ref: null, plan_figure: 1, position: 20 },
  { code: 'park_green_per_capita', name: '人均公园绿地面积', unit: 'm²', direction: 'higher', target_value: 19.5, target_class: null, target_year: 2025, source: 'manual', source_ref: null, plan_figure: 1, position: 30 },
  { code: 'air_good_days_share', name: '空气质量优良天数比例', unit: '%', direction: 'higher', target_value: 80, target_class: null, target_year: 2025, source: 'sensor', source_ref: 'air.good_days_share', plan_figure: 0, position: 40 },
  { code: 'satisfaction_12345', name: '12345 热线满意率', unit: '%', direction: 'higher', target_value: 90, target_class: null, target_year: 2025, source: 'cases', source_ref: 'cases.satisfaction_hotline', plan_figure: 0, position: 50 },
];

/** Boot step: inserts the built-in indicators that are missing; never overwrites a city's edits. */
export async function seedIndicators(app: AppContext): Promise<void> {
  const now = app.clock().toISOString();
  await indicatorRepository.insertMissing(app.store.db, BUILTIN_INDICATORS.map((i) => ({ ...i, created_at: now, updated_at: now })));
}
