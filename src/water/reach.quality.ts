import type { Ctx } from '../context.js';
import { makeCtx } from '../context.js';
import { systemActor } from '../auth/actor.js';
import { catalogueRepository } from '../catalogue/catalogue.repository.js';
import { caseRepository } from '../cases/case.repository.js';
import { intakeCase } from '../cases/case.intake.js';
import { openCaseIsLive } from '../sensors/alarm.service.js';
import type { DeviceRow } from '../sensors/device.repository.js';
import { reachOf } from '../sensors/device.presenter.js';
import { classifyWater, meetsTarget, WATER_LABELS, type WaterResult } from './water.class.js';
import { waterRepository } from './water.repository.js';
import { listReaches, type ReachInfo } from './water.service.js';

/** The local category of the cases a reach below its target opens (断面水质不达标). */
export const BELOW_TARGET_CATEGORY = 'LGZ11';
const SYSTEM = { actor_kind: 'system', actor_id: 0, actor_name: 'water-quality', actor_role: 'admin' } as const;

function describe(reach: ReachInfo, device: DeviceRow, r: WaterResult, ts: string): string {
  return `【断面水质】${reach.name}（${reach.code}）${device.name} 监测为 ${r.label}（${r.deciding.join('、')} 决定），低于目标 ${WATER_LABELS[reach.target ?? 'II']}（${ts}）`;
}

/** A fall below the target: the reach's open case gets a timeline event, or one is opened for the river's department. */
async function fall(ctx: Ctx, reach: ReachInfo, device: DeviceRow, caseId: number | null, r: WaterResult, ts: string): Promise<number> {
  const note = describe(reach, device, r, ts);
  const data = JSON.stringify({ reachCode: reach.code, deviceId: device.id, waterClass: r.waterClass, target: reach.target, deciding: r.deciding, classes: r.classes, ts });
  if (caseId !== null && (await openCaseIsLive(ctx, caseId))) {
    const row = (await caseRepository.findById(ctx.db, caseId))!;
    await caseRepository.appendEvent(ctx.db, { case_id: caseId, at: ctx.now.toISOString(), ...SYSTEM, action: 'water_below_target', from_status: row.status, to_status: row.status, note, data });
    return caseId;
  }
  const dept = reach.departmentCode ? await catalogueRepository.findDepartmentByCode(ctx.db, reach.departmentCode) : undefined;
  const sys = { ...makeCtx(ctx.app, systemActor(), ctx.db), now: ctx.now };
  const result = await intakeCase(sys, {
    categoryCode: BELOW_TARGET_CATEGORY, lon: device.lon, lat: device.lat, description: note, channel: 'sensor', private: false,
    attributes: { reachCode: reach.code, waterBody: reach.waterBody, deviceId: device.id, waterClass: r.waterClass, targetClass: reach.target, deciding: r.deciding, ts },
    ...(dept ? { routeTo: { departmentId: dept.id, explanation: `河长制: reach ${reach.code} of ${reach.waterBodyName} is the responsibility of ${dept.name}` } } : {}),
  });
  return result.case.id;
}

/**
 * Checks a water-quality station's new samples (in time order, inside the readings' transaction)
 * against its reach's target class (GB 3838-2002): the first sample below the target opens ONE
 * case (断面水质不达标, channel sensor, at the station, for the river's responsible department);
 * while it is open, a later fall (after a recovery) attaches to it; a recovery is recorded as
 * `water_recovered`. A sample older than the reach's last one is not evaluated.
 */
export async function evaluateWaterSamples(ctx: Ctx, device: DeviceRow, readings: { ts: string; values: Record<string, number> }[]): Promise<void> {
  const code = reachOf(device);
  if (!code) return;
  const reach = (await listReaches(ctx)).find((r) => r.code === code);
  if (!reach?.target) return;
  let state = await waterRepository.findState(ctx.db, code);
  for (const { ts, values } of readings) {
    if (state?.last_ts && ts < state.last_ts) continue;
    const r = classifyWater(values, reach.lake ? 'lake' : 'river');
    if (!r.waterClass) continue;
    const below = !meetsTarget(r.waterClass, reach.target);
    let caseId = state?.case_id ?? null;
    const was = state?.state ?? 'normal';
    if (below && was === 'normal') caseId = await fall(ctx, reach, device, caseId, r, ts);
    if (!below && was === 'below' && caseId !== null) {
      const row = await caseRepository.findById(ctx.db, caseId);
      if (row) {
        await caseRepository.appendEvent(ctx.db, {
          case_id: caseId, at: ctx.now.toISOString(), ...SYSTEM, action: 'water_recovered', from_status: row.status, to_status: row.status,
          note: `【水质恢复】${reach.name}（${reach.code}）${device.name} 监测为 ${r.label}，达到目标 ${WATER_LABELS[reach.target]}（${ts}）`, data: JSON.stringify({ reachCode: reach.code, deviceId: device.id, waterClass: r.waterClass, ts }),
        });
      }
    }
    state = { reach_code: code, state: below ? 'below' : 'normal', case_id: caseId, last_class: r.waterClass, last_ts: ts, updated_at: ctx.now.toISOString() };
    await waterRepository.saveState(ctx.db, state);
  }
}
