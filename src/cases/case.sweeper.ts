import { publishCaseEvent } from '../live/live.hub.js';
import type { AppContext } from '../context.js';
import type { Db } from '../db/database.js';
import { everyOnLeader } from '../cluster/cluster.js';
import { getWorkCalendar } from '../sla/calendar.loader.js';
import { lightAt, nextLightChangeAt, type Light } from '../sla/lights.js';
import { caseRepository, type CaseRow } from './case.repository.js';
import { clockFromJson, LIGHT_RANK as RANK } from './case.clock.js';
import { recordCaseCounters } from './case.counters.js';
import { escalationTarget } from './case.side-effects.js';

export interface SweepResult {
  examined: number;
  changed: number;
  overdue: number;
  escalated: number;
}

/**
 * The SLA sweeper: finds cases whose traffic light changes at or before `now` (an indexed
 * `next_light_at` column, so the cost follows the cases that change, not all open cases), and for
 * each: stores the new light with a timeline event; on turning red notifies the community's
 * leaders and, the first time for the case, counts it overdue (超期数); after
 * `escalateAfterOverdue` overdue stages, or when severely overdue, raises it a level (提级).
 * A batch of due cases is written in one transaction (one commit, not one per case); should it
 * fail, its cases are retried one transaction each, so one bad case cannot hold back the others.
 * Idempotent and safe on two instances: every write is conditional on the version read, so a case
 * is handled once. `overdue` in the result counts stages that turned red in this run.
 */
export async function sweepLights(app: AppContext, now: Date = app.clock(), maxBatches = 50): Promise<SweepResult> {
  const result: SweepResult = { examined: 0, changed: 0, overdue: 0, escalated: 0 };
  const iso = now.toISOString();
  for (let batch = 0; batch < maxBatches; batch++) {
    const due = await caseRepository.dueForSweep(app.store.db, iso, app.config.sweeper.batchSize);
    let outcomes: Outcome[];
    try {
      outcomes = await app.store.db.transaction().execute(async (db) => {
        const out: Outcome[] = [];
        for (const row of due) out.push(await sweepOne(app, db, row, now));
        return out;
      });
    } catch {
      outcomes = [];
      for (const row of due) outcomes.push(await app.store.db.transaction().execute((db) => sweepOne(app, db, row, now)));
    }
    for (const outcome of outcomes) {
      result.examined++;
      if (outcome.changed) result.changed++;
      if (outcome.overdue) result.overdue++;
      if (outcome.escalated) result.escalated++;
    }
    // Published after the commit, never inside the transaction.
    for (const { id } of outcomes.filter((o) => o.changed)) {
      const after = await caseRepository.findById(app.store.db, id);
      if (after) publishCaseEvent(app, 'case.changed', after, now);
    }
    if (due.length < app.config.sweeper.batchSize) break;
  }
  return result;
}

interface Outcome {
  id: number;
  changed: boolean;
  overdue: boolean;
  escalated: boolean;
}

async function sweepOne(app: AppContext, db: Db, row: CaseRow, now: Date): Promise<Outcome> {
  const cal = getWorkCalendar(app);
  const clock = clockFromJson(row.stage_clock);
  const light: Light | 'none' = clock ? lightAt(clock, now, cal, app.config.lights) : 'none';
  const next = clock ? nextLightChangeAt(clock, now, cal, app.config.lights) : null;
  const nextIso = next ? next.toISOString() : null;
  const unchanged = { id: row.id, changed: false, overdue: false, escalated: false };
  if (light === row.light) {
    await caseRepository.rescheduleAtVersion(db, row.id, row.version, nextIso);
    return unchanged;
  }
  const becameOverdue = RANK[light] >= RANK.red && RANK[row.light] < RANK.red;
  const overdueStages = row.overdue_stages + (becameOverdue ? 1 : 0);
  const escalate = (becameOverdue && overdueStages >= app.config.sweeper.escalateAfterOverdue) || (light === 'severe' && row.light !== 'severe');
  const at = now.toISOString();
  const ok = await caseRepository.updateAtVersion(db, row.id, row.version, {
    light, next_light_at: nextIso, overdue_stages: overdueStages, escalation_level: row.escalation_level + (escalate ? 1 : 0), updated_at: at,
  });
  if (!ok) return unchanged;
  const system = { actor_kind: 'system', actor_id: 0, actor_name: 'sla-sweeper', actor_role: 'admin' };
  await caseRepository.appendEvent(db, { case_id: row.id, at, ...system, action: 'light', from_status: row.status, to_status: row.status, note: `${row.light} → ${light}`, data: JSON.stringify({ stage: row.stage, from: row.light, to: light, stageDeadline: row.stage_deadline }) });
  if (becameOverdue) {
    // 超期数 counts cases, not stages (KpiCounters.overdue): only the case's first overdue stage.
    if (row.overdue_stages === 0) await recordCaseCounters(db, row, app.config.timeZone, now, { overdue: 1 });
    await caseRepository.insertNotification(db, { case_id: row.id, org_code: escalationTarget(row), role: 'leader', kind: 'overdue', message: `${row.number} 超期 (${row.stage ?? ''})`, created_at: at });
  }
  if (escalate) {
    const target = escalationTarget({ org_path: row.org_path, escalation_level: row.escalation_level + 1 });
    await caseRepository.appendEvent(db, { case_id: row.id, at, ...system, action: 'escalate', from_status: row.status, to_status: row.status, note: `自动提级至 ${target}`, data: JSON.stringify({ level: row.escalation_level + 1, target, overdueStages }) });
    await caseRepository.insertNotification(db, { case_id: row.id, org_code: target, role: 'leader', kind: 'escalated', message: `${row.number} 超期提级`, created_at: at });
  }
  return { id: row.id, changed: true, overdue: becameOverdue, escalated: escalate };
}

/**
 * Start hook: runs the sweeper every `intervalSeconds` on the leading instance (never two runs at
 * once in this process; on several instances, only where the leader lock is held).
 */
export async function startSweeper(app: AppContext): Promise<(() => void) | void> {
  const seconds = app.config.sweeper.intervalSeconds;
  if (seconds <= 0) return;
  return everyOnLeader(app, 'sla sweeper', seconds * 1000, () => sweepLights(app));
}
