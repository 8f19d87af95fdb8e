import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Db } from '../db/database.js';
import { subtreeRange } from '../db/dialect.js';
import type { PatrolPhotoTable, PatrolPlanTable, PatrolPointTable, PatrolTable, PatrolTargetTable } from '../db/tables.js';

export type TargetRow = Selectable<PatrolTargetTable>;
export type PlanRow = Selectable<PatrolPlanTable> & { target_code: string; target_name: string; target_path: string; assignee_name: string | null; org_name: string };
export type PatrolRow = Selectable<PatrolTable> & { target_code: string; target_name: string; person: string; user_role: string };
export type PointRow = Selectable<PatrolPointTable>;

/** Half-open subtree test on a materialised-path column. */
const inSubtree = (path: string) => subtreeRange(path);

/** Patrol targets, plans, records, their points and findings. Every list takes the scope's org path. */
export const patrolRepository = {
  findTargetByCode(db: Db, code: string): Promise<TargetRow | undefined> {
    return db.selectFrom('patrol_targets').selectAll().where('code', '=', code).executeTakeFirst();
  },

  findTargetById(db: Db, id: number): Promise<TargetRow | undefined> {
    return db.selectFrom('patrol_targets').selectAll().where('id', '=', id).executeTakeFirst();
  },

  async insertTarget(db: Db, row: Insertable<PatrolTargetTable>): Promise<number> {
    const r = await db.insertInto('patrol_targets').values(row).returning('id').executeTakeFirstOrThrow();
    return r.id;
  },

  listTargets(db: Db, scopePath: string, filter: { kind?: string }) {
    const r = inSubtree(scopePath);
    let q = db.selectFrom('patrol_targets').selectAll().where('org_path', '>=', r.from).where('org_path', '<', r.to).where('active', '=', 1);
    if (filter.kind) q = q.where('kind', '=', filter.kind as TargetRow['kind']);
    return q.orderBy('code').execute();
  },

  async insertPlan(db: Db, row: Insertable<PatrolPlanTable>): Promise<number> {
    const r = await db.insertInto('patrol_plans').values(row).returning('id').executeTakeFirstOrThrow();
    return r.id;
  },

  /** Active plans whose target lies in the subtree of `scopePath`, optionally of one kind or target. */
  listPlans(db: Db, scopePath: string, filter: { kind?: string; targetId?: number; planId?: number }): Promise<PlanRow[]> {
    const r = inSubtree(scopePath);
    let q = db
      .selectFrom('patrol_plans as p')
      .innerJoin('patrol_targets as t', 't.id', 'p.target_id')
      .innerJoin('org_units as o', 'o.code', 'p.org_code')
      .leftJoin('users as u', 'u.id', 'p.assignee_user_id')
      .selectAll('p')
      .select(['t.code as target_code', 't.name as target_name', 't.org_path as target_path', 'u.display_name as assignee_name', 'o.name as org_name'])
      .where('t.org_path', '>=', r.from)
      .where('t.org_path', '<', r.to)
      .where('p.active', '=', 1);
    if (filter.kind) q = q.where('p.kind', '=', filter.kind);
    if (filter.targetId !== undefined) q = q.where('p.target_id', '=', filter.targetId);
    if (filter.planId !== undefined) q = q.where('p.id', '=', filter.planId);
    return q.orderBy('t.code').orderBy('p.id').execute();
  },

  updatePlan(db: Db, id: number, patch: Updateable<PatrolPlanTable>) {
    return db.updateTable('patrol_plans').set(patch).where('id', '=', id).execute();
  },

  /** Makes a role plan a person's (the demo names its river chiefs). */
  assignPlan(db: Db, planId: number, userId: number, at: string) {
    return db.updateTable('patrol_plans').set({ assignee_user_id: userId, updated_at: at }).where('id', '=', planId).execute();
  },

  /** Moves the first day of every plan starting after `date` back to it (the demo's plans start with its history). */
  backdatePlans(db: Db, date: string) {
    return db.updateTable('patrol_plans').set({ starts_on: date }).where('starts_on', '>', date).execute();
  },

  /** The latest water-quality class of reaches (kept by water/reach.quality.ts from their stations' samples). */
  reachQuality(db: Db, codes: string[]) {
    if (codes.length === 0) return Promise.resolve([]);
    return db.selectFrom('reach_quality_states').select(['reach_code', 'state', 'last_class', 'last_ts']).where('reach_code', 'in', codes).execute();
  },

  findPatrolByClientId(db: Db, userId: number, clientId: string) {
    return db.selectFrom('patrols').selectAll().where('user_id', '=', userId).where('client_id', '=', clientId).executeTakeFirst();
  },

  async insertPatrol(db: Db, row: Insertable<PatrolTable>): Promise<number> {
    const r = await db.insertInto('patrols').values(row).returning('id').executeTakeFirstOrThrow();
    return r.id;
  },

  updatePatrol(db: Db, id: number, patch: Updateable<PatrolTable>) {
    return db.updateTable('patrols').set(patch).where('id', '=', id).execute();
  },

  /** Adds points; a point whose time the patrol already has is ignored (batches are idempotent). */
  async addPoints(db: Db, patrolId: number, points: { t: string; lon: number; lat: number }[]): Promise<void> {
    for (let i = 0; i < points.length; i += 300) {
      const chunk = points.slice(i, i + 300).map((p) => ({ patrol_id: patrolId, ...p }));
      await db.insertInto('patrol_points').values(chunk).onConflict((oc) => oc.columns(['patrol_id', 't']).doNothing()).execute();
    }
  },

  points(db: Db, patrolId: number): Promise<PointRow[]> {
    return db.selectFrom('patrol_points').selectAll().where('patrol_id', '=', patrolId).orderBy('t').execute();
  },

  linkFinding(db: Db, patrolId: number, caseId: number, at: string) {
    return db.insertInto('patrol_findings').values({ patrol_id: patrolId, case_id: caseId, created_at: at }).onConflict((oc) => oc.column('case_id').doNothing()).execute();
  },

  /** Records a photo of a patrol; the same content on the same patrol again returns the first row's id. */
  async insertPhoto(db: Db, row: Insertable<PatrolPhotoTable>): Promise<{ id: number; created: boolean }> {
    const inserted = await db.insertInto('patrol_photos').values(row).onConflict((oc) => oc.columns(['patrol_id', 'sha256']).doNothing()).returning('id').executeTakeFirst();
    if (inserted) return { id: inserted.id, created: true };
    const first = await db.selectFrom('patrol_photos').select('id').where('patrol_id', '=', row.patrol_id).where('sha256', '=', row.sha256).executeTakeFirstOrThrow();
    return { id: first.id, created: false };
  },

  photos(db: Db, patrolId: number) {
    return db.selectFrom('patrol_photos').selectAll().where('patrol_id', '=', patrolId).orderBy('id').execute();
  },

  findPhoto(db: Db, patrolId: number, photoId: number) {
    return db.selectFrom('patrol_photos').selectAll().where('patrol_id', '=', patrolId).where('id', '=', photoId).executeTakeFirst();
  },

  findings(db: Db, patrolIds: number[]) {
    if (patrolIds.length === 0) return Promise.resolve([]);
    return db
      .selectFrom('patrol_findings as f')
      .innerJoin('cases as c', 'c.id', 'f.case_id')
      .select(['f.patrol_id', 'c.id', 'c.number', 'c.status', 'c.category_code', 'c.description'])
      .where('f.patrol_id', 'in', patrolIds)
      .orderBy('c.id')
      .execute();
  },

  /** Patrols in the subtree of `scopePath` that started in [fromIso, toIso), filtered, newest first. */
  listPatrols(db: Db, scopePath: string, f: { fromIso: string; toIso: string; kind?: string; targetIds?: number[]; userId?: number; id?: number; limit?: number; offset?: number }): Promise<PatrolRow[]> {
    const r = inSubtree(scopePath);
    let q = db
      .selectFrom('patrols as p')
      .innerJoin('patrol_targets as t', 't.id', 'p.target_id')
      .innerJoin('users as u', 'u.id', 'p.user_id')
      .selectAll('p')
      .select(['t.code as target_code', 't.name as target_name', 'u.display_name as person', 'u.role as user_role'])
      .where('p.org_path', '>=', r.from)
      .where('p.org_path', '<', r.to)
      .where('p.started_at', '>=', f.fromIso)
      .where('p.started_at', '<', f.toIso);
    if (f.kind) q = q.where('p.kind', '=', f.kind);
    if (f.targetIds) q = f.targetIds.length ? q.where('p.target_id', 'in', f.targetIds) : q.where('p.id', '=', -1);
    if (f.userId !== undefined) q = q.where('p.user_id', '=', f.userId);
    if (f.id !== undefined) q = q.where('p.id', '=', f.id);
    q = q.orderBy('p.started_at', 'desc').orderBy('p.id', 'desc');
    if (f.limit !== undefined) q = q.limit(f.limit).offset(f.offset ?? 0);
    return q.execute();
  },

  findUser(db: Db, id: number) {
    return db.selectFrom('users').select(['id', 'org_code', 'display_name']).where('id', '=', id).executeTakeFirst();
  },

  /** The org paths of users, for role plans (a role at an org unit: anybody of that role under it). */
  userPaths(db: Db, userIds: number[]) {
    if (userIds.length === 0) return Promise.resolve([]);
    return db.selectFrom('users as u').innerJoin('org_units as o', 'o.code', 'u.org_code').select(['u.id', 'o.path']).where('u.id', 'in', userIds).execute();
  },
};
