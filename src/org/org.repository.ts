import type { Db } from '../db/database.js';
import type { Insertable, Selectable } from 'kysely';
import { polygonsOf, type GridGeometry, type Polygons } from '../grids/geometry.js';
import type { OrgBoundaryTable, OrgLevel, OrgUnitTable } from '../db/tables.js';
import { subtreeRange } from '../db/dialect.js';

/** An org unit as the domain reads it (without bookkeeping columns). */
export type OrgUnitRow = Omit<Selectable<OrgUnitTable>, 'stat_code' | 'created_at'>;

const COLUMNS = ['code', 'name', 'level', 'parent_code', 'path', 'depth'] as const;

/**
 * Columns that name an org unit's code, table by table: a unit they name cannot be deleted (child
 * units are checked by the caller). test/org.replace.test.ts checks that every foreign key to
 * org_units (but org_units.parent_code and the unit's own outline rows) is listed here.
 */
export const ORG_CODE_REFERENCES: readonly (readonly [string, string])[] = [
  ['departments', 'org_code'], ['routing_rules', 'org_code'], ['users', 'org_code'], ['api_keys', 'org_code'],
  ['notifications', 'org_code'], ['patrol_targets', 'org_code'], ['patrol_plans', 'org_code'], ['enterprises', 'grid_code'], ['devices', 'grid_code'],
  ['kpi_rollup', 'org_code'], ['kpi_hours', 'org_code'],
];
/** Tables whose `org_path` places a row under a unit (and so under every unit above it). */
export const ORG_PATH_REFERENCES: readonly string[] = ['cases', 'patrols', 'alarm_rules'];

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

  /** Units strictly below each of these paths (any level), deepest first. */
  async under(db: Db, paths: string[]): Promise<OrgUnitRow[]> {
    const found = new Map<string, OrgUnitRow>();
    for (const p of new Set(paths)) {
      const scope = subtreeRange(p);
      for (const u of await db.selectFrom('org_units').select(COLUMNS).where('path', '>', scope.from).where('path', '<', scope.to).execute()) found.set(u.code, u);
    }
    return [...found.values()].sort((a, b) => b.depth - a.depth || (a.code < b.code ? -1 : 1));
  },

  /**
   * What still points at these units, per unit code: rows naming the unit's code
   * (ORG_CODE_REFERENCES) and rows whose org path lies in its subtree (ORG_PATH_REFERENCES), as
   * "N table" strings. Units with nothing pointing at them are absent from the map.
   */
  async usage(db: Db, units: Pick<OrgUnitRow, 'code' | 'path'>[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    const note = (code: string, n: number, what: string) => {
      if (n > 0) out.set(code, [...(out.get(code) ?? []), `${n} ${what}`]);
    };
    const codes = units.map((u) => u.code);
    for (const [table, column] of ORG_CODE_REFERENCES) {
      for (let i = 0; i < codes.length; i += 500) {
        const rows = await db.selectFrom(table as 'users').select([`${column} as org_code` as 'org_code', (eb) => eb.fn.countAll<number>().as('n')])
          .where(column as 'org_code', 'in', codes.slice(i, i + 500)).groupBy(column as 'org_code').execute();
        for (const r of rows) note(r.org_code as string, Number(r.n), `${table}.${column}`);
      }
    }
    for (const table of ORG_PATH_REFERENCES) {
      for (const u of units) {
        const scope = subtreeRange(u.path);
        const r = await db.selectFrom(table as 'cases').select((eb) => eb.fn.countAll<number>().as('n')).where('org_path', '>=', scope.from).where('org_path', '<', scope.to).executeTakeFirstOrThrow();
        note(u.code, Number(r.n), table);
      }
    }
    return out;
  },

  /** Deletes these units and their outlines and grid shapes; children must go first (pass them deepest first). */
  async deleteUnits(db: Db, codes: string[]): Promise<void> {
    for (let i = 0; i < codes.length; i += 500) {
      const chunk = codes.slice(i, i + 500);
      await db.deleteFrom('org_boundaries').where('code', 'in', chunk).execute();
      await db.deleteFrom('grid_shapes').where('code', 'in', chunk).execute();
    }
    // One unit at a time in the order given: a parent's row goes after its children's.
    for (const code of codes) await db.deleteFrom('org_units').where('code', '=', code).execute();
  },

  deleteGridsUnder(db: Db, scopePath: string) {
    const scope = subtreeRange(scopePath);
    return db.deleteFrom('org_units').where('level', '=', 'grid').where('path', '>=', scope.from).where('path', '<', scope.to).execute();
  },
};
