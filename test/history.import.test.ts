import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, frozenClock, type TestEnv } from './helpers.js';
import { buildWorld, PLACES, type World } from './world.js';
import { importCases, importCasesFromFile } from '../src/history/history.import.js';
import { parseHistoryMapping } from '../src/history/history.mapping.js';
import { verifyAuditTrail } from '../src/cases/case.audit.verify.js';

const clock = frozenClock('2026-11-26T02:00:00Z');
let env: TestEnv;
let world: World;
const dir = mkdtempSync(path.join(tmpdir(), 'gridloop-history-'));
const { heping: H, xinqiao: X } = PLACES;

// Times are Wuhai wall-clock (Asia/Shanghai, UTC+8) unless they carry a zone.
const CSV = [
  'id,created,closed,state,kind,code,x,y,note',
  `A1,2026-10-05 09:00:00,2026-10-05 11:00:00,Closed,Garbage,,${H.lon},${H.lat},垃圾一堆`,
  `A2,10/05/2026 10:00:00 PM,10/07/2026 08:00:00 AM,Closed,Garbage,,${H.lon},${H.lat},`,
  `A3,2026-10-06T08:00:00+08:00,,Open,Garbage,,${X.lon},${X.lat},still open`,
  `A4,2026-10-06 09:00:00,2026-10-06 10:00:00,Closed,,02-01,${H.lon},${H.lat},legacy code`,
  `B1,2026-10-06 09:00:00,2026-10-06 10:00:00,Closed,Unknown type,,${H.lon},${H.lat},`,
  `B2,sometime,2026-10-06 10:00:00,Closed,Garbage,,${H.lon},${H.lat},`,
  `B3,2026-10-06 09:00:00,2026-10-05 10:00:00,Closed,Garbage,,${H.lon},${H.lat},`,
  `B4,2026-10-06 09:00:00,2026-10-06 10:00:00,Closed,Garbage,,,,no coordinates`,
  `B5,2026-10-06 09:00:00,2026-10-06 10:00:00,Closed,Garbage,,-118.3,34.05,Los Angeles`,
  `A1,2026-10-06 09:00:00,2026-10-06 10:00:00,Closed,Garbage,,${H.lon},${H.lat},same id again`,
  `B6,2026-10-06 09:00:00,,Closed,Garbage,,${H.lon},${H.lat},closed without a time`,
].join('\n');

const MAPPING = {
  columns: { sourceId: 'id', createdAt: 'created', closedAt: 'closed', status: 'state', type: 'kind', category: 'code', lon: 'x', lat: 'y', description: 'note' },
  timeZone: 'Asia/Shanghai',
  types: { Garbage: '06010' },
  closedStatuses: ['Closed'],
};

beforeAll(async () => {
  env = await createTestEnv({ clock });
  world = await buildWorld(env);
  writeFileSync(path.join(dir, 'cases.csv'), CSV);
});
afterAll(() => env.close());

async function run(dryRun = false) {
  const rejects: string[] = [];
  const summary = await importCasesFromFile(env.sys(), path.join(dir, 'cases.csv'), parseHistoryMapping(MAPPING), { dryRun, batchSize: 100, onReject: (id, reason) => rejects.push(`${id},${reason}`) });
  return { summary, rejects };
}

describe('import-cases', () => {
  it('refuses a mapping with unknown keys, naming them', () => {
    expect(() => parseHistoryMapping({ ...MAPPING, colour: 'red' })).toThrow(/colour/);
    expect(() => parseHistoryMapping({ ...MAPPING, columns: { ...MAPPING.columns, extra: 'x' } })).toThrow(/extra/);
    expect(() => parseHistoryMapping({ ...MAPPING, timeZone: 'Mars/Olympus' })).toThrow(/time zone/);
  });

  it('--dry-run reports what would happen and writes nothing', async () => {
    const { summary } = await run(true);
    expect(summary).toMatchObject({ rows: 11, imported: 4, rejected: 7, dryRun: true });
    const n = await env.app.store.db.selectFrom('cases').select((eb) => eb.fn.countAll<number>().as('n')).where('source_id', 'is not', null).executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(0);
  });

  it('imports good rows at their original times with timelines and rejects the rest with reasons', async () => {
    const { summary, rejects } = await run();
    expect(summary).toMatchObject({ rows: 11, imported: 4, skipped: 0, rejected: 7 });
    expect(rejects.sort()).toEqual(['A1,duplicate_in_file', 'B1,no_category_match', 'B2,bad_created_time', 'B3,closed_before_created', 'B4,no_coordinates', 'B5,outside_city', 'B6,closed_without_time']);
    const rows = await env.app.store.db.selectFrom('cases').select(['source_id', 'status', 'created_at', 'closed_at', 'grid_code', 'category_code', 'legacy_category_code', 'id']).where('source_id', 'is not', null).orderBy('source_id').execute();
    expect(rows.map((r) => [r.source_id, r.status, r.created_at, r.closed_at, r.grid_code, r.category_code, r.legacy_category_code])).toEqual([
      ['A1', 'closed', '2026-10-05T01:00:00.000Z', '2026-10-05T03:00:00.000Z', H.grid, '06010', null],
      ['A2', 'closed', '2026-10-05T14:00:00.000Z', '2026-10-07T00:00:00.000Z', H.grid, '06010', null],
      ['A3', 'reported', '2026-10-06T00:00:00.000Z', null, X.grid, '06010', null],
      ['A4', 'closed', '2026-10-06T01:00:00.000Z', '2026-10-06T02:00:00.000Z', H.grid, '07001', '02-01'],
    ]);
    const timeline = await env.http.inject({ url: `/api/v1/cases/${rows[0].id}/timeline`, headers: { cookie: world.cookies.admin } });
    expect(timeline.json().map((e: { action: string; at: string }) => [e.action, e.at])).toEqual([['report', '2026-10-05T01:00:00.000Z'], ['close', '2026-10-05T03:00:00.000Z']]);
    expect((await verifyAuditTrail(env.app.store.db)).broken).toEqual([]);
  });

  it('puts the counters on the days things happened: the KPI API shows the history', async () => {
    const kpi = async (from: string, to: string) => (await env.http.inject({ url: `/api/v1/kpis?org=150300&from=${from}&to=${to}&groupBy=category`, headers: { cookie: world.cookies.admin } })).json();
    const october = await kpi('2026-10-01', '2026-10-31');
    const byCategory = Object.fromEntries(october.groups.map((g: { group: string; reported: number; closed: number }) => [g.group, [g.reported, g.closed]]));
    expect(byCategory).toEqual({ '06010': [3, 2], '07001': [1, 1] });
    // A4 took one hour from report to closure; the median is read from a histogram (within 5 %).
    const legacy = october.groups.find((g: { group: string }) => g.group === '07001');
    expect(Math.abs(legacy.medianHoursToClose - 1)).toBeLessThan(0.05);
    // A2 was reported on 5 October and closed on 7 October (Wuhai time).
    const fifth = await kpi('2026-10-05', '2026-10-05');
    expect([fifth.reported, fifth.closed]).toEqual([2, 1]);
    const seventh = await kpi('2026-10-07', '2026-10-07');
    expect([seventh.reported, seventh.closed]).toEqual([0, 1]);
  });

  it('a second run adds nothing: every good row is already there', async () => {
    const { summary } = await run();
    expect(summary).toMatchObject({ imported: 0, skipped: 4, rejected: 7 });
    const n = await env.app.store.db.selectFrom('cases').select((eb) => eb.fn.countAll<number>().as('n')).where('source_id', 'is not', null).executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(4);
  });

  it('an import stopped between its batches and its counters is finished by the next run: counters match the cases, counted once', async () => {
    const records = [1, 2, 3].map((i) => ({ id: `C${i}`, created: `2026-08-0${i} 09:00:00`, closed: i < 3 ? `2026-08-0${i} 12:00:00` : '', state: i < 3 ? 'Closed' : 'Open', kind: 'Garbage', code: '', x: String(H.lon), y: String(H.lat), note: '' }));
    async function* stream(failAfter: number | null) {
      for (const [i, r] of records.entries()) {
        if (i === failAfter) throw new Error('killed');
        yield r;
      }
    }
    const august = async () => (await env.http.inject({ url: '/api/v1/kpis?org=150300&from=2026-08-01&to=2026-08-31', headers: { cookie: world.cookies.admin } })).json();
    const pending = async () => Number((await env.app.store.db.selectFrom('history_pending_counts').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const mapping = parseHistoryMapping(MAPPING);
    // Two batches of one row written, then the process "dies" before the counters are written.
    await expect(importCases(env.sys(), stream(2), mapping, { batchSize: 1 })).rejects.toThrow('killed');
    expect(await pending()).toBe(2);
    expect([(await august()).reported, (await august()).closed]).toEqual([0, 0]);
    const summary = await importCases(env.sys(), stream(null), mapping, { batchSize: 1 });
    expect(summary).toMatchObject({ imported: 1, skipped: 2 });
    expect(await pending()).toBe(0);
    const after = await august();
    expect([after.reported, after.closed]).toEqual([3, 2]);
    expect(Math.abs(after.medianHoursToClose - 3)).toBeLessThan(0.15);
    // A third run changes nothing.
    await importCases(env.sys(), stream(null), mapping, { batchSize: 1 });
    expect([(await august()).reported, (await august()).closed]).toEqual([3, 2]);
  });
});
