import type { AppContext, Ctx } from '../context.js';
import { inTransaction, makeCtx } from '../context.js';
import { systemActor } from '../auth/actor.js';
import { AppError } from '../errors.js';
import { resolveCategory } from '../catalogue/catalogue.service.js';
import { caseRepository } from '../cases/case.repository.js';
import { intakeCase } from '../cases/case.intake.js';
import { getWorkflow } from '../cases/workflow/index.js';
import { alarmRepository, type AlarmRuleRow } from './alarm.repository.js';
import { compare, isOffline, ratePerMinute, stepAlarm, type AlarmOp, type AlarmSnapshot, type AlarmType } from './alarm.evaluate.js';
import { deviceRepository, type DeviceRow } from './device.repository.js';
import { OFFLINE_CATEGORY } from './device.kinds.js';
import { readingRepository } from './reading.repository.js';

export interface AlarmRuleInput {
  type?: AlarmType;
  deviceId?: string;
  kind?: string;
  metric?: string;
  op?: AlarmOp;
  threshold?: number;
  forMinutes?: number;
  categoryCode?: string;
  enabled?: boolean;
}

const SYSTEM = { actor_kind: 'system', actor_id: 0, actor_name: 'sensor-alarm', actor_role: 'admin' } as const;

/**
 * Adds an alarm rule for one device (in the actor's area) or every device of a kind in the actor's
 * area. Threshold and rate rules need a metric of the kind, an op and a threshold; offline rules
 * need forMinutes ≥ 1. Cases go to the kind's alarm category (offline: 设备离线告警) unless one is
 * named. Throws validation_failed, device_not_found, category_not_found.
 */
export async function createAlarmRule(ctx: Ctx, input: AlarmRuleInput): Promise<AlarmRuleRow> {
  const type = input.type ?? 'threshold';
  if ((input.deviceId === undefined) === (input.kind === undefined)) throw new AppError('validation_failed', 'name either deviceId or kind', { field: 'deviceId' });
  let kindCode = input.kind;
  if (input.deviceId !== undefined) {
    const device = await deviceRepository.findInScope(ctx.db, input.deviceId, ctx.actor.orgPath);
    if (!device) throw new AppError('device_not_found', `no device ${input.deviceId}`, { field: 'deviceId' });
    kindCode = device.kind;
  }
  const kind = await deviceRepository.findKind(ctx.db, kindCode ?? '');
  if (!kind) throw new AppError('validation_failed', `unknown device kind ${kindCode}`, { field: 'kind' });
  const forMinutes = input.forMinutes ?? 0;
  if (type === 'offline') {
    if (forMinutes < 1) throw new AppError('validation_failed', 'an offline rule needs forMinutes ≥ 1', { field: 'forMinutes' });
  } else {
    if (!input.metric || !(JSON.parse(kind.metrics) as string[]).includes(input.metric)) throw new AppError('validation_failed', `metric must be one of ${kind.metrics}`, { field: 'metric' });
    if (!input.op || input.threshold === undefined) throw new AppError('validation_failed', 'a threshold or rate rule needs op and threshold', { field: input.op ? 'threshold' : 'op' });
  }
  const category = await resolveCategory(ctx, input.categoryCode ?? (type === 'offline' ? OFFLINE_CATEGORY : kind.alarm_category));
  const now = ctx.now.toISOString();
  const id = await alarmRepository.insertRule(ctx.db, {
    type, device_id: input.deviceId ?? null, kind: input.deviceId ? null : kind.code, metric: type === 'offline' ? null : input.metric ?? null,
    op: type === 'offline' ? null : input.op ?? null, threshold: type === 'offline' ? null : input.threshold ?? null, for_minutes: forMinutes,
    category_code: category.code, org_path: ctx.actor.orgPath, enabled: input.enabled === false ? 0 : 1, created_at: now, updated_at: now,
  });
  return getAlarmRule(ctx, id);
}

/** A rule the actor may see (`read`) or change (`write`, written in its area). Throws alarm_rule_not_found. */
export async function getAlarmRule(ctx: Ctx, id: number, mode: 'read' | 'write' = 'read'): Promise<AlarmRuleRow> {
  const row = await alarmRepository.findRuleInScope(ctx.db, id, ctx.actor.orgPath, mode);
  if (!row) throw new AppError('alarm_rule_not_found', `no alarm rule ${id}`);
  return row;
}

/** Changes a rule's threshold, duration, op or enabled flag. Throws alarm_rule_not_found, validation_failed. */
export async function updateAlarmRule(ctx: Ctx, id: number, patch: Pick<AlarmRuleInput, 'op' | 'threshold' | 'forMinutes' | 'enabled'>): Promise<AlarmRuleRow> {
  const rule = await getAlarmRule(ctx, id, 'write');
  if (rule.type === 'offline' && (patch.op !== undefined || patch.threshold !== undefined)) throw new AppError('validation_failed', 'an offline rule has no op or threshold', { field: 'op' });
  if (rule.type === 'offline' && patch.forMinutes !== undefined && patch.forMinutes < 1) throw new AppError('validation_failed', 'an offline rule needs forMinutes ≥ 1', { field: 'forMinutes' });
  await alarmRepository.updateRule(ctx.db, id, {
    ...(patch.op !== undefined ? { op: patch.op } : {}), ...(patch.threshold !== undefined ? { threshold: patch.threshold } : {}),
    ...(patch.forMinutes !== undefined ? { for_minutes: patch.forMinutes } : {}), ...(patch.enabled !== undefined ? { enabled: patch.enabled ? 1 : 0 } : {}),
    updated_at: ctx.now.toISOString(),
  });
  return getAlarmRule(ctx, id);
}

/** Removes a rule written in the actor's area, with its states (its cases stay). Throws alarm_rule_not_found. */
export async function deleteAlarmRule(ctx: Ctx, id: number): Promise<void> {
  await getAlarmRule(ctx, id, 'write');
  await inTransaction(ctx, (trx) => alarmRepository.deleteRule(trx.db, id));
}

const fmt = (v: number) => String(Math.round(v * 1000) / 1000);

function describeFiring(rule: AlarmRuleRow, device: DeviceRow, detail: { value?: number; rate?: number; ts: string }): string {
  if (rule.type === 'offline') return `【感知告警】${device.name}（${device.id}）离线超过 ${rule.for_minutes} 分钟，最后上报 ${device.last_seen_at ?? '无'}`;
  const measured = rule.type === 'rate' ? `${rule.metric} 变化率 ${fmt(detail.rate ?? 0)}/分钟` : `${rule.metric} = ${fmt(detail.value ?? 0)}`;
  const held = rule.for_minutes > 0 ? `，持续 ${rule.for_minutes} 分钟` : '';
  return `【感知告警】${device.name}（${device.id}）${measured} ${rule.op} ${fmt(rule.threshold ?? 0)}${held}（${detail.ts}）`;
}

/** Whether a case an alarm (or a reach's water quality) opened is still open: further firings attach to it. */
export async function openCaseIsLive(ctx: Ctx, caseId: number | null): Promise<boolean> {
  if (caseId === null) return false;
  const row = await caseRepository.findById(ctx.db, caseId);
  return !!row && !getWorkflow(row.workflow).states[row.status]?.terminal;
}

/**
 * Records a firing: the first (or the first after its case closed) opens one case through the
 * closed loop's intake (channel sensor, at the device, routed like any case); later ones attach to
 * that open case as a timeline event (burst dedup). Returns the case id. Runs in ctx's transaction.
 */
async function fire(ctx: Ctx, rule: AlarmRuleRow, device: DeviceRow, caseId: number | null, detail: { value?: number; rate?: number; ts: string }): Promise<number> {
  const description = describeFiring(rule, device, detail);
  const data = JSON.stringify({ ruleId: rule.id, deviceId: device.id, type: rule.type, metric: rule.metric, op: rule.op, threshold: rule.threshold, ...detail });
  if (caseId !== null && (await openCaseIsLive(ctx, caseId))) {
    const row = (await caseRepository.findById(ctx.db, caseId))!;
    await caseRepository.appendEvent(ctx.db, { case_id: caseId, at: ctx.now.toISOString(), ...SYSTEM, action: 'alarm', from_status: row.status, to_status: row.status, note: description, data });
    return caseId;
  }
  const sys = { ...makeCtx(ctx.app, systemActor(), ctx.db), now: ctx.now };
  const result = await intakeCase(sys, {
    categoryCode: rule.category_code, lon: device.lon, lat: device.lat, description, channel: 'sensor', private: false,
    attributes: { deviceId: device.id, deviceKind: device.kind, alarmRuleId: rule.id, ownerDepartmentId: device.department_id, ...detail },
  });
  return result.case.id;
}

async function clear(ctx: Ctx, rule: AlarmRuleRow, device: DeviceRow, caseId: number | null, detail: { value?: number; ts: string }): Promise<void> {
  if (caseId === null) return;
  const row = await caseRepository.findById(ctx.db, caseId);
  if (!row) return;
  const what = rule.type === 'offline' ? '设备恢复上报' : `${rule.metric} = ${fmt(detail.value ?? 0)}`;
  await caseRepository.appendEvent(ctx.db, {
    case_id: caseId, at: ctx.now.toISOString(), ...SYSTEM, action: 'alarm_clear', from_status: row.status, to_status: row.status,
    note: `【告警解除】${device.name}（${device.id}）${what}（${detail.ts}）`, data: JSON.stringify({ ruleId: rule.id, deviceId: device.id, ...detail }),
  });
}

type StateRow = Awaited<ReturnType<typeof alarmRepository.findState>>;

/** The rules and states of a batch's devices, read once for the batch (evaluateReadings filters per device). */
export interface AlarmPrefetch {
  rules: AlarmRuleRow[];
  states: NonNullable<StateRow>[];
}

/** Reads the enabled rules and the alarm states of many devices at once. */
export async function prefetchAlarms(ctx: Ctx, devices: { id: string; kind: string }[]): Promise<AlarmPrefetch> {
  const [rules, states] = await Promise.all([alarmRepository.rulesForDevices(ctx.db, devices), alarmRepository.statesOfDevices(ctx.db, devices.map((d) => d.id))]);
  return { rules, states };
}

/** Steps one rule for one device and records what happened (state, case, timeline); returns the state now. */
async function applyStep(ctx: Ctx, rule: AlarmRuleRow, device: DeviceRow, current: StateRow, holds: boolean, detail: { value?: number; rate?: number; ts: string }): Promise<StateRow> {
  const snapshot: AlarmSnapshot = { state: current?.state ?? 'normal', since: current?.since ?? null };
  const step = stepAlarm(snapshot, holds, detail.ts, rule.type === 'offline' ? 0 : rule.for_minutes);
  if (step.event === null && step.next.state === snapshot.state && step.next.since === snapshot.since) return current;
  let caseId = current?.case_id ?? null;
  if (step.event === 'fire') caseId = await fire(ctx, rule, device, caseId, detail);
  if (step.event === 'clear') await clear(ctx, rule, device, caseId, detail);
  const row = {
    rule_id: rule.id, device_id: device.id, state: step.next.state, since: step.next.since, case_id: caseId,
    last_value: detail.value ?? null, last_ts: detail.ts, firings: (current?.firings ?? 0) + (step.event === 'fire' ? 1 : 0), updated_at: ctx.now.toISOString(),
  };
  await alarmRepository.saveState(ctx.db, row);
  return row;
}

/**
 * Evaluates a device's rules on newly stored readings (in time order), inside the readings'
 * transaction (so a reading and the case it opens commit together, and a replayed reading, which
 * stores nothing, fires nothing). A reading older than a rule's last step is not evaluated.
 */
export async function evaluateReadings(ctx: Ctx, device: DeviceRow, readings: { ts: string; values: Record<string, number> }[], prefetched?: AlarmPrefetch): Promise<void> {
  const candidates = prefetched ? prefetched.rules.filter((r) => r.device_id === device.id || (r.device_id === null && r.kind === device.kind)) : await alarmRepository.rulesForDevice(ctx.db, device);
  const rules = candidates.filter((r) => device.org_path.startsWith(r.org_path));
  if (rules.length === 0) return;
  const own = prefetched ? prefetched.states.filter((s) => s.device_id === device.id) : await alarmRepository.statesOfDevice(ctx.db, device.id);
  const states = new Map<number, StateRow>(own.map((s) => [s.rule_id, s]));
  for (const { ts, values } of readings) {
    for (const rule of rules) {
      const s = states.get(rule.id);
      if (s?.last_ts && ts < s.last_ts) continue;
      if (rule.type === 'offline') {
        if (s?.state === 'firing') states.set(rule.id, await applyStep(ctx, rule, device, s, false, { ts }));
        continue;
      }
      const value = rule.metric ? values[rule.metric] : undefined;
      if (value === undefined || !rule.op || rule.threshold === null) continue;
      if (rule.type === 'threshold') {
        states.set(rule.id, await applyStep(ctx, rule, device, s, compare(value, rule.op as AlarmOp, rule.threshold), { value, ts }));
      } else {
        const prev = await readingRepository.previous(ctx.db, device.id, rule.metric as string, ts);
        const rate = prev ? ratePerMinute(prev, { ts, value }) : null;
        if (rate !== null) states.set(rule.id, await applyStep(ctx, rule, device, s, compare(rate, rule.op as AlarmOp, rule.threshold), { value, rate, ts }));
      }
    }
  }
}

/**
 * The offline check (run by `serve` every GRIDLOOP_SENSOR_SWEEP_SECONDS): every active device an
 * offline rule covers that has sent nothing for the rule's minutes fires it, once; each in its
 * own transaction. Returns how many fired.
 */
export async function sweepOffline(app: AppContext, now: Date = app.clock()): Promise<number> {
  let fired = 0;
  for (const rule of await alarmRepository.offlineRules(app.store.db)) {
    for (const device of await deviceRepository.listForRule(app.store.db, rule)) {
      if (!device.org_path.startsWith(rule.org_path) || !isOffline(device.last_seen_at, device.created_at, now, rule.for_minutes)) continue;
      const ctx = { ...makeCtx(app, systemActor()), now };
      const didFire = await inTransaction(ctx, async (trx) => {
        const s = await alarmRepository.findState(trx.db, rule.id, device.id);
        if (s?.state === 'firing') return false;
        await applyStep(trx, rule, device, s, true, { ts: now.toISOString() });
        return true;
      });
      if (didFire) fired++;
    }
  }
  return fired;
}
