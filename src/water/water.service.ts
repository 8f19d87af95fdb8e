import type { Ctx } from '../context.js';
import { reachOf } from '../sensors/device.presenter.js';
import { classifyWater, WATER_PARAMETERS, type WaterClass, type WaterResult } from './water.class.js';
import { waterRepository } from './water.repository.js';

/** A reach as water quality sees it: its water body, whether that is a lake, and its target class. */
export interface ReachInfo { code: string; name: string; waterBody: string; waterBodyName: string; lake: boolean; target: WaterClass | null; orgPath: string; departmentCode: string | null }

/** The river targets as reaches (attributes written by the 河长制 register). */
export async function listReaches(ctx: Ctx): Promise<ReachInfo[]> {
  return (await waterRepository.reaches(ctx.db)).map((r) => {
    const a = JSON.parse(r.attributes || '{}') as Record<string, unknown>;
    return {
      code: r.code, name: r.name, waterBody: typeof a.waterBody === 'string' ? a.waterBody : r.code, waterBodyName: typeof a.waterBodyName === 'string' ? a.waterBodyName : r.name,
      lake: a.waterBodyKind === 'lake', target: typeof a.qualityTarget === 'string' ? (a.qualityTarget as WaterClass) : null, orgPath: r.org_path,
      departmentCode: typeof a.departmentCode === 'string' ? a.departmentCode : null,
    };
  });
}

/**
 * The class of a water body (or one reach, by code) over city dates [from, to): each parameter's
 * mean over the samples of its stations (GB 3838-2002 judges a period on the means), then the
 * worst. Null class when no station of it reported.
 */
export async function waterBodyClass(ctx: Ctx, code: string, from: string, to: string): Promise<WaterResult & { stations: number }> {
  const reaches = (await listReaches(ctx)).filter((r) => r.waterBody === code || r.code === code);
  const codes = new Set(reaches.map((r) => r.code));
  const stations = (await waterRepository.stations(ctx.db)).filter((s) => codes.has(reachOf(s) ?? ''));
  const totals = await waterRepository.metricTotals(ctx.db, stations.map((s) => s.id), WATER_PARAMETERS, from, to);
  const sample = Object.fromEntries(totals.map((t) => [t.metric, Number(t.sum) / Number(t.n)]));
  return { ...classifyWater(sample, reaches.some((r) => r.lake) ? 'lake' : 'river'), stations: stations.length };
}
