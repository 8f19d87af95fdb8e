import type { AppContext } from '../context.js';
import { warningRepository } from './warning.repository.js';
import type { WarningLevel } from './warning.tables.js';

export interface PlanTask { level: WarningLevel; departmentCode: string; task: string; deadlineHours: number }

/**
 * The response plan seeded on an empty table (a city edits it with PUT /pollution-response-plan):
 * each task applies at its level and above (a red warning also sets the yellow and orange tasks).
 * Department codes are the demo city's; a task whose department does not exist is routed by the
 * routing rules instead.
 */
export const DEFAULT_RESPONSE_PLAN: readonly PlanTask[] = [
  { level: 'yellow', departmentCode: 'ZJ', task: '施工工地停止土石方作业，裸土全部覆盖', deadlineHours: 6 },
  { level: 'yellow', departmentCode: 'HW', task: '道路洒水、清扫增加频次（每日不少于 4 次）', deadlineHours: 6 },
  { level: 'yellow', departmentCode: 'STHJ', task: '加密空气质量监测，督查重点企业落实减排清单', deadlineHours: 12 },
  { level: 'orange', departmentCode: 'JJ', task: '渣土车、砂石运输车辆禁行', deadlineHours: 4 },
  { level: 'orange', departmentCode: 'CG', task: '巡查禁止露天烧烤、露天焚烧', deadlineHours: 6 },
  { level: 'red', departmentCode: 'ZJ', task: '停止一切施工作业（抢险抢修除外）', deadlineHours: 4 },
  { level: 'red', departmentCode: 'JJ', task: '实施机动车单双号限行', deadlineHours: 12 },
];

/** Boot step: the default plan on an empty plan table; never overwrites a city's plan. */
export async function seedResponsePlan(app: AppContext): Promise<void> {
  await warningRepository.seedPlanIfEmpty(app.store.db, DEFAULT_RESPONSE_PLAN);
}
