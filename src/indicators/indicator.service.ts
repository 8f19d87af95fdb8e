import type { AppContext, Ctx } from '../context.js';
import { makeCtx } from '../context.js';
import { systemActor } from '../auth/actor.js';
import { AppError, isAppError } from '../errors.js';
import { cityDailyAqi } from '../air/air.service.js';
import { goodDaysShare } from '../air/air.daily.js';
import { kpiReport } from '../kpis/kpi.service.js';
import { addDays } from '../time/local-date.js';
import { localDate } from '../time/zoned-time.js';
import { meetsTarget, WATER_CLASSES, WATER_LABELS, type WaterClass } from '../water/water.class.js';
import { waterBodyClass } from '../water/water.service.js';
import { indicatorRepository } from './indicator.repository.js';
import type { IndicatorTable, IndicatorValueTable } from './indicator.tables.js';

/** What a computed indicator is now: a number, or a water class. */
export interface Actual { value: number | null; valueClass: WaterClass | null; evidence: string | null }

/** The source_ref computations an indicator may name. */
export const COMPUTED_SOURCES = ['air.good_days_share', 'water.class:<water body or reach code>', 'cases.satisfaction_hotline'] as const;

/**
 * Computes a sensor or cases indicator for the year of `today` (city dates from 1 January to today
 * included): 优良天数比例 from the city's daily AQI, a water body's class from its stations' means,
 * the 12345 满意率 from the KPI counters of hotline cases. Null when there is nothing to count.
 */
export async function computeIndicator(ctx: Ctx, ref: string, today: string): Promise<Actual> {
  const from = `${today.slice(0, 4)}-01-01`;
  const to = addDays(today, 1);
  if (ref === 'air.good_days_share') {
    const r = goodDaysShare(await cityDailyAqi(ctx, from, to));
    return { value: r.share, valueClass: null, evidence: `${r.good} of ${r.days} days with AQI ≤ 100 since ${from} (HJ 633-2012, city means of the air stations)` };
  }
  if (ref.startsWith('water.class:')) {
    const r = await waterBodyClass(ctx, ref.slice('water.class:'.length), from, to);
    return { value: null, valueClass: r.waterClass, evidence: r.waterClass ? `${r.label} since ${from} (GB 3838-2002 on the means of ${r.stations} station(s); deciding ${r.deciding.join(', ')})` : null };
  }
  if (ref === 'cases.satisfaction_hotline') {
    const sys = { ...makeCtx(ctx.app, systemActor(), ctx.db), now: ctx.now };
    // The city's root unit is GRIDLOOP_CITY_CODE (a store without it has no cases to count).
    const k = await kpiReport(sys, { org: ctx.app.config.cityCode, from, to: today, channel: 'hotline', withMedians: false }).catch((err: unknown) => {
      if (isAppError(err) && err.code === 'org_unit_not_found') return { satisfactionRate: null, satisfied: 0, callbacks: 0 };
      throw err;
    });
    return { value: k.satisfactionRate === null ? null : Math.round(k.satisfactionRate * 1000) / 10, valueClass: null, evidence: k.satisfactionRate === null ? null : `12345 回访 since ${from}: ${k.satisfied} satisfied of ${k.callbacks} callbacks` };
  }
  throw new AppError('validation_failed', `unknown indicator source ${ref}`, { field: 'sourceRef' });
}

/** Whether an actual meets the target, by the indicator's direction (a class: as good or better). */
export function meets(ind: Pick<IndicatorTable, 'direction' | 'target_value' | 'target_class'>, actual: Actual): boolean | null {
  if (ind.target_class) return actual.valueClass ? meetsTarget(actual.valueClass, ind.target_class as WaterClass) : null;
  if (actual.value === null || ind.target_value === null) return null;
  return ind.direction === 'higher' ? actual.value >= ind.target_value : actual.value <= ind.target_value;
}

/** better | worse | steady against an earlier value, by the indicator's direction; null without one. */
export function trendOf(ind: Pick<IndicatorTable, 'direction'>, now: Actual, before: Actual | null): 'better' | 'worse' | 'steady' | null {
  if (!before) return null;
  const score = (a: Actual) => (a.valueClass ? -WATER_CLASSES.indexOf(a.valueClass) : a.value === null ? null : ind.direction === 'higher' ? a.value : -a.value);
  const [a, b] = [score(now), score(before)];
  if (a === null || b === null) return null;
  return a > b ? 'better' : a < b ? 'worse' : 'steady';
}

const fromRow = (v: IndicatorValueTable): Actual => ({ value: v.value, valueClass: v.value_class as WaterClass | null, evidence: v.evidence });

/**
 * The register with each indicator's actual (manual: the latest entry; sensor and cases: computed
 * now), whether it meets its target (onTrack), and its trend against the value recorded before
 * the actual's date.
 */
export async function listIndicators(ctx: Ctx) {
  const today = localDate(ctx.now, ctx.app.config.timeZone);
  const [rows, latest] = await Promise.all([indicatorRepository.list(ctx.db), indicatorRepository.latestValues(ctx.db, today)]);
  const latestOf = new Map(latest.map((v) => [v.indicator_code, v]));
  const out = [];
  for (const ind of rows) {
    const stored = latestOf.get(ind.code);
    const manual = ind.source === 'manual' || !ind.source_ref;
    const actual = manual ? (stored ? fromRow(stored) : null) : await computeIndicator(ctx, ind.source_ref as string, today);
    const asOf = manual ? stored?.as_of ?? null : today;
    const before = asOf ? await indicatorRepository.valueBefore(ctx.db, ind.code, asOf) : undefined;
    out.push({ ind, actual, asOf, onTrack: actual ? meets(ind, actual) : null, trend: actual ? trendOf(ind, actual, before ? fromRow(before) : null) : null });
  }
  return out;
}

export async function getIndicator(ctx: Ctx, code: string): Promise<IndicatorTable> {
  const row = await indicatorRepository.find(ctx.db, code);
  if (!row) throw new AppError('indicator_not_found', `no indicator ${code}`);
  return row;
}

export interface IndicatorInput { code: string; name: string; unit: string; direction: 'higher' | 'lower'; target: number | string; targetYear: number; source?: 'manual' | 'sensor' | 'cases'; sourceRef?: string | null }

function targetColumns(target: number | string): { target_value: number | null; target_class: string | null } {
  if (typeof target === 'number') return { target_value: target, target_class: null };
  if (!(WATER_CLASSES as readonly string[]).includes(target)) throw new AppError('validation_failed', `a class target is one of ${WATER_CLASSES.join(', ')}`, { field: 'target' });
  return { target_value: null, target_class: target };
}

/** Adds an indicator (manual, or computed by a known source). Throws validation_failed, already_exists. */
export async function createIndicator(ctx: Ctx, input: IndicatorInput): Promise<IndicatorTable> {
  const source = input.source ?? 'manual';
  if (source !== 'manual') {
    if (!input.sourceRef) throw new AppError('validation_failed', `a ${source} indicator names its sourceRef: ${COMPUTED_SOURCES.join(' | ')}`, { field: 'sourceRef' });
    await computeIndicator(ctx, input.sourceRef, localDate(ctx.now, ctx.app.config.timeZone));
  }
  if (await indicatorRepository.find(ctx.db, input.code)) throw new AppError('already_exists', `indicator ${input.code} exists`, { field: 'code' });
  const now = ctx.now.toISOString();
  await indicatorRepository.insert(ctx.db, {
    code: input.code, name: input.name, unit: input.unit, direction: input.direction, ...targetColumns(input.target), target_year: input.targetYear,
    source, source_ref: source === 'manual' ? null : input.sourceRef ?? null, plan_figure: 0, position: 100, created_at: now, updated_at: now,
  });
  return getIndicator(ctx, input.code);
}

/** Changes an indicator's name, target or target year. Throws indicator_not_found, validation_failed. */
export async function updateIndicator(ctx: Ctx, code: string, patch: { name?: string; target?: number | string; targetYear?: number }): Promise<IndicatorTable> {
  await getIndicator(ctx, code);
  await indicatorRepository.update(ctx.db, code, {
    ...(patch.name !== undefined ? { name: patch.name } : {}), ...(patch.target !== undefined ? targetColumns(patch.target) : {}),
    ...(patch.targetYear !== undefined ? { target_year: patch.targetYear } : {}), updated_at: ctx.now.toISOString(),
  });
  return getIndicator(ctx, code);
}

/**
 * Records a manual indicator's value as of a date with its evidence (a statistics bulletin, a
 * survey): a second entry of the same date replaces the first. Throws
 * indicator_not_found, validation_failed (a computed indicator, a class for a numeric one).
 */
export async function recordIndicatorValue(ctx: Ctx, code: string, input: { asOf: string; value: number | string; evidence: string }): Promise<void> {
  const ind = await getIndicator(ctx, code);
  if (ind.source !== 'manual') throw new AppError('validation_failed', `${code} is computed from ${ind.source_ref}; only manual indicators take entries`, { field: 'value' });
  if (input.asOf > localDate(ctx.now, ctx.app.config.timeZone)) throw new AppError('validation_failed', 'asOf must not be in the future', { field: 'asOf' });
  const isClass = ind.target_class !== null;
  if (isClass !== (typeof input.value === 'string') || (isClass && !(WATER_CLASSES as readonly string[]).includes(input.value as string))) {
    throw new AppError('validation_failed', isClass ? `the value is a class: ${WATER_CLASSES.join(', ')}` : 'the value is a number', { field: 'value' });
  }
  await indicatorRepository.saveValue(ctx.db, {
    indicator_code: code, as_of: input.asOf, value: typeof input.value === 'number' ? input.value : null, value_class: typeof input.value === 'string' ? input.value : null,
    evidence: input.evidence, recorded_by: `${ctx.actor.kind}:${ctx.actor.id}:${ctx.actor.name}`, recorded_at: ctx.now.toISOString(),
  });
}

/**
 * Job: today's value of every computed indicator into the series (one per city day, replaced
 * while the day lasts), so that the trend has something to compare with. Idempotent.
 */
export async function snapshotIndicators(app: AppContext, now: Date = app.clock()): Promise<number> {
  const ctx = { ...makeCtx(app, systemActor()), now };
  const today = localDate(now, app.config.timeZone);
  let n = 0;
  for (const ind of await indicatorRepository.list(ctx.db)) {
    if (ind.source === 'manual' || !ind.source_ref) continue;
    const a = await computeIndicator(ctx, ind.source_ref, today);
    if (a.value === null && a.valueClass === null) continue;
    await indicatorRepository.saveValue(ctx.db, { indicator_code: ind.code, as_of: today, value: a.value, value_class: a.valueClass, evidence: a.evidence, recorded_by: 'system:0:indicator-snapshot', recorded_at: now.toISOString() });
    n++;
  }
  return n;
}

/** A value as the API shows it: a number, or a class with its label (Ⅱ类). */
export function labelOf(value: number | null, valueClass: string | null, unit: string): string | null {
  if (valueClass) return WATER_LABELS[valueClass as WaterClass] ?? valueClass;
  return value === null ? null : `${value} ${unit}`.trim();
}
