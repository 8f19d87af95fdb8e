import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { publishCaseEvent } from '../live/live.hub.js';
import type { AppContext } from '../context.js';
import type { Db } from '../db/database.js';
import { everyOnLeader } from '../cluster/cluster.js';
import { getWorkCalendar } from '../sla/calendar.loader.js';
import { lightAt, nextLightChangeAt, type Light } from '../sla/lights.js';
import { caseRepository, type CaseRow } from './case.repository.js';
import { clockFromJson, LIGHT_RANK as RANK } from './case.clock.js';
import { addCaseCounters } from './case.counters.js';
import { escalationTarget } from './case.side-effects.js';
import { eventHash, GENESIS } from './case.audit.js';
import { caseSweepRepository, type SweepNotification } from './case.sweep.repository.js';
import { KpiRollupBatch } from '../kpis/kpi.rollup.js';
import type { Insertable } from 'kysely';
import type { CaseEventTable } from '../db/tables.js';

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
 * A batch of due cases is written in one transaction (one commit, not one per case; its events,
 * counters and notifications as multi-row writes); should it fail, its cases are retried one
 * transaction each, so one bad case cannot hold back the others.
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
      outcomes = await app.store.db.transaction().execute((db) => sweepBatch(app, db, due, now));
    } catch {
      outcomes = [];
      for (const row of due) outcomes.push(...(await app.store.db.transaction().execute((db) => sweepBatch(app, db, [row], now))));
    }
    for (const outcome of outcomes) {
      result.examined++;
      if (outcome.after) result.changed++;
      if (outcome.overdue) result.overdue++;
      if (outcome.escalated) result.escalated++;
    }
    // Published after the commit, never inside the transaction.
    for (const { after } of outcomes) if (after) publishCaseEvent(app, 'case.changed', after, now);
    if (due.length < app.config.sweeper.batchSize) break;
    // better-sqlite3 is synchronous, and awaiting its results only queues microtasks: without
    // this the whole sweep would hold the event loop. Requests get their turn between batches.
    await yieldToEventLoop();
  }
  return result;
}

interface Outcome {
  id: number;
  /** The case as stored after the sweep, when its light changed. */
  after: CaseRow | null;
  overdue: boolean;
  escalated: boolean;
}

type Change = { row: CaseRow; light: Light | 'none'; patch: Pick<CaseRow, 'light' | 'next_light_at' | 'overdue_stages' | 'escalation_level' | 'updated_at' | 'version'>; becameOverdue: boolean; escalate: boolean };

const SYSTEM = { actor_kind: 'system', actor_id: 0, actor_name: 'sla-sweeper', actor_role: 'admin', note_public: 0 } as const;

/**
 * Sweeps one batch of due cases inside the caller's transaction. Each case's new light and next
 * change is worked out in memory; the cases whose light stays are only rescheduled; the others are
 * updated at the version read (a case another writer moved meanwhile is left to the next sweep),
 * and their timeline events, 超期 counters and notifications are written together: one read of
 * the cases' last events for the hash chain, multi-row inserts, one roll-up flush.
 */
async function sweepBatch(app: AppContext, db: Db, rows: readonly CaseRow[], now: Date): Promise<Outcome[]> {
  const cal = getWorkCalendar(app);
  const at = now.toISOString();
  const outcomes: Outcome[] = [];
  let changes: Change[] = [];
  for (const row of rows) {
    const clock = clockFromJson(row.stage_clock);
    const light: Light | 'none' = clock ? lightAt(clock, now, cal, app.config.lights) : 'none';
    const next = clock ? nextLightChangeAt(clock, now, cal, app.config.lights) : null;
    const nextIso = next ? next.toISOString() : null;
    if (light === row.light) {
      await caseRepository.rescheduleAtVersion(db, row.id, row.version, nextIso);
      outcomes.push({ id: row.id, after: null, overdue: false, escalated: false });
      continue;
    }
    const becameOverdue = RANK[light] >= RANK.red && RANK[row.light] < RANK.red;
    const overdueStages = row.overdue_stages + (becameOverdue ? 1 : 0);
    const escalate = (becameOverdue && overdueStages >= app.config.sweeper.escalateAfterOverdue) || (light === 'severe' && row.light !== 'severe');
    const patch = { light, next_light_at: nextIso, overdue_stages: overdueStages, escalation_level: row.escalation_level + (escalate ? 1 : 0), updated_at: at, version: row.version + 1 };
    changes.push({ row, light, patch, becameOverdue, escalate });
  }
  if (changes.length === 0) return outcomes;
  const applied = await caseSweepRepository.applyLights(db, changes.map(({ row, patch }) => ({ ...patch, id: row.id, version: row.version })));
  for (const { row } of changes) if (!applied.has(row.id)) outcomes.push({ id: row.id, after: null, overdue: false, escalated: false });
  changes = changes.filter(({ row }) => applied.has(row.id));

  const last = await caseSweepRepository.lastEvents(db, changes.map((c) => c.row.id));
  const events: Insertable<CaseEventTable>[] = [];
  const notifications: SweepNotification[] = [];
  const counters = new KpiRollupBatch();
  for (const { row, light, patch, becameOverdue, escalate } of changes) {
    let { seq, hash } = last.get(row.id) ?? { seq: 0, hash: GENESIS };
    const append = (e: { action: string; note: string; data: string }) => {
      const event = { case_id: row.id, seq: ++seq, at, ...SYSTEM, from_status: row.status, to_status: row.status, ...e };
      hash = eventHash(hash ?? GENESIS, event);
      events.push({ ...event, hash });
    };
    append({ action: 'light', note: `${row.light} → ${light}`, data: JSON.stringify({ stage: row.stage, from: row.light, to: light, stageDeadline: row.stage_deadline }) });
    if (becameOverdue) {
      // 超期数 counts cases, not stages (KpiCounters.overdue): only the case's first overdue stage.
      if (row.overdue_stages === 0) addCaseCounters(counters, row, app.config.timeZone, now, { overdue: 1 });
      notifications.push({ case_id: row.id, org_code: escalationTarget(row), role: 'leader', kind: 'overdue', message: `${row.number} 超期 (${row.stage ?? ''})`, created_at: at });
    }
    if (escalate) {
      const target = escalationTarget({ org_path: row.org_path, escalation_level: row.escalation_level + 1 });
      append({ action: 'escalate', note: `自动提级至 ${target}`, data: JSON.stringify({ level: row.escalation_level + 1, target, overdueStages: patch.overdue_stages }) });
      notifications.push({ case_id: row.id, org_code: target, role: 'leader', kind: 'escalated', message: `${row.number} 超期提级`, created_at: at });
    }
    outcomes.push({ id: row.id, after: { ...row, ...patch }, overdue: becameOverdue, escalated: escalate });
  }
  await caseSweepRepository.insertEvents(db, events);
  await caseSweepRepository.insertNotifications(db, notifications);
  await counters.flush(db);
  return outcomes;
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
