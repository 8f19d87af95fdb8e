import { sql, type SelectQueryBuilder } from 'kysely';
import type { Database } from '../db/tables.js';
import type { Db } from '../db/database.js';
import { whereCaseInScope, type CaseScope } from '../cases/case.scope.js';

/** The case column that names a case's unit one level below an org unit of `level`. */
export type ChildColumn = 'district_code' | 'street_code' | 'community_code' | 'grid_code';

export interface OpenCounts {
  code: string | null;
  open: number;
  overdue: number;
  handling: number;
  supervised: number;
}

/**
 * Open cases: not in a terminal state. Every open case has no closure time, and saying so lets
 * both databases read the partial index of cases without one (cases_open_path_idx) instead of
 * the whole subtree's history.
 */
function openCases<Q extends SelectQueryBuilder<Database, 'cases', object>>(q: Q, terminal: string[]): Q {
  const open = q.where('closed_at', 'is', null) as Q;
  return (terminal.length ? open.where('status', 'not in', terminal) : open) as Q;
}

/** Current-state aggregates over open cases for the big screen. All case SQL of the screen lives here. */
export const screenRepository = {
  /** Open cases per child unit: open, red-or-worse light, in handling, supervised. */
  async openCountsBy(db: Db, scope: CaseScope, child: ChildColumn | null, terminal: string[], handlingStates: string[]): Promise<OpenCounts[]> {
    let q = openCases(whereCaseInScope(db.selectFrom('cases'), scope), terminal);
    const grp = child ? sql.ref<string>(child) : sql<string>`'all'`;
    const handlingList = handlingStates.length ? sql.join(handlingStates.map((s) => sql.lit(s))) : sql`''`;
    const select = q.select([
      grp.as('code'),
      sql<number>`count(*)`.as('open'),
      sql<number>`sum(case when light in ('red','severe') then 1 else 0 end)`.as('overdue'),
      sql<number>`sum(case when status in (${handlingList}) then 1 else 0 end)`.as('handling'),
      sql<number>`sum(case when supervised = 1 then 1 else 0 end)`.as('supervised'),
    ]);
    const rows = child ? await select.groupBy(sql.ref(child)).execute() : await select.execute();
    return rows.map((r) => ({ code: r.code === null ? null : String(r.code), open: Number(r.open), overdue: Number(r.overdue ?? 0), handling: Number(r.handling ?? 0), supervised: Number(r.supervised ?? 0) }));
  },

  /** 积案 per child unit: petitions flagged as backlog and not yet resolved. */
  async petitionBacklogBy(db: Db, scope: CaseScope, child: ChildColumn): Promise<{ code: string; n: number }[]> {
    const rows = await whereCaseInScope(db.selectFrom('cases'), scope)
      .innerJoin('petitions', 'petitions.case_id', 'cases.id')
      .where('petitions.backlog_since', 'is not', null).where('petitions.backlog_resolved_at', 'is', null)
      .select([sql.ref<string>(`cases.${child}`).as('code'), sql<number>`count(*)`.as('n')])
      .groupBy(sql.ref(`cases.${child}`))
      .execute();
    return rows.filter((r) => r.code !== null).map((r) => ({ code: String(r.code), n: Number(r.n) }));
  },

  /** Open cases with a position (pins), newest first. */
  openPins(db: Db, scope: CaseScope, terminal: string[], limit: number) {
    const q = openCases(whereCaseInScope(db.selectFrom('cases'), scope), terminal).where('lon', 'is not', null);
    return q.select(['id', 'number', 'status', 'light', 'category_code', 'grid_code', 'lon', 'lat', 'created_at']).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  },

  /** Reports per UTC hour bucket ("YYYY-MM-DDTHH") created in [fromIso, toIso). */
  async reportsPerHour(db: Db, scope: CaseScope, fromIso: string, toIso: string): Promise<{ hour: string; n: number }[]> {
    const bucket = sql<string>`substr(created_at, 1, 13)`;
    const rows = await whereCaseInScope(db.selectFrom('cases'), scope)
      .where('created_at', '>=', fromIso)
      .where('created_at', '<', toIso)
      .select([bucket.as('hour'), sql<number>`count(*)`.as('n')])
      .groupBy(bucket)
      .execute();
    return rows.map((r) => ({ hour: String(r.hour), n: Number(r.n) }));
  },

  /** Open cases under 督办 (supervised) or raised a level (提级), most urgent first. */
  watchList(db: Db, scope: CaseScope, terminal: string[], kind: 'supervised' | 'escalated', limit: number) {
    let q = openCases(whereCaseInScope(db.selectFrom('cases'), scope), terminal);
    q = kind === 'supervised' ? q.where('supervised', '=', 1) : q.where('escalation_level', '>', 0);
    return q.select(['id', 'number', 'status', 'light', 'category_code', 'description', 'community_code', 'street_code', 'district_code', 'escalation_level', 'deadline', 'created_at'])
      .orderBy('escalation_level', 'desc').orderBy('created_at', 'asc').limit(limit).execute();
  },
};
