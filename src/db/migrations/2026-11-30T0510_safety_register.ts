import { PostgresAdapter, sql, type Kysely } from 'kysely';

// Frozen in time: must not import application code. 双重预防: enterprises (统一社会信用代码, the
// grid they stand in, the supervising department) and their risk points, each a patrol target
// (kind safety) so inspections run through the shared patrol capability.

export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const id = (t: any) => (pg ? t.addColumn('id', 'serial', (c: any) => c.primaryKey()) : t.addColumn('id', 'integer', (c: any) => c.primaryKey().autoIncrement()));
  const pathType = pg ? sql`text collate "C"` : sql`text`;

  await id(db.schema.createTable('enterprises'))
    .addColumn('credit_code', 'text', (c: any) => c.notNull().unique())
    .addColumn('name', 'text', (c: any) => c.notNull())
    .addColumn('industry', 'text', (c: any) => c.notNull())
    .addColumn('address', 'text')
    .addColumn('lon', 'double precision', (c: any) => c.notNull())
    .addColumn('lat', 'double precision', (c: any) => c.notNull())
    .addColumn('grid_code', 'text', (c: any) => c.notNull().references('org_units.code'))
    .addColumn('org_path', pathType, (c: any) => c.notNull())
    .addColumn('department_code', 'text', (c: any) => c.references('departments.code'))
    .addColumn('created_at', 'text', (c: any) => c.notNull())
    .execute();
  await db.schema.createIndex('enterprises_scope_idx').on('enterprises').column('org_path').execute();

  await id(db.schema.createTable('risk_points'))
    .addColumn('enterprise_id', 'integer', (c: any) => c.notNull().references('enterprises.id'))
    .addColumn('target_id', 'integer', (c: any) => c.notNull().unique().references('patrol_targets.id'))
    .addColumn('name', 'text', (c: any) => c.notNull())
    .addColumn('method', 'text', (c: any) => c.notNull())
    .addColumn('assessment', 'text', (c: any) => c.notNull())
    .addColumn('score', 'double precision')
    .addColumn('level', 'text', (c: any) => c.notNull().check(sql`level in ('red','orange','yellow','blue')`))
    .addColumn('control_level', 'text', (c: any) => c.notNull())
    .addColumn('measures', 'text', (c: any) => c.notNull())
    .addColumn('created_at', 'text', (c: any) => c.notNull())
    .execute();
  await db.schema.createIndex('risk_points_enterprise_idx').on('risk_points').column('enterprise_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('risk_points').execute();
  await db.schema.dropTable('enterprises').execute();
}
