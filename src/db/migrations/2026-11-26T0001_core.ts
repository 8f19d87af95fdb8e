import { PostgresAdapter, sql, type Kysely } from 'kysely';

// Frozen in time: this migration must not import application code.
// Timestamps are ISO-8601 UTC text ("2026-11-26T08:00:00.000Z"): unambiguous, sortable, portable.
// Booleans are integers 0/1 on both dialects. Coordinates are double precision ('real' is only
// 4 bytes on PostgreSQL).

function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

export async function up(db: Kysely<any>): Promise<void> {
  const pg = isPostgres(db);
  const id = (t: any) => (pg ? t.addColumn('id', 'serial', (c: any) => c.primaryKey()) : t.addColumn('id', 'integer', (c: any) => c.primaryKey().autoIncrement()));
  // Paths are compared bytewise ('/' < '0') to select subtrees with a range scan.
  const pathType = pg ? sql`text collate "C"` : sql`text`;

  await db.schema
    .createTable('org_units')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('level', 'text', (c) => c.notNull().check(sql`level in ('city','district','street','community','grid')`))
    .addColumn('parent_code', 'text', (c) => c.references('org_units.code'))
    .addColumn('path', pathType, (c) => c.notNull().unique())
    .addColumn('depth', 'integer', (c) => c.notNull())
    .addColumn('stat_code', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('org_units_parent_idx').on('org_units').column('parent_code').execute();
  await db.schema.createIndex('org_units_level_idx').on('org_units').columns(['level', 'path']).execute();

  // Grid polygons: GeoJSON geometry (WGS84) plus a bounding box for coarse filtering.
  await db.schema
    .createTable('grid_shapes')
    .addColumn('code', 'text', (c) => c.primaryKey().references('org_units.code').onDelete('cascade'))
    .addColumn('geometry', 'text', (c) => c.notNull())
    .addColumn('min_lon', 'double precision', (c) => c.notNull())
    .addColumn('min_lat', 'double precision', (c) => c.notNull())
    .addColumn('max_lon', 'double precision', (c) => c.notNull())
    .addColumn('max_lat', 'double precision', (c) => c.notNull())
    .addColumn('area_m2', 'double precision', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await id(db.schema.createTable('departments'))
    .addColumn('code', 'text', (c: any) => c.notNull().unique())
    .addColumn('name', 'text', (c: any) => c.notNull())
    .addColumn('org_code', 'text', (c: any) => c.notNull().references('org_units.code'))
    .addColumn('created_at', 'text', (c: any) => c.notNull())
    .execute();

  await id(db.schema.createTable('categories'))
    .addColumn('code', 'text', (c: any) => c.notNull())
    .addColumn('kind', 'text', (c: any) => c.notNull().check(sql`kind in ('component','matter','local')`))
    .addColumn('standard', 'text', (c: any) => c.notNull())
    .addColumn('class_code', 'text', (c: any) => c.notNull())
    .addColumn('class_name', 'text', (c: any) => c.notNull())
    .addColumn('name', 'text', (c: any) => c.notNull())
    .addColumn('legacy_code', 'text')
    .addColumn('workflow', 'text', (c: any) => c.notNull())
    .addColumn('department_code', 'text', (c: any) => c.references('departments.code'))
    .addColumn('priority', 'integer', (c: any) => c.notNull().defaultTo(3))
    .addColumn('time_limits', 'text', (c: any) => c.notNull().defaultTo('{}'))
    .addColumn('duplicate_radius_m', 'integer', (c: any) => c.notNull().defaultTo(50))
    .addColumn('duplicate_window_h', 'integer', (c: any) => c.notNull().defaultTo(24))
    .addColumn('questions', 'text', (c: any) => c.notNull().defaultTo('[]'))
    .addColumn('keywords', 'text', (c: any) => c.notNull().defaultTo(''))
    .addColumn('active', 'integer', (c: any) => c.notNull().defaultTo(1))
    .addColumn('updated_at', 'text', (c: any) => c.notNull())
    .execute();
  await db.schema.createIndex('categories_key_idx').on('categories').columns(['standard', 'kind', 'code']).unique().execute();
  await db.schema.createIndex('categories_code_idx').on('categories').column('code').execute();

  await id(db.schema.createTable('routing_rules'))
    .addColumn('position', 'integer', (c: any) => c.notNull())
    .addColumn('name', 'text', (c: any) => c.notNull())
    .addColumn('category_code', 'text')
    .addColumn('class_code', 'text')
    .addColumn('org_code', 'text', (c: any) => c.references('org_units.code'))
    .addColumn('channel', 'text')
    .addColumn('weekdays', 'text')
    .addColumn('time_from', 'text')
    .addColumn('time_to', 'text')
    .addColumn('department_code', 'text', (c: any) => c.notNull().references('departments.code'))
    .addColumn('active', 'integer', (c: any) => c.notNull().defaultTo(1))
    .addColumn('updated_at', 'text', (c: any) => c.notNull())
    .execute();

  await id(db.schema.createTable('users'))
    .addColumn('username', 'text', (c: any) => c.notNull().unique())
    .addColumn('password_hash', 'text', (c: any) => c.notNull())
    .addColumn('display_name', 'text', (c: any) => c.notNull())
    .addColumn('role', 'text', (c: any) => c.notNull())
    .addColumn('org_code', 'text', (c: any) => c.notNull().references('org_units.code'))
    .addColumn('department_id', 'integer', (c: any) => c.references('departments.id'))
    .addColumn('phone', 'text')
    .addColumn('disabled', 'integer', (c: any) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c: any) => c.notNull())
    .execute();

  await db.schema
    .createTable('sessions')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();

  await id(db.schema.createTable('api_keys'))
    .addColumn('name', 'text', (c: any) => c.notNull())
    .addColumn('key_hash', 'text', (c: any) => c.notNull().unique())
    .addColumn('prefix', 'text', (c: any) => c.notNull())
    .addColumn('role', 'text', (c: any) => c.notNull())
    .addColumn('org_code', 'text', (c: any) => c.notNull().references('org_units.code'))
    .addColumn('created_at', 'text', (c: any) => c.notNull())
    .addColumn('revoked_at', 'text')
    .execute();

  // Working-day calendar: one row per date that differs from the Mon–Fri default or is known.
  await db.schema
    .createTable('calendar_days')
    .addColumn('date', 'text', (c) => c.primaryKey())
    .addColumn('is_workday', 'integer', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['calendar_days', 'api_keys', 'sessions', 'users', 'routing_rules', 'categories', 'departments', 'grid_shapes', 'org_units']) {
    await db.schema.dropTable(t).execute();
  }
}
