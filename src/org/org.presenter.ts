import type { OrgUnitRow } from './org.repository.js';

export function presentOrgUnit(row: Pick<OrgUnitRow, 'code' | 'name' | 'level' | 'parent_code'>) {
  return { code: row.code, name: row.name, level: row.level, parentCode: row.parent_code };
}
