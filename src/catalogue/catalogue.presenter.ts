import type { CategoryRow, DepartmentRow, RoutingRuleRow } from './catalogue.repository.js';
import type { LegacyCodeRow } from './legacy.repository.js';
import { categoryTimeLimits, toRoutingRule } from './catalogue.service.js';

export function presentCategory(row: CategoryRow) {
  return {
    id: row.id,
    code: row.code,
    kind: row.kind,
    standard: row.standard,
    classCode: row.class_code,
    className: row.class_name,
    name: row.name,
    nameEn: row.name_en,
    legacyCode: row.legacy_code,
    workflow: row.workflow,
    departmentCode: row.department_code,
    priority: row.priority,
    timeLimits: categoryTimeLimits(row),
    duplicateRadiusM: row.duplicate_radius_m,
    duplicateWindowH: row.duplicate_window_h,
    keywords: row.keywords,
    active: row.active === 1,
    retiredAt: row.retired_at,
  };
}

export function presentDepartment(row: DepartmentRow) {
  return { id: row.id, code: row.code, name: row.name, orgCode: row.org_code };
}

export function presentRoutingRule(row: RoutingRuleRow) {
  const { id, position, name, categoryCode, classCode, orgCode, channel, weekdays, timeFrom, timeTo, departmentCode } = toRoutingRule(row);
  return { id, position, name, categoryCode, classCode, orgCode, channel, weekdays, timeFrom, timeTo, departmentCode, active: row.active === 1 };
}

export function presentLegacyCode(row: LegacyCodeRow) {
  return { scheme: row.scheme, legacyCode: row.legacy_code, legacyName: row.legacy_name, categoryCode: row.category_code, categoryName: row.category_name, note: row.note };
}
