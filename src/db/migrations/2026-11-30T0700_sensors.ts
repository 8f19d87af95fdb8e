import { PostgresAdapter, sql, type Kysely } from 'kysely';

// Frozen in time: must not import application code. 城市运行监测: device kinds (data, so a city
// adds its own), the device register, raw readings keyed (device, metric, ts) so that a replayed
// message inserts nothing, hourly/daily rollups maintained in the reading's transaction, the
// dead-letter list of refused payloads, alarm rules and the per (rule, device) alarm state that
// ties a firing to its one open case.

export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const id = (t: any) => (pg ? t.addColumn('id', 'serial', (c: any) => c.primaryKey()) : t.addColumn('id', 'integer', (c: any) => c.primaryKey().autoIncrement()));
  const pathType = pg ? sql`text collate "C"` : sql`text`;

  await db.schema.createTable('device_kinds')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    // JSON array of the metric names a device of this kind may send.
    .addColumn('metrics', 'text', (c) => c.notNull())
    // The local category of the cases its alarms open (感知告警 LGZ…).
    .addColumn('alarm_category', 'text', (c) => c.notNull())
    .addColumn('builtin', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema.createTable('devices')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull().references('device_kinds.code'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('lon', 'double precision', (c) => c.notNull())
    .addColumn('lat', 'double precision', (c) => c.notNull())
    .addColumn('grid_code', 'text', (c) => c.notNull())
    .addColumn('org_path', pathType, (c) => c.notNull())
    .addColumn('department_id', 'integer', (c) => c.references('departments.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attributes', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('last_seen_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('devices_org_path_idx').on('devices').column('org_path').execute();
  await db.schema.createIndex('devices_kind_idx').on('devices').column('kind').execute();

  await db.schema.createTable('readings')
    .addColumn('device_id', 'text', (c) => c.notNull())
    .addColumn('metric', 'text', (c) => c.notNull())
    .addColumn('ts', 'text', (c) => c.notNull())
    .addColumn('value', 'double precision', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('readings_pk', ['device_id', 'metric', 'ts'])
    .execute();
  await db.schema.createIndex('readings_received_idx').on('readings').column('received_at').execute();

  await db.schema.createTable('reading_rollups')
    .addColumn('device_id', 'text', (c) => c.notNull())
    .addColumn('metric', 'text', (c) => c.notNull())
    // 'hour' or 'day' (the city's calendar day); bucket is the period's start, ISO-8601 UTC.
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('bucket', 'text', (c) => c.notNull())
    .addColumn('n', 'integer', (c) => c.notNull())
    .addColumn('sum', 'double precision', (c) => c.notNull())
    .addColumn('min', 'double precision', (c) => c.notNull())
    .addColumn('max', 'double precision', (c) => c.notNull())
    .addPrimaryKeyConstraint('reading_rollups_pk', ['device_id', 'metric', 'period', 'bucket'])
    .execute();
  await db.schema.createIndex('reading_rollups_bucket_idx').on('reading_rollups').columns(['period', 'bucket']).execute();

  await id(db.schema.createTable('reading_dead_letters'))
    .addColumn('received_at', 'text', (c: any) => c.notNull())
    .addColumn('source', 'text', (c: any) => c.notNull())
    .addColumn('topic', 'text')
    .addColumn('device_id', 'text')
    .addColumn('reason', 'text', (c: any) => c.notNull())
    .addColumn('payload', 'text', (c: any) => c.notNull())
    .execute();
  await db.schema.createIndex('reading_dead_letters_device_idx').on('reading_dead_letters').column('device_id').execute();

  await id(db.schema.createTable('alarm_rules'))
    // threshold | rate | offline
    .addColumn('type', 'text', (c: any) => c.notNull())
    .addColumn('device_id', 'text', (c: any) => c.references('devices.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c: any) => c.references('device_kinds.code'))
    .addColumn('metric', 'text')
    .addColumn('op', 'text')
    .addColumn('threshold', 'double precision')
    .addColumn('for_minutes', 'integer', (c: any) => c.notNull().defaultTo(0))
    .addColumn('category_code', 'text', (c: any) => c.notNull())
    // The area of whoever wrote the rule: a kind rule applies to that kind's devices there only.
    .addColumn('org_path', pathType, (c: any) => c.notNull())
    .addColumn('enabled', 'integer', (c: any) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c: any) => c.notNull())
    .addColumn('updated_at', 'text', (c: any) => c.notNull())
    .execute();

  await db.schema.createTable('alarm_states')
    .addColumn('rule_id', 'integer', (c) => c.notNull().references('alarm_rules.id').onDelete('cascade'))
    .addColumn('device_id', 'text', (c) => c.notNull().references('devices.id').onDelete('cascade'))
    // normal | pending (condition true, waiting for forMinutes) | firing
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('since', 'text')
    .addColumn('case_id', 'integer', (c) => c.references('cases.id'))
    .addColumn('last_value', 'double precision')
    .addColumn('last_ts', 'text')
    .addColumn('firings', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('alarm_states_pk', ['rule_id', 'device_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['alarm_states', 'alarm_rules', 'reading_dead_letters', 'reading_rollups', 'readings', 'devices', 'device_kinds']) await db.schema.dropTable(t).execute();
}
