import type { WaterClass } from '../water/water.class.js';
import type { Actual } from './indicator.service.js';
import { labelOf } from './indicator.service.js';
import type { IndicatorTable } from './indicator.tables.js';

/** One indicator with its actual, as GET /indicators shows it. */
export function presentIndicator(x: { ind: IndicatorTable; actual: Actual | null; asOf: string | null; onTrack: boolean | null; trend: 'better' | 'worse' | 'steady' | null }) {
  const { ind, actual } = x;
  return {
    code: ind.code, name: ind.name, unit: ind.unit, direction: ind.direction,
    target: ind.target_class ?? ind.target_value ?? 0, targetLabel: labelOf(ind.target_value, ind.target_class, ind.unit) ?? '', targetYear: ind.target_year,
    planFigure: ind.plan_figure === 1, source: ind.source, sourceRef: ind.source_ref,
    actual: actual ? ((actual.valueClass as WaterClass | null) ?? actual.value) : null, actualLabel: actual ? labelOf(actual.value, actual.valueClass, ind.unit) : null,
    asOf: x.asOf, evidence: actual?.evidence ?? null, onTrack: x.onTrack, trend: x.trend,
  };
}
