import type { Db } from '../db/database.js';
import type { Insertable, Selectable } from 'kysely';
import { polygonsOf, type GridGeometry, type Polygons } from '../grids/geometry.js';
import type { OrgBoundaryTable, OrgLevel, OrgUnitTable } from '../db/tables.js';
import { subtreeRange } from '../db/dialect.js';

/** An org unit as the domain reads it (without bookkeeping columns). */
export type OrgUnitRow = Omit<Selectable<OrgUnitTable>, 'stat_code' | 'created_at'>;

const COLUMNS = ['code', 'name', 'level', 'parent_code', 'path', 'depth'] as const;

/** Org units and their materialised paths. "Everything under X" is one range scan on `path`. */
export const orgRepository = {
  findByCode(db: Db, code: string): Promise<OrgUnitRow | undefined> {
    return db.selectFrom('org_units').select(COLUMNS).where('code', '=', code).executeTakeFirst();
  },

  findManyByCode(db: Db, codes: string[]): Promise<OrgUnitRow[]> {
    if (codes.length === 0) return Promise.resolve([]);
    return db.selectFrom('org_units').select(COLUMNS).where('code', 'in', codes).execute();
  },

  insert(db: Db, row: OrgUnitRow & { created_at: string; stat_code?: string | null }) {
    return db.insertInto('org_units').values({ ...row, stat_code: row.stat_code ?? null }).execute();
  },

  /** Sets a unit's display name. */
  async rename(db: Db, code: string, name: string): Promise<void> {
    await db.updateTable('org_units').set({ name }).where('code', '=', code).execute();
  },

  /** Inserts units whose code is not there yet; returns how many were new. */
  async insertMissing(db: Db, rows: (OrgUnitRow & { created_at: string })[]): Promise<number> {
    let added = 0;
    for (let i = 0; i < rows.length; i += 200) {
      const chunk = rows.slice(i, i + 200);
      const result = await db.insertInto('org_units').values(chunk.map((r) => ({ ...r, stat_code: null }))).onConflict((oc) => oc.column('code').doNothing()).executeTakeFirst();
      added += Number(result.numInsertedOrUpdatedRows ?? 0);
    }
    return added;
  },

  /** Lists units inside `scopePath`'s subtree, filtered by level and/or parent, ordered by code. */
  async list(db: Db, scopePath: string, filter: { level?: OrgLevel; parent?: string }, page: { limit: number; offset: number }) {
    const scope = subtreeRange(scopePath);
    let q = db.selectFrom('org_units').where('path', '>=', scope.from).where('path', '<', scope.to);
    if (filter.level) q = q.where('level', '=', filter.level);
    if (filter.parent) q = q.where('parent_code', '=', filter.parent);
    const [items, count] = await Promise.all([
      q.select(COLUMNS).orderBy('code').limit(page.limit).offset(page.offset).execute(),
      q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items, total: Number(count.n) };
  },

  /** The chain from the root down to `path`'s unit, ordered city → grid. */
  chain(db: Db, path: string): Promise<OrgUnitRow[]> {
    const codes = path.split('/').filter(Boolean);
    return db.selectFrom('org_units').select(COLUMNS).where('code', 'in', codes).orderBy('depth').execute();
  },

  countByLevel(db: Db, scopePath: string) {
    const scope = subtreeRange(scopePath);
    return db
      .selectFrom('org_units')
      .where('path', '>=', scope.from)
      .where('path', '<', scope.to)
      .select(['level', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('level')
      .execute();
  },

  /** Imported outlines (org_boundaries) of these units, as polygons. */
  async boundaries(db: Db, codes: string[]): Promise<{ code: string; polygons: Polygons }[]> {
    if (codes.length === 0) return [];
    const rows = await db.selectFrom('org_boundaries').select(['code', 'geometry']).where('code', 'in', codes).execute();
    return rows.map((r) => ({ code: r.code, polygons: polygonsOf(JSON.parse(r.geometry) as GridGeometry) }));
  },

  async upsertBoundaries(db: Db, rows: Insertable<OrgBoundaryTable>[]): Promise<void> {
    for (let i = 0; i < rows.length; i += 200) {
      await db.insertInto('org_boundaries').values(rows.slice(i, i + 200)).onConflict((oc) => oc.column('code').doUpdateSet((eb) => ({
        geometry: eb.ref('excluded.geometry'), min_lon: eb.ref('excluded.min_lon'), min_lat: eb.ref('excluded.min_lat'), max_lon: eb.ref('excluded.max_lon'), max_lat: eb.ref('excluded.max_lat'), area_m2: eb.ref('excluded.area_m2'), updated_at: eb.ref('excluded.updated_at'),
      }))).execute();
    }
  },

  deleteGridsUnder(db: Db, scopePath: string) {
    const scope = subtreeRange(scopePath);
    return db.deleteFrom('org_units').where('level', '=', 'grid').where('path', '>=', scope.from).where('path', '<', scope.to).execute();
  },
};
