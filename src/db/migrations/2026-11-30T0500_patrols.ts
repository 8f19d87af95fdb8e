import { PostgresAdapter, sql, type Kysely } from 'kysely';

// Frozen in time: must not import application code. Patrols (巡查/巡河/隐患排查): a register of
// things to look after (patrol_targets: grids, river reaches, risk points, routes), plans saying
// who patrols which target how often, patrol records with their GPS points, and the cases their
// findings became. A target's `code` is stable (other areas, e.g. water quality per reach, refer
// to it). Points are keyed by (patrol, time): a batch sent twice adds nothing.

export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const id = (t: any) => (pg ? t.addColumn('id', 'serial', (c: any) => c.primaryKey()) : t.addColumn('id', 'integer', (c: any) => c.primaryKey().autoIncrement()));
  const pathType = pg ? sql`text collate "C"` : sql`text`;

  await id(db.schema.createTable('patrol_targets'))
    .addColumn('code', 'text', (c: any) => c.notNull().unique())
    .addColumn('kind', 'text', (c: any) => c.notNull().check(sql`kind in ('grid','river','safety','route')`))
    .addColumn('name', 'text', (c: any) => c.notNull())
    .addColumn('org_code', 'text', (c: any) => c.notNull().references('org_units.code'))
    .addColumn('org_path', pathType, (c: any) => c.notNull())
    .addColumn('geometry', 'text')
    .addColumn('attributes', 'text', (c: any) => c.notNull().defaultTo('{}'))
    .addColumn('active', 'integer', (c: any) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c: any) => c.notNull())
    .execute();
  await db.schema.createIndex('patrol_targets_scope_idx').on('patrol_targets').columns(['kind', 'org_path']).execute();

  await id(db.schema.createTable('patrol_plans'))
    .addColumn('target_id', 'integer', (c: any) => c.notNull().references('patrol_targets.id'))
    .addColumn('kind', 'text', (c: any) => c.notNull())
    .addColumn('assignee_user_id', 'integer', (c: any) => c.references('users.id'))
    .addColumn('assignee_role', 'text')
    .addColumn('org_code', 'text', (c: any) => c.notNull().references('org_units.code'))
    .addColumn('org_path', pathType, (c: any) => c.notNull())
    .addColumn('level', 'text')
    .addColumn('period', 'text', (c: any) => c.notNull())
    .addColumn('times', 'integer', (c: any) => c.notNull())
    .addColumn('min_duration_s', 'integer', (c: any) => c.notNull().defaultTo(0))
    .addColumn('min_distance_m', 'integer', (c: any) => c.notNull().defaultTo(0))
    .addColumn('min_coverage', 'double precision', (c: any) => c.notNull().defaultTo(0))
    .addColumn('starts_on', 'text', (c: any) => c.notNull())
    .addColumn('active', 'integer', (c: any) => c.notNull().defaultTo(1))
    .addColumn('note', 'text')
    .addColumn('created_at', 'text', (c: any) => c.notNull())
    .addColumn('updated_at', 'text', (c: any) => c.notNull())
    .addCheckConstraint('patrol_plans_assignee', sql`assignee_user_id is not null or assignee_role is not null`)
    .execute();
  await db.schema.createIndex('patrol_plans_scope_idx').on('patrol_plans').columns(['kind', 'org_path']).execute();
  await db.schema.createIndex('patrol_plans_target_idx').on('patrol_plans').column('target_id').execute();

  await id(db.schema.createTable('patrols'))
    .addColumn('client_id', 'text')
    .addColumn('plan_id', 'integer', (c: any) => c.references('patrol_plans.id'))
    .addColumn('target_id', 'integer', (c: any) => c.notNull().references('patrol_targets.id'))
    .addColumn('kind', 'text', (c: any) => c.notNull())
    .addColumn('user_id', 'integer', (c: any) => c.notNull().references('users.id'))
    .addColumn('org_path', pathType, (c: any) => c.notNull())
    .addColumn('started_at', 'text', (c: any) => c.notNull())
    .addColumn('ended_at', 'text')
    .addColumn('duration_s', 'integer', (c: any) => c.notNull().defaultTo(0))
    .addColumn('distance_m', 'double precision', (c: any) => c.notNull().defaultTo(0))
    .addColumn('coverage', 'double precision')
    .addColumn('max_speed_kmh', 'double precision', (c: any) => c.notNull().defaultTo(0))
    .addColumn('point_count', 'integer', (c: any) => c.notNull().defaultTo(0))
    .addColumn('flags', 'text', (c: any) => c.notNull().defaultTo('[]'))
    .addColumn('created_at', 'text', (c: any) => c.notNull())
    .addColumn('updated_at', 'text', (c: any) => c.notNull())
    .execute();
  await db.schema.createIndex('patrols_client_idx').on('patrols').columns(['user_id', 'client_id']).unique().execute();
  await db.schema.createIndex('patrols_target_idx').on('patrols').columns(['target_id', 'started_at']).execute();
  await db.schema.createIndex('patrols_scope_idx').on('patrols').columns(['org_path', 'started_at']).execute();

  await db.schema
    .createTable('patrol_points')
    .addColumn('patrol_id', 'integer', (c) => c.notNull().references('patrols.id'))
    .addColumn('t', 'text', (c) => c.notNull())
    .addColumn('lon', 'double precision', (c) => c.notNull())
    .addColumn('lat', 'double precision', (c) => c.notNull())
    .addPrimaryKeyConstraint('patrol_points_pk', ['patrol_id', 't'])
    .execute();

  await db.schema
    .createTable('patrol_findings')
    .addColumn('patrol_id', 'integer', (c) => c.notNull().references('patrols.id'))
    .addColumn('case_id', 'integer', (c) => c.notNull().unique().references('cases.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('patrol_findings_patrol_idx').on('patrol_findings').column('patrol_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['patrol_findings', 'patrol_points', 'patrols', 'patrol_plans', 'patrol_targets']) await db.schema.dropTable(t).execute();
}
