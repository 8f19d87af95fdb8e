import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Db } from '../db/database.js';
import type { CategoryTable, DepartmentTable, RoutingRuleTable } from '../db/tables.js';

export type CategoryRow = Selectable<CategoryTable>;
export type NewCategory = Omit<Insertable<CategoryTable>, 'id'>;
export type DepartmentRow = Selectable<DepartmentTable>;
export type RoutingRuleRow = Selectable<RoutingRuleTable>;

export interface CategoryFilter {
  standard?: string;
  kind?: string;
  classCode?: string;
  workflow?: string;
  q?: string;
}

/** Categories, departments and routing rules. All catalogue SQL lives here. */
export const catalogueRepository = {
  async insertMissingCategories(db: Db, rows: NewCategory[]): Promise<void> {
    for (let i = 0; i < rows.length; i += 100) {
      await db
        .insertInto('categories')
        .values(rows.slice(i, i + 100))
        .onConflict((oc) => oc.columns(['standard', 'kind', 'code']).doNothing())
        .execute();
    }
  },

  async listCategories(db: Db, filter: CategoryFilter, page: { limit: number; offset: number }) {
    let q = db.selectFrom('categories').where('active', '=', 1);
    if (filter.standard) q = q.where('standard', '=', filter.standard);
    if (filter.kind) q = q.where('kind', '=', filter.kind as CategoryRow['kind']);
    if (filter.classCode) q = q.where('class_code', '=', filter.classCode);
    if (filter.workflow) q = q.where('workflow', '=', filter.workflow);
    if (filter.q) {
      const pattern = `%${filter.q.replace(/[%_\\]/g, '')}%`;
      q = q.where((eb) => eb.or([eb('name', 'like', pattern), eb('code', 'like', pattern), eb('class_name', 'like', pattern)]));
    }
    const [items, count] = await Promise.all([
      q.selectAll().orderBy('standard').orderBy('kind').orderBy('code').limit(page.limit).offset(page.offset).execute(),
      q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items, total: Number(count.n) };
  },

  /** Categories with this code, matters and local ones first (a 部件 code resolves to its 事项 twin). */
  findCategoriesByCode(db: Db, code: string): Promise<CategoryRow[]> {
    return db.selectFrom('categories').selectAll().where('code', '=', code).where('active', '=', 1).execute();
  },

  /** Categories with this code in any standard, retired ones included (codes stay taken). */
  findAnyByCode(db: Db, code: string): Promise<CategoryRow[]> {
    return db.selectFrom('categories').selectAll().where('code', '=', code).execute();
  },

  async findClassName(db: Db, classCode: string): Promise<string | undefined> {
    const row = await db.selectFrom('categories').select('class_name').where('class_code', '=', classCode).limit(1).executeTakeFirst();
    return row?.class_name;
  },

  async insertCategory(db: Db, row: NewCategory): Promise<number> {
    const { id } = await db.insertInto('categories').values(row).returning('id').executeTakeFirstOrThrow();
    return id;
  },

  async categoryInUse(db: Db, id: number): Promise<boolean> {
    return (await db.selectFrom('cases').select('id').where('category_id', '=', id).limit(1).executeTakeFirst()) !== undefined;
  },

  findCategoryById(db: Db, id: number) {
    return db.selectFrom('categories').selectAll().where('id', '=', id).executeTakeFirst();
  },

  updateCategory(db: Db, id: number, patch: Updateable<CategoryTable>) {
    return db.updateTable('categories').set(patch).where('id', '=', id).executeTakeFirst();
  },

  setDepartmentForCodes(db: Db, departmentCode: string, ids: number[]) {
    if (ids.length === 0) return Promise.resolve();
    return db.updateTable('categories').set({ department_code: departmentCode }).where('id', 'in', ids).execute();
  },

  listDepartments(db: Db, orgCodes?: string[]) {
    let q = db.selectFrom('departments').selectAll();
    if (orgCodes) q = q.where('org_code', 'in', orgCodes.length ? orgCodes : ['']);
    return q.orderBy('id').execute();
  },

  findDepartmentByCode(db: Db, code: string) {
    return db.selectFrom('departments').selectAll().where('code', '=', code).executeTakeFirst();
  },

  findDepartmentById(db: Db, id: number) {
    return db.selectFrom('departments').selectAll().where('id', '=', id).executeTakeFirst();
  },

  async departmentExists(db: Db, id: number): Promise<boolean> {
    return (await db.selectFrom('departments').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
  },

  async insertDepartment(db: Db, row: Insertable<DepartmentTable>): Promise<number> {
    const { id } = await db.insertInto('departments').values(row).returning('id').executeTakeFirstOrThrow();
    return id;
  },

  listRoutingRules(db: Db, activeOnly = false) {
    let q = db.selectFrom('routing_rules').selectAll();
    if (activeOnly) q = q.where('active', '=', 1);
    return q.orderBy('position').orderBy('id').execute();
  },

  findRoutingRule(db: Db, id: number) {
    return db.selectFrom('routing_rules').selectAll().where('id', '=', id).executeTakeFirst();
  },

  async insertRoutingRule(db: Db, row: Insertable<RoutingRuleTable>): Promise<number> {
    const { id } = await db.insertInto('routing_rules').values(row).returning('id').executeTakeFirstOrThrow();
    return id;
  },

  updateRoutingRule(db: Db, id: number, patch: Updateable<RoutingRuleTable>) {
    return db.updateTable('routing_rules').set(patch).where('id', '=', id).executeTakeFirst();
  },

  deleteRoutingRule(db: Db, id: number) {
    return db.deleteFrom('routing_rules').where('id', '=', id).executeTakeFirst();
  },

  async maxRulePosition(db: Db): Promise<number> {
    const row = await db.selectFrom('routing_rules').select((eb) => eb.fn.max('position').as('p')).executeTakeFirst();
    return Number(row?.p ?? 0);
  },
};
