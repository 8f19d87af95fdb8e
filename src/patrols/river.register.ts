import { meetsTarget, WATER_CLASSES, WATER_LABELS, type WaterClass } from '../water/water.class.js';
import type { Ctx } from '../context.js';
import { inTransaction } from '../context.js';
import { locatePoint } from '../grids/grid.locate.js';
import { catalogueRepository } from '../catalogue/catalogue.repository.js';
import { orgRepository } from '../org/org.repository.js';
import { getOrgUnitInScope } from '../org/org.service.js';
import { localDate } from '../time/zoned-time.js';
import { formatFrequency, parseFrequency } from './patrol.frequency.js';
import { patrolRepository, type TargetRow } from './patrol.repository.js';
import type { TargetGeometry } from './patrol.track.js';

/** The 河长制 levels a reach has a chief at (四级; 省级 is outside a city's platform). */
export const CHIEF_LEVELS = ['city', 'district', 'street', 'community'] as const;

interface DemoReach { code: string; name: string; geometry: TargetGeometry }
interface DemoWaterBody { code: string; name: string; kind: 'river' | 'lake' | 'channel'; qualityTarget: string; officePhone: string; department: string; reaches: DemoReach[] }

/**
 * The demo city's water bodies. DEMO GEOMETRY: drawn by hand in the demo city's coordinates to
 * look plausible (the 黄河 running north between 乌达区 and 海勃湾区, 乌海湖 on it), not surveyed.
 * Reach codes are stable ids (e.g. `HH-WH-02`): other areas (water quality per reach) refer to them.
 */
export const DEMO_WATER_BODIES: DemoWaterBody[] = [
  { code: 'HH-WH', name: '黄河乌海段', kind: 'river', qualityTarget: 'II', officePhone: '0473-12345', department: 'SW', reaches: [
    { code: 'HH-WH-01', name: '黄河 海南区段', geometry: { type: 'LineString', coordinates: [[106.80, 39.30], [106.805, 39.36], [106.80, 39.42], [106.79, 39.48]] } },
    { code: 'HH-WH-02', name: '黄河 海勃湾区段', geometry: { type: 'LineString', coordinates: [[106.79, 39.55], [106.785, 39.62], [106.79, 39.70], [106.80, 39.78]] } },
    { code: 'HH-WH-03', name: '黄河 乌达区段', geometry: { type: 'LineString', coordinates: [[106.78, 39.48], [106.775, 39.52], [106.778, 39.56], [106.775, 39.60]] } },
  ] },
  { code: 'WHH', name: '乌海湖', kind: 'lake', qualityTarget: 'II', officePhone: '0473-12345', department: 'SW', reaches: [
    { code: 'WHH-01', name: '乌海湖 湖区', geometry: { type: 'Polygon', coordinates: [[[106.775, 39.60], [106.795, 39.60], [106.80, 39.66], [106.79, 39.70], [106.778, 39.68], [106.772, 39.64], [106.775, 39.60]]] } },
  ] },
  { code: 'GDEH', name: '甘德尔河', kind: 'river', qualityTarget: 'III', officePhone: '0473-12345', department: 'SW', reaches: [
    { code: 'GDEH-01', name: '甘德尔河 海勃湾段', geometry: { type: 'LineString', coordinates: [[106.90, 39.80], [106.87, 39.79], [106.84, 39.77], [106.81, 39.76]] } },
  ] },
  { code: 'FHL-PG', name: '凤凰岭排干', kind: 'channel', qualityTarget: 'IV', officePhone: '0473-12345', department: 'SW', reaches: [
    { code: 'FHL-PG-01', name: '凤凰岭排干 城区段', geometry: { type: 'LineString', coordinates: [[106.84, 39.70], [106.83, 39.685], [106.815, 39.672], [106.80, 39.66]] } },
  ] },
];

/** A point on a reach (the middle vertex of its line or outer ring), e.g. to place a report there. */
export function midpoint(g: TargetGeometry): [number, number] {
  const pts = g.type === 'LineString' ? g.coordinates : g.type === 'Polygon' ? g.coordinates[0] : [];
  const p = pts[Math.floor(pts.length / 2)] ?? [0, 0];
  return [p[0], p[1]];
}

/**
 * Loads the demo water bodies: each reach a patrol target (kind river) owned by the community it
 * crosses, with a chief at each of the four levels (the leader of the city, district, street and
 * community) patrolling at the level's frequency (GRIDLOOP_RIVER_FREQUENCIES). Idempotent.
 */
export async function ensureDemoRivers(ctx: Ctx): Promise<number> {
  let added = 0;
  for (const body of DEMO_WATER_BODIES) {
    for (const reach of body.reaches) {
      if (await patrolRepository.findTargetByCode(ctx.db, reach.code)) continue;
      const [lon, lat] = midpoint(reach.geometry);
      const located = locatePoint(ctx.app, lon, lat);
      const community = located.chain.find((u) => u.level === 'community');
      if (!community) continue;
      const unit = await orgRepository.findByCode(ctx.db, community.code);
      if (!unit) continue;
      const levels = unit.path.split('/').filter(Boolean);
      const now = ctx.now.toISOString();
      await inTransaction(ctx, async (trx) => {
        const targetId = await patrolRepository.insertTarget(trx.db, {
          code: reach.code, kind: 'river', name: reach.name, org_code: unit.code, org_path: unit.path, geometry: JSON.stringify(reach.geometry),
          attributes: JSON.stringify({ waterBody: body.code, waterBodyName: body.name, waterBodyKind: body.kind, qualityTarget: body.qualityTarget, officePhone: body.officePhone, departmentCode: body.department, demoGeometry: true }),
          active: 1, created_at: now,
        });
        for (const [i, level] of CHIEF_LEVELS.entries()) {
          const org = await orgRepository.findByCode(trx.db, levels[i]);
          if (!org) continue;
          const rule = parseFrequency(ctx.app.config.patrol.riverFrequencies[level] ?? 'month:1');
          await patrolRepository.insertPlan(trx.db, {
            target_id: targetId, kind: 'river', assignee_user_id: null, assignee_role: 'leader', org_code: org.code, org_path: org.path, level,
            period: rule.period, times: rule.times, min_duration_s: ctx.app.config.patrol.minDurationS, min_distance_m: ctx.app.config.patrol.minDistanceM, min_coverage: 0,
            starts_on: localDate(ctx.now, ctx.app.config.timeZone), active: 1, note: `${level} 河长`, created_at: now, updated_at: now,
          });
        }
      });
      added++;
    }
  }
  return added;
}

/**
 * The water bodies with reaches in the actor's area (`scope`, default the actor's own area) (or an org unit in it): each reach with its
 * geometry and its chiefs (the plans of kind river on it: level, person or role, frequency).
 * Throws org_unit_not_found.
 */
export async function listRivers(ctx: Ctx, q: { org?: string }) {
  const scope = q.org ? (await getOrgUnitInScope(ctx, q.org, 'org')).path : ctx.actor.orgPath;
  return riversIn(ctx, scope);
}

/** The water bodies with reaches under an org path, each reach with its chiefs. */
export async function riversIn(ctx: Ctx, scope: string) {
  const targets = await patrolRepository.listTargets(ctx.db, scope, { kind: 'river' });
  const plans = await patrolRepository.listPlans(ctx.db, scope, { kind: 'river' });
  const departments = new Map((await catalogueRepository.listDepartments(ctx.db)).map((d) => [d.code, d.name]));
  const quality = new Map((await patrolRepository.reachQuality(ctx.db, targets.map((t) => t.code))).map((q) => [q.reach_code, q]));
  const bodies = new Map<string, { code: string; name: string; kind: string; qualityTarget: string | null; officePhone: string | null; department: { code: string; name: string } | null; demoGeometry: boolean; reaches: (ReturnType<typeof presentReach> & { quality: ReturnType<typeof reachQualityView> })[] }>();
  for (const t of targets) {
    const a = JSON.parse(t.attributes) as Record<string, unknown>;
    const code = typeof a.waterBody === 'string' ? a.waterBody : t.code;
    const dept = typeof a.departmentCode === 'string' ? a.departmentCode : null;
    const body = bodies.get(code) ?? {
      code, name: String(a.waterBodyName ?? t.name), kind: String(a.waterBodyKind ?? 'river'), qualityTarget: (a.qualityTarget as string) ?? null, officePhone: (a.officePhone as string) ?? null,
      department: dept ? { code: dept, name: departments.get(dept) ?? dept } : null, demoGeometry: a.demoGeometry === true, reaches: [],
    };
    body.reaches.push({ ...presentReach(t, plans.filter((p) => p.target_id === t.id)), quality: reachQualityView(quality.get(t.code), body.qualityTarget) });
    bodies.set(code, body);
  }
  return [...bodies.values()];
}

/** A reach's latest measured class against its target: null before any station sampled it. */
export function reachQualityView(q: { last_class: string | null; last_ts: string | null } | undefined, target: string | null) {
  if (!q?.last_class || !isWaterClass(q.last_class)) return null;
  return {
    waterClass: q.last_class, label: WATER_LABELS[q.last_class], at: q.last_ts,
    meetsTarget: target && isWaterClass(target) ? meetsTarget(q.last_class, target) : null,
  };
}

const isWaterClass = (c: string): c is WaterClass => (WATER_CLASSES as readonly string[]).includes(c);

function presentReach(t: TargetRow, plans: Awaited<ReturnType<typeof patrolRepository.listPlans>>) {
  const order = (l: string | null) => (CHIEF_LEVELS as readonly string[]).indexOf(l ?? '');
  return {
    code: t.code, name: t.name, orgCode: t.org_code, geometry: t.geometry ? (JSON.parse(t.geometry) as unknown) : null,
    chiefs: [...plans].sort((a, b) => order(a.level) - order(b.level)).map((p) => ({
      level: p.level, name: p.assignee_name ?? `${p.org_name} ${p.assignee_role === 'leader' ? '负责人' : p.assignee_role}`, org: p.org_code, orgName: p.org_name, person: p.assignee_name,
      frequency: formatFrequency({ period: p.period as Parameters<typeof formatFrequency>[0]['period'], times: p.times }),
      rule: { period: p.period, times: p.times },
    })),
  };
}
