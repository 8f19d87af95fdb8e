import type { Ctx } from '../context.js';
import { AppError } from '../errors.js';
import { caseScopeFor } from '../cases/case.scope.js';
import { WORKFLOWS } from '../cases/workflow/index.js';
import { catalogueRepository } from '../catalogue/catalogue.repository.js';
import { gridRepository } from '../grids/grid.repository.js';
import { kpiReport, type KpiView } from '../kpis/kpi.service.js';
import { reportHours, type KpiGroupBy } from '../kpis/kpi.repository.js';
import { orgRepository, type OrgUnitRow } from '../org/org.repository.js';
import { getOrgUnitInScope } from '../org/org.service.js';
import { localDate, localParts } from '../time/zoned-time.js';
import { periodRange, previousRange, type DateRange, type ScreenPeriod } from './screen.period.js';
import { screenRepository, type ChildColumn, type OpenCounts } from './screen.repository.js';

export const SCREEN_MEASURES = ['open', 'overdue', 'density', 'onTimeClosure', 'satisfaction', 'petitionBacklog'] as const;
export type ScreenMeasure = (typeof SCREEN_MEASURES)[number];

/** Which area and when: an org unit (default: the actor's) and a period or explicit local dates. */
export interface ScreenQuery {
  org?: string;
  period?: ScreenPeriod;
  from?: string;
  to?: string;
}

const CHILD: Record<string, { level: string; column: ChildColumn; groupBy: KpiGroupBy } | null> = {
  city: { level: 'district', column: 'district_code', groupBy: 'district' },
  district: { level: 'street', column: 'street_code', groupBy: 'street' },
  street: { level: 'community', column: 'community_code', groupBy: 'community' },
  community: { level: 'grid', column: 'grid_code', groupBy: 'grid' },
  grid: null,
};

const TERMINAL = [...new Set(WORKFLOWS.flatMap((def) => Object.entries(def.states).filter(([, s]) => s.terminal).map(([k]) => k)))];
const HANDLING = [...new Set(WORKFLOWS.flatMap((def) => Object.entries(def.states).filter(([, s]) => s.stage === 'handle').map(([k]) => k)))];
const ZERO_OPEN: Omit<OpenCounts, 'code'> = { open: 0, overdue: 0, handling: 0, supervised: 0 };

async function resolve(ctx: Ctx, q: ScreenQuery): Promise<{ org: OrgUnitRow; range: DateRange; previous: DateRange }> {
  const org = await getOrgUnitInScope(ctx, q.org ?? ctx.actor.orgCode);
  const today = localDate(ctx.now, ctx.app.config.timeZone);
  if ((q.from === undefined) !== (q.to === undefined)) throw new AppError('validation_failed', 'give both from and to, or a period', { field: q.from ? 'to' : 'from' });
  const range = q.from && q.to ? { from: q.from, to: q.to } : periodRange(q.period ?? '30d', today);
  if (range.from > range.to) throw new AppError('validation_failed', 'from must not be after to', { field: 'from' });
  return { org, range, previous: previousRange(range, q.from ? undefined : q.period ?? '30d') };
}

const orgView = (o: OrgUnitRow) => ({ code: o.code, name: o.name, level: o.level });

/**
 * The KPI cards of an area and period, with the same period before it for the change, and the
 * open-case counts now. The KPI values are the KPI API's (kpiReport) for the same org and dates.
 * Throws org_unit_not_found (also outside scope), validation_failed.
 */
export async function screenCards(ctx: Ctx, q: ScreenQuery) {
  const { org, range, previous } = await resolve(ctx, q);
  const [current, before, open] = await Promise.all([
    kpiReport(ctx, { org: org.code, ...range, withMedians: false }),
    kpiReport(ctx, { org: org.code, ...previous, withMedians: false }),
    screenRepository.openCountsBy(ctx.db, { ...caseScopeFor(ctx.actor), orgPath: org.path }, null, TERMINAL, HANDLING),
  ]);
  const strip = ({ groups: _g, org: _o, from: _f, to: _t, groupBy: _b, ...kpis }: Awaited<ReturnType<typeof kpiReport>>): KpiView => kpis;
  return { org: orgView(org), ...range, previous, current: strip(current), before: strip(before), now: open[0] ? { ...ZERO_OPEN, ...open[0], code: undefined } : ZERO_OPEN };
}

/** The value of `measure` for one area. */
function measureValue(measure: ScreenMeasure, k: KpiView | undefined, open: Omit<OpenCounts, 'code'>, areaKm2: number | null, petitionBacklog: number): number | null {
  switch (measure) {
    case 'open': return open.open;
    case 'overdue': return open.overdue;
    case 'density': return areaKm2 && k ? Math.round((k.reported / areaKm2) * 100) / 100 : null;
    case 'onTimeClosure': return k?.onTimeClosureRate ?? null;
    case 'satisfaction': return k?.satisfactionRate ?? null;
    case 'petitionBacklog': return petitionBacklog;
  }
}

/**
 * The choropleth of an area: every unit one level down with the chosen measure and the figures
 * behind it (one request per level). At grid level there is nothing below: `areas` is empty.
 */
export async function screenAreas(ctx: Ctx, q: ScreenQuery & { measure?: ScreenMeasure }) {
  const { org, range } = await resolve(ctx, q);
  const measure = q.measure ?? 'open';
  const child = CHILD[org.level];
  if (!child) return { org: orgView(org), ...range, measure, childLevel: null, areas: [] };
  const scope = { ...caseScopeFor(ctx.actor), orgPath: org.path };
  const [children, kpis, open, backlog] = await Promise.all([
    orgRepository.list(ctx.db, ctx.actor.orgPath, { parent: org.code }, { limit: 5000, offset: 0 }),
    kpiReport(ctx, { org: org.code, ...range, groupBy: child.groupBy, withMedians: false }),
    screenRepository.openCountsBy(ctx.db, scope, child.column, TERMINAL, HANDLING),
    screenRepository.petitionBacklogBy(ctx.db, scope, child.column),
  ]);
  const codes = children.items.map((c) => c.code);
  const areas = child.level === 'grid'
    ? new Map((await gridRepository.gridAreas(ctx.db, codes)).map((a) => [a.code, a.areaM2]))
    : new Map((await gridRepository.outlinesOf(ctx.db, codes)).map((o) => [o.code, o.area_m2]));
  const kpiBy = new Map(kpis.groups.map((g) => [g.group, g]));
  const openBy = new Map(open.map((o) => [o.code, o]));
  const backlogBy = new Map(backlog.map((b) => [b.code, b.n]));
  return {
    org: orgView(org), ...range, measure, childLevel: child.level,
    areas: children.items.map((c) => {
      const k = kpiBy.get(c.code);
      const o = openBy.get(c.code) ?? { ...ZERO_OPEN, code: c.code };
      const m2 = areas.get(c.code);
      const areaKm2 = m2 ? Math.round(m2 / 10_000) / 100 : null;
      return {
        code: c.code, name: c.name, level: c.level, areaKm2,
        value: measureValue(measure, k, o, areaKm2, backlogBy.get(c.code) ?? 0),
        open: o.open, overdue: o.overdue, handling: o.handling, petitionBacklog: backlogBy.get(c.code) ?? 0,
        reported: k?.reported ?? 0, closed: k?.closed ?? 0,
        onTimeClosureRate: k?.onTimeClosureRate ?? null, satisfactionRate: k?.satisfactionRate ?? null,
      };
    }),
  };
}

const rankView = (k: KpiView) => ({
  reported: k.reported, closed: k.closed, overdue: k.overdue, onTimeClosureRate: k.onTimeClosureRate, satisfactionRate: k.satisfactionRate,
  composite: k.composite, grade: k.grade, urbanComposite: k.urbanComposite, urbanGrade: k.urbanGrade,
});

/** Rankings: the units one level down and the departments, with their composite scores and grades. */
export async function screenRankings(ctx: Ctx, q: ScreenQuery) {
  const { org, range } = await resolve(ctx, q);
  const child = CHILD[org.level];
  const [areaKpis, deptKpis, children, departments] = await Promise.all([
    child ? kpiReport(ctx, { org: org.code, ...range, groupBy: child.groupBy, withMedians: false }) : null,
    kpiReport(ctx, { org: org.code, ...range, groupBy: 'department', withMedians: false }),
    child ? orgRepository.list(ctx.db, ctx.actor.orgPath, { parent: org.code }, { limit: 5000, offset: 0 }) : null,
    catalogueRepository.listDepartments(ctx.db),
  ]);
  const names = new Map(children?.items.map((c) => [c.code, c.name]) ?? []);
  const deptNames = new Map(departments.map((d) => [String(d.id), d.name]));
  return {
    org: orgView(org), ...range,
    areas: (areaKpis?.groups ?? []).filter((g) => g.group && names.has(g.group)).map((g) => ({ code: g.group as string, name: names.get(g.group as string) as string, ...rankView(g) })),
    departments: deptKpis.groups.filter((g) => g.group && g.group !== '0').map((g) => ({ id: Number(g.group), name: deptNames.get(g.group as string) ?? `#${g.group}`, ...rankView(g) })),
  };
}

const TREND_COUNTERS = ['reported', 'closed'] as const;

/**
 * Trends: daily intake and closure, top 10 categories, channel mix, reports by weekday × hour (city
 * time), and the open cases under 督办 and 提级.
 */
export async function screenTrends(ctx: Ctx, q: ScreenQuery) {
  const { org, range } = await resolve(ctx, q);
  const tz = ctx.app.config.timeZone;
  const scope = { ...caseScopeFor(ctx.actor), orgPath: org.path };
  // local dates [from, to] cover UTC instants from a day before `from` to a day after `to`; the exact local test is below
  const fromIso = new Date(Date.parse(`${range.from}T00:00:00Z`) - 86_400_000).toISOString();
  const toIso = new Date(Date.parse(`${range.to}T00:00:00Z`) + 2 * 86_400_000).toISOString();
  // The heat map comes from the per-hour roll-up unless the actor sees only part of the subtree's
  // cases, or the area is a grid (the roll-up stops above grids; a grid's cases are few).
  const whole = scope.departmentId == null && scope.reporterUserId == null && scope.includePrivate && org.level !== 'grid';
  const [daily, categories, channels, rolled, hours, supervised, escalated] = await Promise.all([
    // The trend shows reports and closures only: summing the other counters of a year of day rows cost most of it.
    kpiReport(ctx, { org: org.code, ...range, groupBy: 'day', withMedians: false, counters: TREND_COUNTERS }),
    kpiReport(ctx, { org: org.code, ...range, groupBy: 'category', withMedians: false, counters: TREND_COUNTERS }),
    kpiReport(ctx, { org: org.code, ...range, groupBy: 'channel', withMedians: false, counters: TREND_COUNTERS }),
    whole ? reportHours(ctx.db, org.code, range.from, range.to) : null,
    whole ? [] : screenRepository.reportsPerHour(ctx.db, scope, fromIso, toIso),
    screenRepository.watchList(ctx.db, scope, TERMINAL, 'supervised', 10),
    screenRepository.watchList(ctx.db, scope, TERMINAL, 'escalated', 10),
  ]);
  const top = categories.groups.filter((g) => g.reported > 0).sort((a, b) => b.reported - a.reported || String(a.group).localeCompare(String(b.group))).slice(0, 10);
  const names = new Map<string, string>();
  for (const code of new Set([...top.map((g) => String(g.group)), ...supervised.map((c) => c.category_code), ...escalated.map((c) => c.category_code)])) {
    const [cat] = await catalogueRepository.findCategoriesByCode(ctx.db, code);
    if (cat) names.set(code, cat.name);
  }
  const heat = new Map<string, number>();
  for (const r of rolled ?? []) heat.set(`${r.weekday}:${r.hour}`, r.n);
  for (const h of hours) {
    const at = new Date(`${h.hour}:00:00Z`);
    const day = localDate(at, tz);
    if (day < range.from || day > range.to) continue;
    const p = localParts(at, tz);
    const weekday = (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7; // Monday = 0
    const key = `${weekday}:${p.hour}`;
    heat.set(key, (heat.get(key) ?? 0) + h.n);
  }
  const watch = (rows: typeof supervised) => rows.map((c) => ({ id: c.id, number: c.number, status: c.status, light: c.light, categoryCode: c.category_code, categoryName: names.get(c.category_code) ?? c.category_code, orgCode: c.community_code ?? c.street_code ?? c.district_code, escalationLevel: c.escalation_level, deadline: c.deadline, createdAt: c.created_at }));
  return {
    org: orgView(org), ...range,
    daily: everyDay(range).map((day) => {
      const g = daily.groups.find((x) => x.group === day);
      return { day, reported: g?.reported ?? 0, closed: g?.closed ?? 0 };
    }),
    categories: top.map((g) => ({ code: String(g.group), name: names.get(String(g.group)) ?? String(g.group), reported: g.reported })),
    channels: channels.groups.filter((g) => g.reported > 0).map((g) => ({ channel: String(g.group), reported: g.reported })),
    heatmap: [...heat].map(([k, n]) => ({ weekday: Number(k.split(':')[0]), hour: Number(k.split(':')[1]), reported: n })),
    supervised: watch(supervised),
    escalated: watch(escalated),
  };
}

/** Every local date of a range, in order (a year at most has 366). */
function everyDay(range: DateRange): string[] {
  const days: string[] = [];
  for (let t = Date.parse(`${range.from}T00:00:00Z`); t <= Date.parse(`${range.to}T00:00:00Z`) && days.length < 3700; t += 86_400_000) days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}

/** Open cases of an area as map pins (at most 500, newest first). */
export async function screenPins(ctx: Ctx, q: { org?: string }) {
  const org = await getOrgUnitInScope(ctx, q.org ?? ctx.actor.orgCode);
  const rows = await screenRepository.openPins(ctx.db, { ...caseScopeFor(ctx.actor), orgPath: org.path }, TERMINAL, 500);
  return { org: orgView(org), pins: rows.map((r) => ({ id: r.id, number: r.number, status: r.status, light: r.light, categoryCode: r.category_code, gridCode: r.grid_code, lon: r.lon as number, lat: r.lat as number, createdAt: r.created_at })) };
}

/**
 * Outlines to draw for an area: the area itself and its units one level down, as GeoJSON
 * (stored unions of grids; grids' own shapes at the community level; the grid itself at grid level).
 */
export async function screenOutlines(ctx: Ctx, q: { org?: string }) {
  const org = await getOrgUnitInScope(ctx, q.org ?? ctx.actor.orgCode);
  const child = CHILD[org.level];
  const children = child ? (await orgRepository.list(ctx.db, ctx.actor.orgPath, { parent: org.code }, { limit: 5000, offset: 0 })).items : [];
  const features: { type: 'Feature'; properties: { code: string; name: string; level: string; role: 'self' | 'child' }; geometry: unknown }[] = [];
  const names = new Map([[org.code, org.name], ...children.map((c) => [c.code, c.name] as const)]);
  const levelOf = new Map([[org.code, org.level as string], ...children.map((c) => [c.code, c.level as string] as const)]);
  const push = (code: string, geometry: string) => features.push({ type: 'Feature', properties: { code, name: names.get(code) ?? code, level: levelOf.get(code) ?? '', role: code === org.code ? 'self' : 'child' }, geometry: JSON.parse(geometry) });
  if (org.level === 'grid' || child?.level === 'grid') {
    for (const g of await gridRepository.listShapes(ctx.db, org.path)) push(g.code, g.geometry);
    if (org.level !== 'grid') for (const o of await gridRepository.outlinesOf(ctx.db, [org.code])) push(o.code, o.geometry);
  } else {
    for (const o of await gridRepository.outlinesOf(ctx.db, [org.code, ...children.map((c) => c.code)])) push(o.code, o.geometry);
  }
  return { type: 'FeatureCollection' as const, org: orgView(org), childLevel: child?.level ?? null, features };
}
