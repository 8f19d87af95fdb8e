import { describe, expect, it } from 'vitest';
import { Kysely, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler, type CompiledQuery, type DatabaseConnection, type Driver } from 'kysely';
import type { Database } from '../src/db/tables.js';
import { KpiRollupBatch } from '../src/kpis/kpi.rollup.js';
import { countCase } from '../src/generate/generate.counts.js';
import type { SimCount } from '../src/generate/generate.sim.js';

// The generator sums a case's events of the same subject and local day into one `add`: the
// roll-up batch must then write exactly what one `add` per event (recordCaseCounters) writes.

/** A Db that records the statements run on it instead of running them. */
function recordingDb(statements: { sql: string; parameters: readonly unknown[] }[]): Kysely<Database> {
  const connection: DatabaseConnection = {
    executeQuery: async (q: CompiledQuery) => {
      statements.push({ sql: q.sql, parameters: q.parameters });
      return { rows: [] };
    },
    streamQuery: () => { throw new Error('not used'); },
  };
  const driver: Driver = { init: async () => {}, acquireConnection: async () => connection, beginTransaction: async () => {}, commitTransaction: async () => {}, rollbackTransaction: async () => {}, releaseConnection: async () => {}, destroy: async () => {} };
  return new Kysely<Database>({ dialect: { createAdapter: () => new SqliteAdapter(), createDriver: () => driver, createIntrospector: (db) => new SqliteIntrospector(db), createQueryCompiler: () => new SqliteQueryCompiler() } });
}

const HOUR = 3_600_000;
const localTime = (ms: number) => new Date(ms + 8 * HOUR); // Asia/Shanghai has no DST
const subject = { orgPath: '/150300/150302/150302001/150302001001/g1/', categoryCode: '06010', classCode: '06', departmentId: null, channel: 'patrol' };
const dispatched = { ...subject, departmentId: 7 };
const created = Date.parse('2026-11-02T01:00:00Z');
const at = (hours: number) => new Date(created + hours * HOUR);
/** A case reported, verified and registered that day, dispatched (its department changes) and closed the next, and a second case closed within the hour. */
const cases: [number, SimCount[]][] = [
  [created, [
    { subject, at: at(0), delta: { reported: 1 } },
    { subject, at: at(1), delta: { verified: 1, verifiedOnTime: 1 } },
    { subject, at: at(2), delta: { registered: 1, shouldClose: 1 } },
    { subject: dispatched, at: at(3), delta: { dispatched: 1, dispatchedOnTime: 1 } },
    { subject: dispatched, at: at(20), delta: {} },
    { subject: dispatched, at: at(22), delta: { handled: 1, handledOnTime: 1, handlingMsSum: 19 * HOUR, handlingCount: 1 } },
    { subject: dispatched, at: at(23), delta: { checked: 1, checkedOnTime: 1 } },
    { subject: dispatched, at: at(23.5), delta: { closed: 1, closedOnTime: 1, closedByDeadline: 1 } },
  ]],
  [created + HOUR, [
    { subject, at: at(1), delta: { reported: 1, registered: 1, shouldClose: 1 } },
    { subject, at: at(1.5), delta: { closed: 1, closedOnTime: 1, closedByDeadline: 1 } },
  ]],
];

describe('countCase', () => {
  it('writes the roll-ups one add per event would', async () => {
    const merged = new KpiRollupBatch();
    const perEvent = new KpiRollupBatch();
    for (const [createdMs, counts] of cases) {
      countCase(merged, counts, createdMs, localTime);
      for (const c of counts) {
        const local = localTime(c.at.getTime());
        perEvent.add(c.subject, local.toISOString().slice(0, 10), c.delta, c.delta.closed ? c.at.getTime() - createdMs : undefined, c.delta.reported ? { weekday: (local.getUTCDay() + 6) % 7, hour: local.getUTCHours() } : undefined);
      }
    }
    const a: { sql: string; parameters: readonly unknown[] }[] = [];
    const b: typeof a = [];
    await merged.flush(recordingDb(a));
    await perEvent.flush(recordingDb(b));
    expect(a.length).toBeGreaterThan(0);
    expect(a).toEqual(b);
  });
});
