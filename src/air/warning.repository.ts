import type { Insertable, Updateable } from 'kysely';
import type { Db } from '../db/database.js';
import type { PollutionWarningTable, WarningTaskTable } from './warning.tables.js';
import type { PlanTask } from './warning.plan.js';

/** 重污染天气: the response plan, warnings and their tasks. All their SQL lives here. */
export const warningRepository = {
  async seedPlanIfEmpty(db: Db, plan: readonly PlanTask[]): Promise<void> {
    const any = await db.selectFrom('pollution_response_plan').select('id').limit(1).executeTakeFirst();
    if (!any) await warningRepository.replacePlan(db, plan);
  },

  async replacePlan(db: Db, plan: readonly PlanTask[]): Promise<void> {
    await db.deleteFrom('pollution_response_plan').execute();
    if (plan.length === 0) return;
    await db.insertInto('pollution_response_plan').values(plan.map((t, i) => ({ level: t.level, department_code: t.departmentCode, task: t.task, deadline_hours: t.deadlineHours, position: i }))).execute();
  },

  plan(db: Db) {
    return db.selectFrom('pollution_response_plan').selectAll().orderBy('position').execute();
  },

  active(db: Db) {
    return db.selectFrom('pollution_warnings').selectAll().where('status', '=', 'active').orderBy('id', 'desc').executeTakeFirst();
  },

  find(db: Db, id: number) {
    return db.selectFrom('pollution_warnings').selectAll().where('id', '=', id).executeTakeFirst();
  },

  /** When the latest lift happened (null before any). */
  async lastLiftedAt(db: Db): Promise<string | null> {
    const row = await db.selectFrom('pollution_warnings').select('lifted_at').where('lifted_at', 'is not', null).orderBy('lifted_at', 'desc').limit(1).executeTakeFirst();
    return row?.lifted_at ?? null;
  },

  list(db: Db, limit: number) {
    return db.selectFrom('pollution_warnings').selectAll().orderBy('id', 'desc').limit(limit).execute();
  },

  async insert(db: Db, row: Insertable<PollutionWarningTable>): Promise<number> {
    const { id } = await db.insertInto('pollution_warnings').values(row).returning('id').executeTakeFirstOrThrow();
    return id;
  },

  async update(db: Db, id: number, patch: Updateable<PollutionWarningTable>): Promise<void> {
    await db.updateTable('pollution_warnings').set(patch).where('id', '=', id).execute();
  },

  async insertTask(db: Db, row: Insertable<WarningTaskTable>): Promise<void> {
    await db.insertInto('pollution_warning_tasks').values(row).execute();
  },

  /** A warning's tasks with their cases' status (for completion). */
  tasks(db: Db, warningId: number) {
    return db
      .selectFrom('pollution_warning_tasks')
      .innerJoin('cases', 'cases.id', 'pollution_warning_tasks.case_id')
      .selectAll('pollution_warning_tasks')
      .select(['cases.number as case_number', 'cases.status as case_status', 'cases.workflow as case_workflow', 'cases.department_id as department_id'])
      .where('pollution_warning_tasks.warning_id', '=', warningId)
      .orderBy('pollution_warning_tasks.id')
      .execute();
  },

  /** The first active air station's place (where a warning's task cases are located by default). */
  firstAirStation(db: Db) {
    return db.selectFrom('devices').select(['lon', 'lat']).where('kind', '=', 'air_station').where('status', '=', 'active').orderBy('id').limit(1).executeTakeFirst();
  },
};
