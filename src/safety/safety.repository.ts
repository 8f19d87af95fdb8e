import type { Insertable, Selectable } from 'kysely';
import type { Db } from '../db/database.js';
import { subtreeRange } from '../db/dialect.js';
import type { EnterpriseTable, RiskPointTable } from '../db/tables.js';

export type EnterpriseRow = Selectable<EnterpriseTable>;
export type RiskPointRow = Selectable<RiskPointTable> & { target_code: string };

/** Enterprises and their risk points, scoped by the enterprise's grid path. */
export const safetyRepository = {
  async insertEnterprise(db: Db, row: Insertable<EnterpriseTable>): Promise<number> {
    return (await db.insertInto('enterprises').values(row).returning('id').executeTakeFirstOrThrow()).id;
  },

  findEnterprise(db: Db, id: number): Promise<EnterpriseRow | undefined> {
    return db.selectFrom('enterprises').selectAll().where('id', '=', id).executeTakeFirst();
  },

  findEnterpriseByCreditCode(db: Db, code: string): Promise<EnterpriseRow | undefined> {
    return db.selectFrom('enterprises').selectAll().where('credit_code', '=', code).executeTakeFirst();
  },

  listEnterprises(db: Db, scopePath: string, filter: { department?: string; industry?: string }): Promise<EnterpriseRow[]> {
    const r = subtreeRange(scopePath);
    let q = db.selectFrom('enterprises').selectAll().where('org_path', '>=', r.from).where('org_path', '<', r.to);
    if (filter.department) q = q.where('department_code', '=', filter.department);
    if (filter.industry) q = q.where('industry', '=', filter.industry);
    return q.orderBy('name').orderBy('id').execute();
  },

  async insertRiskPoint(db: Db, row: Insertable<RiskPointTable>): Promise<number> {
    return (await db.insertInto('risk_points').values(row).returning('id').executeTakeFirstOrThrow()).id;
  },

  riskPoints(db: Db, enterpriseIds: number[]): Promise<RiskPointRow[]> {
    if (enterpriseIds.length === 0) return Promise.resolve([]);
    return db
      .selectFrom('risk_points as r')
      .innerJoin('patrol_targets as t', 't.id', 'r.target_id')
      .selectAll('r')
      .select('t.code as target_code')
      .where('r.enterprise_id', 'in', enterpriseIds)
      .orderBy('r.id')
      .execute();
  },

  countRiskPoints(db: Db, enterpriseId: number): Promise<number> {
    return db.selectFrom('risk_points').select((eb) => eb.fn.countAll<number>().as('n')).where('enterprise_id', '=', enterpriseId).executeTakeFirstOrThrow().then((r) => Number(r.n));
  },
};
