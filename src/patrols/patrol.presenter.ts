import { formatFrequency, type PeriodUnit } from './patrol.frequency.js';
import type { PatrolRow, PlanRow, PointRow, TargetRow } from './patrol.repository.js';

type FindingRow = { patrol_id: number; id: number; number: string; status: string; category_code: string; description: string };

/** A patrol record: who, what, when, how far, flags, and the cases its findings became. */
export function presentPatrol(row: PatrolRow, findings: FindingRow[]) {
  return {
    id: row.id,
    planId: row.plan_id,
    target: { code: row.target_code, name: row.target_name },
    kind: row.kind,
    person: row.person,
    personId: row.user_id,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    durationS: row.duration_s,
    distanceM: row.distance_m,
    coverage: row.coverage,
    maxSpeedKmh: row.max_speed_kmh,
    pointCount: row.point_count,
    flags: JSON.parse(row.flags) as string[],
    findings: findings.filter((f) => f.patrol_id === row.id).map((f) => ({ caseId: f.id, number: f.number, status: f.status, categoryCode: f.category_code, description: f.description })),
  };
}

/** The track as a GeoJSON Feature with one time per position (properties.times). */
export function presentTrack(points: PointRow[]) {
  return {
    type: 'Feature' as const,
    geometry: { type: 'LineString' as const, coordinates: points.map((p) => [p.lon, p.lat]) },
    properties: { times: points.map((p) => p.t) },
  };
}

export function presentTarget(t: TargetRow) {
  return { id: t.id, code: t.code, kind: t.kind, name: t.name, orgCode: t.org_code, geometry: t.geometry ? (JSON.parse(t.geometry) as unknown) : null, attributes: JSON.parse(t.attributes) as Record<string, unknown> };
}

export function presentPlan(p: PlanRow) {
  return {
    id: p.id,
    target: { code: p.target_code, name: p.target_name },
    kind: p.kind,
    assignee: { userId: p.assignee_user_id, name: p.assignee_name, role: p.assignee_role },
    org: { code: p.org_code, name: p.org_name },
    level: p.level,
    frequency: { period: p.period, times: p.times, label: formatFrequency({ period: p.period as PeriodUnit, times: p.times }) },
    minimums: { durationMinutes: p.min_duration_s / 60, distanceMetres: p.min_distance_m, coverage: p.min_coverage },
    startsOn: p.starts_on,
    note: p.note,
  };
}
