import type { Kysely } from 'kysely';

// Frozen in time: must not import application code.
//
// kpi_rollup is read by unit (its primary key leads with org_code), and the reads of a unit's
// children or of one level of its subtree now name those units from org_units (by its parent and
// level indexes) and seek each unit's rows by the primary key. The two secondary indexes
// (parent_code …, org_level … org_path) went unused; every new roll-up row paid for two more
// b-tree inserts and they held about as many bytes as the table itself.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('kpi_rollup_parent_idx').execute();
  await db.schema.dropIndex('kpi_rollup_level_idx').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('kpi_rollup_parent_idx').on('kpi_rollup').columns(['parent_code', 'grain', 'period']).execute();
  await db.schema.createIndex('kpi_rollup_level_idx').on('kpi_rollup').columns(['org_level', 'grain', 'period', 'org_path']).execute();
}
