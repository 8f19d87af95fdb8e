import type { Ctx } from '../context.js';
import { areaM2, interiorPoint, polygonsOf, type GridGeometry } from '../grids/geometry.js';
import { gridRepository } from '../grids/grid.repository.js';
import { patrolRepository } from '../patrols/patrol.repository.js';
import { DEMO_WATER_BODIES } from '../patrols/river.register.js';
import { registerDevice } from '../sensors/device.service.js';
import { deviceRepository } from '../sensors/device.repository.js';
import { createAlarmRule, type AlarmRuleInput } from '../sensors/alarm.service.js';
import { alarmRepository } from '../sensors/alarm.repository.js';
import { unit } from './sensor.model.js';

const DISTRICTS = [
  { code: '150302', short: 'HBW', name: '海勃湾' },
  { code: '150303', short: 'HN', name: '海南' },
  { code: '150304', short: 'WD', name: '乌达' },
] as const;

/** Air stations per district (国控/市控 style names), then the urban devices per district. */
const AIR_SITES: Record<string, string[]> = {
  150302: ['市环境监测站', '新区子站', '海勃湾区政府'],
  150303: ['海南区政府', '西卓子山'],
  150304: ['乌达区政府', '乌达工业园'],
};
const URBAN: { kind: string; prefix: string; label: string; department: string; perDistrict: [number, number, number] }[] = [
  { kind: 'manhole_tilt', prefix: 'JG', label: '井盖', department: 'ZJ', perDistrict: [12, 6, 6] },
  { kind: 'water_level', prefix: 'JS', label: '下穿积水点', department: 'SW', perDistrict: [4, 2, 2] },
  { kind: 'smoke', prefix: 'YG', label: '烟感', department: 'YJ', perDistrict: [6, 3, 3] },
  { kind: 'noise', prefix: 'ZS', label: '噪声监测点', department: 'STHJ', perDistrict: [4, 2, 2] },
  { kind: 'street_light', prefix: 'LD', label: '智慧路灯', department: 'GD', perDistrict: [10, 5, 5] },
  { kind: 'camera_event', prefix: 'SP', label: '视频事件点', department: 'CG', perDistrict: [4, 2, 2] },
];

/** Water-quality stations: one per demo reach, with its water body's kind and target (河长制 register). */
const WATER_LOAD: Record<string, number> = { 'HH-WH': 0, WHH: 0, GDEH: 0.9, 'FHL-PG': 1.6 };

/** The demo's alarm rules, by kind (thresholds from the standards where there is one). */
export const DEMO_ALARM_RULES: AlarmRuleInput[] = [
  { kind: 'air_station', metric: 'pm25', op: '>', threshold: 150, forMinutes: 60 }, // 1-hour PM2.5 above IAQI 200 (重度)
  { kind: 'water_quality_station', metric: 'nh3n', op: '>', threshold: 2, forMinutes: 0 }, // above Ⅴ类 (劣Ⅴ)
  { kind: 'manhole_tilt', metric: 'tilt', op: '>', threshold: 15, forMinutes: 0 },
  { kind: 'water_level', metric: 'level', op: '>=', threshold: 20, forMinutes: 10 }, // 20 cm: impassable for cars
  { kind: 'smoke', metric: 'smoke', op: '>', threshold: 5, forMinutes: 0 },
  { kind: 'noise', metric: 'leq', op: '>', threshold: 70, forMinutes: 30 }, // GB 3096 4a 类 daytime limit
  { kind: 'street_light', metric: 'power', op: '>', threshold: 250, forMinutes: 5 }, // over-current
  { kind: 'camera_event', metric: 'events', op: '>=', threshold: 15, forMinutes: 0 },
  // 数据中断: an air station silent for two hours (the simulator's failures last 2–6 hours).
  { type: 'offline', kind: 'air_station', forMinutes: 120 },
];

export interface DemoDevice {
  id: string;
  kind: string;
  name: string;
  lon: number;
  lat: number;
  departmentCode: string;
  attributes: Record<string, unknown>;
}

type Shape = { code: string; lon: number; lat: number; area: number };

async function districtShapes(ctx: Ctx, district: string): Promise<Shape[]> {
  const rows = await gridRepository.listShapes(ctx.db, `/150300/${district}/`);
  return rows.map((r) => {
    const polygons = polygonsOf(JSON.parse(r.geometry) as GridGeometry);
    const [lon, lat] = interiorPoint(polygons);
    return { code: r.code, lon, lat, area: areaM2(polygons) };
  });
}

/** `n` grids spread over `shapes` (every k-th), skipping those already taken. */
function spread(shapes: Shape[], n: number, taken: Set<string>, salt: string): Shape[] {
  const free = shapes.filter((s) => !taken.has(s.code));
  const out: Shape[] = [];
  for (let i = 0; i < n && free.length; i++) {
    const at = Math.min(free.length - 1, Math.floor(((i + unit(salt, i)) * free.length) / n));
    const [s] = free.splice(at, 1);
    taken.add(s.code);
    out.push(s);
  }
  return out;
}

/**
 * The demo's devices, placed deterministically inside the demo grids: air stations spread over
 * each district, the urban kinds in the smallest (densest, built-up) grids, one water-quality
 * station per reach of the 黄河, 乌海湖, 甘德尔河 and 凤凰岭排干 at the reach's middle.
 */
export async function planDemoDevices(ctx: Ctx): Promise<DemoDevice[]> {
  const out: DemoDevice[] = [];
  for (const [di, d] of DISTRICTS.entries()) {
    const shapes = await districtShapes(ctx, d.code);
    if (shapes.length === 0) continue;
    const taken = new Set<string>();
    spread(shapes, AIR_SITES[d.code].length, taken, `air-${d.code}`).forEach((s, i) => out.push({
      id: `AIR-${d.short}-${i + 1}`, kind: 'air_station', name: `${d.name} ${AIR_SITES[d.code][i]}空气站`, lon: s.lon, lat: s.lat, departmentCode: 'STHJ', attributes: {},
    }));
    const urban = [...shapes].sort((a, b) => a.area - b.area || (a.code < b.code ? -1 : 1)).slice(0, Math.max(10, Math.ceil(shapes.length * 0.4)));
    for (const u of URBAN) {
      const n = u.perDistrict[di];
      const picked = spread(urban, n, new Set(), `${u.kind}-${d.code}`);
      picked.forEach((s, i) => {
        // Several devices of a kind may share a grid: nudge them apart by a few metres.
        const dx = (unit(u.kind, s.code, 'x') - 0.5) * 0.0006;
        const dy = (unit(u.kind, s.code, 'y') - 0.5) * 0.0004;
        out.push({ id: `${u.prefix}-${d.short}-${String(i + 1).padStart(2, '0')}`, kind: u.kind, name: `${d.name} ${u.label} ${i + 1}号`, lon: s.lon + dx, lat: s.lat + dy, departmentCode: u.department, attributes: {} });
      });
    }
  }
  for (const body of DEMO_WATER_BODIES) {
    for (const reach of body.reaches) {
      const target = await patrolRepository.findTargetByCode(ctx.db, reach.code);
      if (!target) continue;
      const g = reach.geometry;
      const pts = g.type === 'LineString' ? g.coordinates : g.type === 'Polygon' ? g.coordinates[0] : [];
      const [lon, lat] = pts[Math.floor(pts.length / 2)] ?? [0, 0];
      out.push({
        id: `WQ-${reach.code}`, kind: 'water_quality_station', name: `${reach.name} 水质自动站`, lon, lat, departmentCode: 'SW',
        attributes: { reach: reach.code, waterBody: body.code, waterBodyName: body.name, waterBodyKind: body.kind === 'lake' ? 'lake' : 'river', targetClass: body.qualityTarget, load: WATER_LOAD[body.code] ?? 0 },
      });
    }
  }
  return out;
}

/**
 * Registers the demo devices and the demo alarm rules (by kind, city-wide), through the same
 * domain functions as the API. Idempotent: devices already registered and rules already there
 * (same kind, type and metric) are left alone. Returns the devices (registered now or before).
 */
export async function ensureDemoDevices(ctx: Ctx): Promise<{ devices: DemoDevice[]; created: number; rules: number }> {
  const devices = await planDemoDevices(ctx);
  let created = 0;
  for (const d of devices) {
    if (await deviceRepository.findWithKind(ctx.db, d.id)) continue;
    await registerDevice(ctx, { id: d.id, kind: d.kind, name: d.name, lon: d.lon, lat: d.lat, departmentCode: d.departmentCode });
    if (Object.keys(d.attributes).length) await deviceRepository.update(ctx.db, d.id, { attributes: JSON.stringify(d.attributes) });
    created++;
  }
  const existing = await alarmRepository.listRules(ctx.db, '/');
  let rules = 0;
  for (const rule of DEMO_ALARM_RULES) {
    if (existing.some((r) => r.kind === rule.kind && r.type === (rule.type ?? 'threshold') && (r.metric ?? null) === (rule.metric ?? null))) continue;
    await createAlarmRule(ctx, rule);
    rules++;
  }
  return { devices, created, rules };
}
