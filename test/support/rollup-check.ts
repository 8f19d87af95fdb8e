import type { Db } from '../../src/db/database.js';

/** Counters recomputed here from timeline events, independently of the counter code. */
export const RECOMPUTED: Record<string, string[]> = { reported: ['report'], rejected: ['reject'], dispatched: ['dispatch'], handled: ['complete', 'reply'], reworked: ['check_fail'], closed: ['close'], callbacks: ['callback'] };
const NAMES = [...Object.keys(RECOMPUTED), 'registered'];

/** Every timeline event with its case's unit path, category, workflow and report time, in order. */
export function timelineOf(db: Db) {
  return db.selectFrom('case_events as e').innerJoin('cases as c', 'c.id', 'e.case_id')
    .select(['e.at', 'e.action', 'c.created_at', 'c.org_path', 'c.category_code', 'c.workflow']).orderBy('e.id').execute();
}

/**
 * What the roll-ups should hold, from the timeline alone: per unit on the case's path × grain
 * (day and month of the event in `timeZone`) × category, the count of the events of each kind.
 */
export async function recomputeRollups(db: Db, timeZone: string): Promise<Map<string, Record<string, number>>> {
  const fmt = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  const expected = new Map<string, Record<string, number>>();
  for (const e of await timelineOf(db)) {
    const counts = Object.entries(RECOMPUTED).filter(([, actions]) => actions.includes(e.action)).map(([counter]) => counter);
    // 受理 in 12345 is also 立案; urban cases are registered by the register action.
    if (e.action === 'register' || (e.action === 'report' && e.workflow === 'hotline')) counts.push('registered');
    if (!counts.length) continue;
    const day = fmt.format(new Date(e.at));
    for (const code of e.org_path.split('/').filter(Boolean)) {
      for (const period of [`d|${day}`, `m|${day.slice(0, 7)}`]) {
        const key = `${code}|${period}|${e.category_code}`;
        const row = expected.get(key) ?? Object.fromEntries(NAMES.map((k) => [k, 0]));
        for (const counter of counts) row[counter] += 1;
        expected.set(key, row);
      }
    }
  }
  return expected;
}

/** The roll-up rows summed to the same keys (over departments and channels), keys with all zeros left out. */
export async function storedRollups(db: Db): Promise<Map<string, Record<string, number>>> {
  const actual = new Map<string, Record<string, number>>();
  for (const r of await db.selectFrom('kpi_rollup').selectAll().execute()) {
    const key = `${r.org_code}|${r.grain}|${r.period}|${r.category_code}`;
    const row = actual.get(key) ?? {};
    for (const k of NAMES) row[k] = (row[k] ?? 0) + Number(r[k as 'reported']);
    actual.set(key, row);
  }
  for (const [key, row] of actual) if (Object.values(row).every((n) => n === 0)) actual.delete(key);
  return actual;
}
