import { RISK_LABELS, worstLevel, type RiskLevel } from './risk.js';
import type { EnterpriseRow, RiskPointRow } from './safety.repository.js';

export function presentRiskPoint(p: RiskPointRow) {
  return {
    id: p.id, name: p.name, target: p.target_code, method: p.method, assessment: JSON.parse(p.assessment) as unknown, score: p.score,
    level: p.level, levelLabel: RISK_LABELS[p.level], controlLevel: p.control_level, measures: p.measures,
  };
}

/** An enterprise with its risk points and its colour (its worst point's). */
export function presentEnterprise(e: EnterpriseRow, points: RiskPointRow[]) {
  const level = worstLevel(points.map((p) => p.level as RiskLevel));
  return {
    id: e.id, creditCode: e.credit_code, name: e.name, industry: e.industry, address: e.address, lon: e.lon, lat: e.lat,
    grid: e.grid_code, departmentCode: e.department_code, level, levelLabel: level ? RISK_LABELS[level] : null,
    riskPoints: points.map(presentRiskPoint),
  };
}
