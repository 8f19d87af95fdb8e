/**
 * 地表水环境质量 class (Ⅰ–Ⅴ, 劣Ⅴ) of a sample by GB 3838-2002 Table 1 (basic items), as pure
 * functions. The class of a sample is the worst class among its parameters; the parameter(s)
 * that set it decide. Limits in mg/L; for DO a floor (≥), for the others a ceiling (≤).
 * TP differs for lakes and reservoirs (湖、库); TN applies to lakes and reservoirs only.
 */

export const WATER_CLASSES = ['I', 'II', 'III', 'IV', 'V', '劣V'] as const;
export type WaterClass = (typeof WATER_CLASSES)[number];
export const WATER_LABELS: Record<WaterClass, string> = { I: 'Ⅰ类', II: 'Ⅱ类', III: 'Ⅲ类', IV: 'Ⅳ类', V: 'Ⅴ类', 劣V: '劣Ⅴ类' };

/** Limits of classes Ⅰ–Ⅴ (GB 3838-2002 Table 1). */
export const LIMITS = {
  do: { floor: true, limits: [7.5, 6, 5, 3, 2] }, // 溶解氧 ≥ (Ⅰ类 饱和率 90% or 7.5)
  codmn: { floor: false, limits: [2, 4, 6, 10, 15] }, // 高锰酸盐指数 ≤
  cod: { floor: false, limits: [15, 15, 20, 30, 40] }, // 化学需氧量 ≤
  bod5: { floor: false, limits: [3, 3, 4, 6, 10] }, // 五日生化需氧量 ≤
  nh3n: { floor: false, limits: [0.15, 0.5, 1.0, 1.5, 2.0] }, // 氨氮 ≤
  tp: { floor: false, limits: [0.02, 0.1, 0.2, 0.3, 0.4] }, // 总磷 ≤ (rivers)
  tp_lake: { floor: false, limits: [0.01, 0.025, 0.05, 0.1, 0.2] }, // 总磷 ≤ (湖、库)
  tn: { floor: false, limits: [0.2, 0.5, 1.0, 1.5, 2.0] }, // 总氮 ≤ (湖、库)
} as const;

export const WATER_PARAMETERS = ['do', 'codmn', 'cod', 'bod5', 'nh3n', 'tp', 'tn'] as const;
export type WaterParameter = (typeof WATER_PARAMETERS)[number];

/** The class index (0 = Ⅰ … 5 = 劣Ⅴ) of one parameter's value. */
export function classIndexOf(table: keyof typeof LIMITS, value: number): number {
  const { floor, limits } = LIMITS[table];
  const i = limits.findIndex((limit) => (floor ? value >= limit : value <= limit));
  return i === -1 ? 5 : i;
}

export interface WaterResult {
  waterClass: WaterClass | null;
  label: string | null;
  /** The parameter(s) whose class is the sample's (the worst). */
  deciding: WaterParameter[];
  classes: Partial<Record<WaterParameter, WaterClass>>;
}

/**
 * The class of a sample: per parameter given, then the worst. `waterBody` lake (湖、库) uses the
 * lake TP limits and counts TN; a river ignores TN (the standard applies it to lakes and reservoirs).
 */
export function classifyWater(sample: Partial<Record<WaterParameter, number>>, waterBody: 'river' | 'lake'): WaterResult {
  const classes: Partial<Record<WaterParameter, WaterClass>> = {};
  const index: Partial<Record<WaterParameter, number>> = {};
  for (const p of WATER_PARAMETERS) {
    const v = sample[p];
    if (v === undefined || !Number.isFinite(v)) continue;
    if (p === 'tn' && waterBody === 'river') continue;
    const i = classIndexOf(p === 'tp' && waterBody === 'lake' ? 'tp_lake' : p, v);
    index[p] = i;
    classes[p] = WATER_CLASSES[i];
  }
  const values = Object.values(index);
  if (values.length === 0) return { waterClass: null, label: null, deciding: [], classes };
  const worst = Math.max(...values);
  const waterClass = WATER_CLASSES[worst];
  return { waterClass, label: WATER_LABELS[waterClass], deciding: WATER_PARAMETERS.filter((p) => index[p] === worst), classes };
}

/** Whether a class meets a target class (Ⅱ meets Ⅲ; Ⅳ does not meet Ⅲ). */
export function meetsTarget(actual: WaterClass, target: WaterClass): boolean {
  return WATER_CLASSES.indexOf(actual) <= WATER_CLASSES.indexOf(target);
}
