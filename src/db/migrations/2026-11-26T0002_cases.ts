import { PostgresAdapter, sql, type Kysely } from 'kysely';

// Frozen in time: must not import application code. The closed loop's tables:
// cases (current state + SLA clock), case_events (append-only timeline), attachments,
// per-day KPI counters maintained in the same transaction as each transition, case numbers.

const KPI_COLUMNS = [
  'reported', 'registered', 'rejected', 'dispatched', 'dispatched_on_time', 'handled', 'handled_on_time', 'reworked',
  'closed', 'closed_on_time', 'should_close', 'overdue', 'handling_ms_sum', 'handling_count', 'voided', 'callbacks',
  'contacted', 'solved', 'satisfied', 'basically_satisfied', 'dissatisfied',
];

export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const id = (t: any) => (pg ? t.addColumn('id', 'serial', (c: any) => c.primaryKey()) : t.addColumn('id', 'integer', (c: any) => c.primaryKey().autoIncrement()));
  const pathType = pg ? sql`text collate "C"` : sql`text`;

  await id(db.schema.createTable('cases'))
    .addColumn('number', 'text', (c: any) => c.notNull().unique())
    .addColumn('city_code', 'text', (c: any) => c.notNull())
    .addColumn('workflow', 'text', (c: any) => c.notNull())
    .addColumn('status', 'text', (c: any) => c.notNull())
    .addColumn('previous_status', 'text')
    .addColumn('version', 'integer', (c: any) => c.notNull().defaultTo(1))
    .addColumn('category_id', 'integer', (c: any) => c.notNull().references('categories.id'))
    .addColumn('category_code', 'text', (c: any) => c.notNull())
    .addColumn('class_code', 'text', (c: any) => c.notNull())
    .addColumn('channel', 'text', (c: any) => c.notNull())
    .addColumn('description', 'text', (c: any) => c.notNull())
    .addColumn('address', 'text')
    .addColumn('lon', 'double precision', (c: any) => c.notNull())
    .addColumn('lat', 'double precision', (c: any) => c.notNull())
    .addColumn('grid_code', 'text')
    .addColumn('community_code', 'text')
    .addColumn('street_code', 'text')
    .addColumn('district_code', 'text')
    // Path of the deepest org unit the case belongs to (its grid); scope = range scan on it.
    .addColumn('org_path', pathType, (c: any) => c.notNull())
    .addColumn('department_id', 'integer', (c: any) => c.references('departments.id'))
    .addColumn('routing_rule_id', 'integer')
    .addColumn('routing_explanation', 'text')
    .addColumn('priority', 'integer', (c: any) => c.notNull())
    .addColumn('reporter_name', 'text')
    .addColumn('reporter_phone', 'text')
    .addColumn('reporter_user_id', 'integer')
    .addColumn('created_by', 'text', (c: any) => c.notNull())
    .addColumn('private', 'integer', (c: any) => c.notNull().defaultTo(0))
    // SLA clock of the current stage.
    .addColumn('stage', 'text')
    .addColumn('stage_started_at', 'text')
    // JSON StageClock {startedAt, limit, pausedMs, suspendedAt, extendedDeadline} of the stage and of the whole case.
    .addColumn('stage_clock', 'text')
    .addColumn('stage_deadline', 'text')
    .addColumn('case_clock', 'text')
    .addColumn('suspended_at', 'text')
    .addColumn('light', 'text', (c: any) => c.notNull().defaultTo('none'))
    // When the light will next change; the sweeper reads only cases whose instant has passed.
    .addColumn('next_light_at', 'text')
    .addColumn('deadline', 'text')
    .addColumn('extension_count', 'integer', (c: any) => c.notNull().defaultTo(0))
    .addColumn('pending_extension', 'text')
    .addColumn('overdue_stages', 'integer', (c: any) => c.notNull().defaultTo(0))
    .addColumn('escalation_level', 'integer', (c: any) => c.notNull().defaultTo(0))
    .addColumn('supervised', 'integer', (c: any) => c.notNull().defaultTo(0))
    .addColumn('supervise_note', 'text')
    .addColumn('parent_case_id', 'integer', (c: any) => c.references('cases.id'))
    .addColumn('rework_count', 'integer', (c: any) => c.notNull().defaultTo(0))
    .addColumn('registered_at', 'text')
    .addColumn('dispatched_at', 'text')
    .addColumn('handled_at', 'text')
    .addColumn('closed_at', 'text')
    .addColumn('callback_contacted', 'integer')
    .addColumn('callback_solved', 'integer')
    .addColumn('callback_satisfaction', 'text')
    .addColumn('idempotency_key', 'text', (c: any) => c.unique())
    .addColumn('client_request_id', 'text')
    .addColumn('attributes', 'text', (c: any) => c.notNull().defaultTo('{}'))
    .addColumn('created_at', 'text', (c: any) => c.notNull())
    .addColumn('updated_at', 'text', (c: any) => c.notNull())
    .execute();
  await db.schema.createIndex('cases_org_path_idx').on('cases').columns(['org_path', 'created_at']).execute();
  await db.schema.createIndex('cases_created_idx').on('cases').column('created_at').execute();
  await db.schema.createIndex('cases_updated_idx').on('cases').column('updated_at').execute();
  await db.schema.createIndex('cases_status_idx').on('cases').column('status').execute();
  await db.schema.createIndex('cases_next_light_idx').on('cases').column('next_light_at').execute();
  await db.schema.createIndex('cases_dup_idx').on('cases').columns(['category_code', 'created_at']).execute();
  await db.schema.createIndex('cases_parent_idx').on('cases').column('parent_case_id').execute();

  await id(db.schema.createTable('case_events'))
    .addColumn('case_id', 'integer', (c: any) => c.notNull().references('cases.id'))
    .addColumn('seq', 'integer', (c: any) => c.notNull())
    .addColumn('at', 'text', (c: any) => c.notNull())
    .addColumn('actor_kind', 'text', (c: any) => c.notNull())
    .addColumn('actor_id', 'integer', (c: any) => c.notNull())
    .addColumn('actor_name', 'text', (c: any) => c.notNull())
    .addColumn('actor_role', 'text', (c: any) => c.notNull())
    .addColumn('action', 'text', (c: any) => c.notNull())
    .addColumn('from_status', 'text')
    .addColumn('to_status', 'text')
    .addColumn('note', 'text')
    .addColumn('data', 'text', (c: any) => c.notNull().defaultTo('{}'))
    .execute();
  await db.schema.createIndex('case_events_seq_idx').on('case_events').columns(['case_id', 'seq']).unique().execute();
  await db.schema.createIndex('case_events_at_idx').on('case_events').column('at').execute();
  // Timeline events are evidence: the database itself refuses to change or delete them.
  if (pg) {
    await sql`create function case_events_append_only() returns trigger language plpgsql as $$ begin raise exception 'case_events is append-only'; end $$`.execute(db);
    await sql`create trigger case_events_no_update before update or delete on case_events for each row execute function case_events_append_only()`.execute(db);
  } else {
    await sql`create trigger case_events_no_update before update on case_events begin select raise(abort, 'case_events is append-only'); end`.execute(db);
    await sql`create trigger case_events_no_delete before delete on case_events begin select raise(abort, 'case_events is append-only'); end`.execute(db);
  }

  await id(db.schema.createTable('case_attachments'))
    .addColumn('case_id', 'integer', (c: any) => c.notNull().references('cases.id'))
    .addColumn('sha256', 'text', (c: any) => c.notNull())
    .addColumn('mime', 'text', (c: any) => c.notNull())
    .addColumn('size', 'integer', (c: any) => c.notNull())
    .addColumn('filename', 'text', (c: any) => c.notNull())
    .addColumn('phase', 'text', (c: any) => c.notNull())
    .addColumn('uploaded_by', 'text', (c: any) => c.notNull())
    .addColumn('created_at', 'text', (c: any) => c.notNull())
    .execute();
  await db.schema.createIndex('case_attachments_case_idx').on('case_attachments').column('case_id').execute();

  let kpi = db.schema
    .createTable('kpi_daily')
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('org_code', 'text', (c) => c.notNull())
    .addColumn('org_path', pathType, (c) => c.notNull())
    // Ancestors of org_code, so that grouping by level is a plain GROUP BY on both dialects.
    .addColumn('district_code', 'text', (c) => c.notNull())
    .addColumn('street_code', 'text', (c) => c.notNull())
    .addColumn('community_code', 'text', (c) => c.notNull())
    .addColumn('category_code', 'text', (c) => c.notNull())
    .addColumn('class_code', 'text', (c) => c.notNull())
    // 0 = no department yet (keeps the unique key free of NULLs on both dialects).
    .addColumn('department_id', 'integer', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull());
  for (const col of KPI_COLUMNS) kpi = kpi.addColumn(col, 'bigint', (c) => c.notNull().defaultTo(0));
  await kpi.addPrimaryKeyConstraint('kpi_daily_pk', ['day', 'org_code', 'category_code', 'department_id', 'channel']).execute();
  await db.schema.createIndex('kpi_daily_path_idx').on('kpi_daily').columns(['org_path', 'day']).execute();
  await db.schema.createIndex('kpi_daily_dept_idx').on('kpi_daily').columns(['department_id', 'day']).execute();

  await db.schema
    .createTable('case_number_counters')
    .addColumn('prefix', 'text', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('last', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('case_number_counters_pk', ['prefix', 'day'])
    .execute();

  await id(db.schema.createTable('notifications'))
    .addColumn('case_id', 'integer', (c: any) => c.notNull().references('cases.id'))
    .addColumn('org_code', 'text', (c: any) => c.notNull())
    .addColumn('role', 'text', (c: any) => c.notNull())
    .addColumn('kind', 'text', (c: any) => c.notNull())
    .addColumn('message', 'text', (c: any) => c.notNull())
    .addColumn('created_at', 'text', (c: any) => c.notNull())
    .addColumn('read_at', 'text')
    .execute();
  await db.schema.createIndex('notifications_org_idx').on('notifications').columns(['org_code', 'created_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['notifications', 'case_number_counters', 'kpi_daily', 'case_attachments', 'case_events', 'cases']) await db.schema.dropTable(t).execute();
}
