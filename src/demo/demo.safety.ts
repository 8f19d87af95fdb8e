import type { Ctx } from '../context.js';
import { gridRepository } from '../grids/grid.repository.js';
import { interiorPoint, polygonsOf, type GridGeometry } from '../grids/geometry.js';
import { creditCodeCheckChar } from '../safety/credit-code.js';
import { createEnterprise, createRiskPoint, type RiskPointInput } from '../safety/enterprise.service.js';
import { safetyRepository } from '../safety/safety.repository.js';

type Point = Omit<RiskPointInput, 'lon' | 'lat'>;
const lec = (l: number, e: number, c: number) => ({ method: 'lec' as const, l, e, c });
const matrix = (l: number, s: number) => ({ method: 'matrix' as const, l, s });

/**
 * The demo city's enterprises (乌海: coal, coking, chlor-alkali, power, building materials, and the
 * shops and stations every city has). Invented names; 统一社会信用代码 made up with a valid check
 * character. `district` and `slot` place each in a grid of that district; `department` is the
 * supervising department. Risk points span the four colours.
 */
export const DEMO_ENTERPRISES: { name: string; industry: string; district: string; slot: number; department: string; points: Point[] }[] = [
  { name: '乌海演示焦化有限公司', industry: '焦化', district: '150303', slot: 3, department: 'YJ', points: [
    { name: '煤气柜区', assessment: lec(6, 6, 15), controlLevel: 'company', measures: '煤气报警仪联锁, 每班巡检, 动火作业审批' },
    { name: '焦炉炉顶', assessment: lec(3, 6, 7), controlLevel: 'workshop', measures: '高温防护, 炉顶作业两人以上' },
    { name: '化产回收工段', assessment: matrix(3, 5), controlLevel: 'workshop', measures: '苯储罐氮封, 泄漏检测' },
  ] },
  { name: '乌海演示氯碱化工有限公司', industry: '化工', district: '150303', slot: 9, department: 'YJ', points: [
    { name: '液氯储罐区', assessment: lec(10, 6, 7), controlLevel: 'company', measures: '液氯储罐双人双锁, 事故碱池, 应急演练' },
    { name: '电解车间', assessment: matrix(3, 3), controlLevel: 'workshop', measures: '绝缘防护, 氢气检测' },
  ] },
  { name: '乌海演示煤矿有限责任公司', industry: '煤矿', district: '150304', slot: 2, department: 'YJ', points: [
    { name: '露天采场边坡', assessment: lec(6, 6, 7), controlLevel: 'company', measures: '边坡雷达监测, 雨后复查' },
    { name: '排土场', assessment: matrix(2, 4), controlLevel: 'team', measures: '排土高度控制, 挡土墙' },
  ] },
  { name: '乌海演示硅铁冶炼有限公司', industry: '冶金', district: '150304', slot: 7, department: 'YJ', points: [
    { name: '矿热炉出铁口', assessment: lec(3, 6, 15), controlLevel: 'workshop', measures: '出铁作业规程, 防喷溅挡板' },
    { name: '天车作业区', assessment: matrix(3, 3), controlLevel: 'team', measures: '特种设备定期检验, 持证操作' },
  ] },
  { name: '乌海演示水泥有限公司', industry: '建材', district: '150303', slot: 14, department: 'YJ', points: [
    { name: '回转窑', assessment: lec(1, 6, 7), controlLevel: 'workshop', measures: '窑体测温, 检修挂牌' },
    { name: '粉磨车间有限空间', assessment: lec(3, 3, 15), controlLevel: 'team', measures: '有限空间先通风再检测后作业' },
  ] },
  { name: '乌海演示热电有限公司', industry: '电力', district: '150302', slot: 5, department: 'YJ', points: [
    { name: '锅炉房', assessment: matrix(2, 5), controlLevel: 'company', measures: '压力容器定检, 安全阀校验' },
    { name: '输煤栈桥', assessment: lec(1, 6, 3), controlLevel: 'post', measures: '粉尘清扫, 防爆电器' },
  ] },
  { name: '乌海演示危险品运输有限公司', industry: '危化品运输', district: '150302', slot: 21, department: 'JJ', points: [
    { name: '槽罐车停车场', assessment: lec(3, 6, 15), controlLevel: 'company', measures: 'GPS 动态监控, 出车前检查' },
  ] },
  { name: '海勃湾演示加油站', industry: '加油站', district: '150302', slot: 40, department: 'YJ', points: [
    { name: '卸油区', assessment: matrix(3, 4), controlLevel: 'post', measures: '卸油静电接地, 现场监护' },
    { name: '便利店', assessment: matrix(1, 3), controlLevel: 'post', measures: '消防器材月检' },
  ] },
  { name: '乌海演示购物中心', industry: '商贸', district: '150302', slot: 60, department: 'SCJG', points: [
    { name: '疏散通道', assessment: matrix(2, 4), controlLevel: 'company', measures: '消防通道每日巡查, 不得堆物' },
    { name: '餐饮燃气区', assessment: matrix(3, 4), controlLevel: 'team', measures: '燃气报警器, 切断阀' },
  ] },
  { name: '乌达演示物流园', industry: '仓储物流', district: '150304', slot: 15, department: 'YJ', points: [
    { name: '仓库电气线路', assessment: lec(1, 3, 7), controlLevel: 'team', measures: '电气线路年检' },
  ] },
];

/** A made-up 统一社会信用代码 for the demo: 91 + 150300 + nine digits + its check character. */
export function demoCreditCode(i: number): string {
  const first17 = `91150300${String(580_000_000 + i * 79_193).padStart(9, '0').slice(-9)}`;
  return first17 + creditCodeCheckChar(first17);
}

/**
 * Registers the demo enterprises and their risk points (each with its inspection plan through the
 * ordinary register functions). Idempotent: an enterprise already registered is skipped.
 */
export async function ensureDemoSafety(ctx: Ctx): Promise<number> {
  let added = 0;
  for (const [i, e] of DEMO_ENTERPRISES.entries()) {
    const creditCode = demoCreditCode(i);
    if (await safetyRepository.findEnterpriseByCreditCode(ctx.db, creditCode)) continue;
    const grids = await gridRepository.listShapes(ctx.db, `/150300/${e.district}/`);
    if (grids.length === 0) continue;
    const grid = grids[e.slot % grids.length];
    const [lon, lat] = interiorPoint(polygonsOf(JSON.parse(grid.geometry) as GridGeometry));
    const row = await createEnterprise(ctx, { creditCode, name: e.name, industry: e.industry, address: `${grid.name}（演示数据）`, lon, lat, departmentCode: e.department });
    for (const p of e.points) await createRiskPoint(ctx, row.id, p);
    added++;
  }
  return added;
}
