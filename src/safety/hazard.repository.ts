import type { Db } from '../db/database.js';
import { whereCaseInScope, type CaseScope } from '../cases/case.scope.js';

/** Hazard cases (workflow `hazard`) with the enterprise their finding's risk point belongs to, and their plan events. */
export const hazardRepository = {
  /** Hazards reported in [fromIso, toIso) in the scope, each with the enterprise of the risk point whose inspection found it. */
  listHazards(db: Db, scope: CaseScope, w: { fromIso: string; toIso: string }) {
    const q = db
      .selectFrom('cases')
      .leftJoin('patrol_findings as f', 'f.case_id', 'cases.id')
      .leftJoin('patrols as p', 'p.id', 'f.patrol_id')
      .leftJoin('risk_points as r', 'r.target_id', 'p.target_id')
      .select([
        'cases.id', 'cases.number', 'cases.status', 'cases.attributes', 'cases.created_at', 'cases.handled_at', 'cases.closed_at', 'cases.deadline',
        'cases.org_path', 'cases.department_id', 'r.enterprise_id as risk_enterprise_id',
      ])
      .where('cases.workflow', '=', 'hazard')
      .where('cases.created_at', '>=', w.fromIso)
      .where('cases.created_at', '<', w.toIso);
    return whereCaseInScope(q, scope).orderBy('cases.id').execute();
  },

  /** One hazard case in the scope, with its finding's risk point and enterprise (if an inspection found it). */
  findHazard(db: Db, scope: CaseScope, id: number) {
    const q = db
      .selectFrom('cases')
      .leftJoin('patrol_findings as f', 'f.case_id', 'cases.id')
      .leftJoin('patrols as p', 'p.id', 'f.patrol_id')
      .leftJoin('patrol_targets as t', 't.id', 'p.target_id')
      .leftJoin('risk_points as r', 'r.target_id', 'p.target_id')
      .selectAll('cases')
      .select(['f.patrol_id', 't.code as target_code', 'r.id as risk_point_id', 'r.name as risk_point_name', 'r.level as risk_level', 'r.enterprise_id as risk_enterprise_id'])
      .where('cases.workflow', '=', 'hazard')
      .where('cases.id', '=', id);
    return whereCaseInScope(q, scope).executeTakeFirst();
  },

  /** The 治理方案 submissions and progress reports of a case, oldest first. */
  planEvents(db: Db, caseId: number) {
    return db
      .selectFrom('case_events')
      .select(['at', 'action', 'actor_name', 'note', 'data'])
      .where('case_id', '=', caseId)
      .where('action', 'in', ['submit_plan', 'report_progress'])
      .orderBy('seq')
      .execute();
  },
};
