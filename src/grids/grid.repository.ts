import type { Db } from '../db/database.js';
import type { GridShapeTable, OrgOutlineTable, OrgUnitTable } from '../db/tables.js';
import { subtreeRange } from '../db/dialect.js';
import { areaM2, polygonsOf, type BBox, type GridGeometry } from './geometry.js';

/** A grid unit with its shape, as stored. */
export interface GridShapeRow {
  code: string;
  name: string;
  parent_code: string | null;
  path: string;
  geometry: string;
}

const CHUNK = 200;

function chunks<T>(rows: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += CHUNK) out.push(rows.slice(i, i + CHUNK));
  return out;
}

/** Grid units (org_units level 'grid') and their polygons (grid_shapes). */
export const gridRepository = {
  /** The fingerprint of the grids the stored outlines were computed from, if any. */
  async outlineFingerprint(db: Db): Promise<string | undefined> {
    const row = await db.selectFrom('org_outlines').select('fingerprint').limit(1).executeTakeFirst();
    return row?.fingerprint;
  },

  /** Replaces every stored outline (call inside a transaction). */
  async replaceOutlines(db: Db, rows: OrgOutlineTable[]): Promise<void> {
    await db.deleteFrom('org_outlines').execute();
    for (const part of chunks(rows)) if (part.length) await db.insertInto('org_outlines').values(part).execute();
  },

  /** Areas of the given grids in m² (computed at import, from their shapes). */
  async gridAreas(db: Db, codes: string[]): Promise<{ code: string; areaM2: number }[]> {
    const out: { code: string; areaM2: number }[] = [];
    for (const part of chunks(codes)) {
      if (part.length === 0) continue;
      const rows = await db.selectFrom('grid_shapes').select(['code', 'geometry']).where('code', 'in', part).execute();
      for (const r of rows) out.push({ code: r.code, areaM2: areaM2(polygonsOf(JSON.parse(r.geometry) as GridGeometry)) });
    }
    return out;
  },

  /** Stored outlines of the given org units. */
  outlinesOf(db: Db, codes: string[]): Promise<OrgOutlineTable[]> {
    if (codes.length === 0) return Promise.resolve([]);
    return db.selectFrom('org_outlines').selectAll().where('code', 'in', codes).execute();
  },

  /** Grids with shapes inside `scopePath`'s subtree, ordered by code. */
  listShapes(db: Db, scopePath: string): Promise<GridShapeRow[]> {
    const scope = subtreeRange(scopePath);
    return db
      .selectFrom('org_units as o')
      .innerJoin('grid_shapes as s', 's.code', 'o.code')
      .select(['o.code', 'o.name', 'o.parent_code', 'o.path', 's.geometry'])
      .where('o.level', '=', 'grid')
      .where('o.path', '>=', scope.from)
      .where('o.path', '<', scope.to)
      .orderBy('o.code')
      .execute();
  },

  /** Grids whose box meets `box`, except those of the `excludeParents` communities. */
  listShapesInBox(db: Db, box: BBox, excludeParents: string[]): Promise<GridShapeRow[]> {
    let q = db
      .selectFrom('org_units as o')
      .innerJoin('grid_shapes as s', 's.code', 'o.code')
      .select(['o.code', 'o.name', 'o.parent_code', 'o.path', 's.geometry'])
      .where('s.min_lon', '<=', box.maxLon)
      .where('s.max_lon', '>=', box.minLon)
      .where('s.min_lat', '<=', box.maxLat)
      .where('s.max_lat', '>=', box.minLat);
    if (excludeParents.length > 0) q = q.where('o.parent_code', 'not in', excludeParents);
    return q.orderBy('o.code').execute();
  },

  /** Codes of the grids under the given communities. */
  async gridCodesOf(db: Db, communityCodes: string[]): Promise<{ code: string; parent_code: string | null }[]> {
    const out: { code: string; parent_code: string | null }[] = [];
    for (const part of chunks(communityCodes)) {
      out.push(...(await db.selectFrom('org_units').select(['code', 'parent_code']).where('level', '=', 'grid').where('parent_code', 'in', part).execute()));
    }
    return out;
  },

  /** Communities under the given parents (streets) that have no grid, ordered by code. */
  async communitiesWithoutGrids(db: Db, parentCodes: string[]): Promise<string[]> {
    const out: string[] = [];
    for (const part of chunks(parentCodes)) {
      const rows = await db
        .selectFrom('org_units as c')
        .select('c.code')
        .where('c.level', '=', 'community')
        .where('c.parent_code', 'in', part)
        .where(({ not, exists, selectFrom }) => not(exists(selectFrom('org_units as g').select('g.code').whereRef('g.parent_code', '=', 'c.code').where('g.level', '=', 'grid'))))
        .orderBy('c.code')
        .execute();
      out.push(...rows.map((r) => r.code));
    }
    return out.sort();
  },

  /** Inserts grid units and shapes, or updates name and shape of codes already there. */
  async upsert(db: Db, units: (Omit<OrgUnitTable, 'stat_code'> & { level: 'grid' })[], shapes: GridShapeTable[]): Promise<void> {
    for (const part of chunks(units)) {
      await db
        .insertInto('org_units')
        .values(part.map((u) => ({ ...u, stat_code: null })))
        .onConflict((oc) => oc.column('code').doUpdateSet((eb) => ({ name: eb.ref('excluded.name') })))
        .execute();
    }
    for (const part of chunks(shapes)) {
      await db
        .insertInto('grid_shapes')
        .values(part)
        .onConflict((oc) =>
          oc.column('code').doUpdateSet((eb) => ({
            geometry: eb.ref('excluded.geometry'),
            min_lon: eb.ref('excluded.min_lon'),
            min_lat: eb.ref('excluded.min_lat'),
            max_lon: eb.ref('excluded.max_lon'),
            max_lat: eb.ref('excluded.max_lat'),
            area_m2: eb.ref('excluded.area_m2'),
            updated_at: eb.ref('excluded.updated_at'),
          })),
        )
        .execute();
    }
  },

  /** Deletes grids (shape first, then unit). */
  async deleteGrids(db: Db, codes: string[]): Promise<void> {
    for (const part of chunks(codes)) {
      await db.deleteFrom('grid_shapes').where('code', 'in', part).execute();
      await db.deleteFrom('org_units').where('level', '=', 'grid').where('code', 'in', part).execute();
    }
  },

  /** Outlines imported with the org units (import-org-units), drawn instead of the union of grids. */
  importedBoundaries(db: Db) {
    return db.selectFrom('org_boundaries').select(['code', 'geometry', 'updated_at']).orderBy('code').execute();
  },
};
