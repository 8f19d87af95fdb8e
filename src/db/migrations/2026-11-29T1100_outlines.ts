import { type Kysely } from 'kysely';

// Frozen in time: must not import application code. Outlines of streets, communities, districts
// and the city as the union of their grids, computed when the grids change (not per request) and
// drawn by the big screen. `fingerprint` is a hash of the grid shapes they were computed from.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('org_outlines')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('geometry', 'text', (c) => c.notNull())
    .addColumn('area_m2', 'double precision', (c) => c.notNull())
    .addColumn('grid_count', 'integer', (c) => c.notNull())
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('org_outlines').execute();
}
