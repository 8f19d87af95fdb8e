import { PostgresAdapter, type Kysely } from 'kysely';

// Frozen in time: must not import application code. 重污染天气: the response plan (per warning
// level, the departments and their tasks with a deadline), the warnings (黄/橙/红, issued by a
// user or by the rule on forecast and measured AQI, upgraded, lifted) and each warning's tasks,
// each a case for its department.

export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const id = (t: any) => (pg ? t.addColumn('id', 'serial', (c: any) => c.primaryKey()) : t.addColumn('id', 'integer', (c: any) => c.primaryKey().autoIncrement()));

  await id(db.schema.createTable('pollution_response_plan'))
    // yellow | orange | red: the lowest level the task applies at (higher levels include it).
    .addColumn('level', 'text', (c: any) => c.notNull())
    .addColumn('department_code', 'text', (c: any) => c.notNull())
    .addColumn('task', 'text', (c: any) => c.notNull())
    .addColumn('deadline_hours', 'integer', (c: any) => c.notNull())
    .addColumn('position', 'integer', (c: any) => c.notNull())
    .execute();

  await id(db.schema.createTable('pollution_warnings'))
    .addColumn('level', 'text', (c: any) => c.notNull())
    // active | lifted
    .addColumn('status', 'text', (c: any) => c.notNull())
    // manual | rule
    .addColumn('trigger', 'text', (c: any) => c.notNull())
    .addColumn('reason', 'text', (c: any) => c.notNull())
    .addColumn('lon', 'double precision', (c: any) => c.notNull())
    .addColumn('lat', 'double precision', (c: any) => c.notNull())
    .addColumn('issued_by', 'text', (c: any) => c.notNull())
    .addColumn('issued_at', 'text', (c: any) => c.notNull())
    .addColumn('upgraded_at', 'text')
    .addColumn('lifted_by', 'text')
    .addColumn('lifted_at', 'text')
    .addColumn('lift_note', 'text')
    .execute();

  await id(db.schema.createTable('pollution_warning_tasks'))
    .addColumn('warning_id', 'integer', (c: any) => c.notNull().references('pollution_warnings.id'))
    .addColumn('level', 'text', (c: any) => c.notNull())
    .addColumn('department_code', 'text', (c: any) => c.notNull())
    .addColumn('task', 'text', (c: any) => c.notNull())
    .addColumn('due_at', 'text', (c: any) => c.notNull())
    .addColumn('case_id', 'integer', (c: any) => c.notNull().references('cases.id'))
    .execute();
  await db.schema.createIndex('pollution_warning_tasks_warning_idx').on('pollution_warning_tasks').column('warning_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['pollution_warning_tasks', 'pollution_warnings', 'pollution_response_plan']) await db.schema.dropTable(t).execute();
}
