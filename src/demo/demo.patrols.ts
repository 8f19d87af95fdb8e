import type { AppContext, Ctx } from '../context.js';
import { inTransaction } from '../context.js';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Actor, Role } from '../auth/actor.js';
import { addUser } from '../auth/auth.service.js';
import { authRepository } from '../auth/auth.repository.js';
import { catalogueRepository } from '../catalogue/catalogue.repository.js';
import { caseRepository } from '../cases/case.repository.js';
import { sweepLights } from '../cases/case.sweeper.js';
import { transitionCase, type TransitionRequest } from '../cases/case.transition.js';
import type { GovernancePlan } from '../cases/workflow/index.js';
import { gridRepository } from '../grids/grid.repository.js';
import { orgRepository } from '../org/org.repository.js';
import { periodOf, type PeriodUnit } from '../patrols/patrol.frequency.js';
import { localMidnight } from '../patrols/patrol.query.js';
import { recordPatrol, type FindingInput } from '../patrols/patrol.record.js';
import { patrolRepository, type PlanRow } from '../patrols/patrol.repository.js';
import type { TargetGeometry } from '../patrols/patrol.track.js';
import { safetyRepository } from '../safety/safety.repository.js';
import { addDays } from '../time/local-date.js';
import { localDate } from '../time/zoned-time.js';
import { DEMO_PASSWORD } from './demo.departments.js';
import type { HistoryExtension } from './demo.history.js';
import { MinHeap } from './min-heap.js';
import { randomStream } from './demo.random.js';
import { walkTrack } from './demo.tracks.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;
/** How far back the demo's patrol history reaches (at most; a shorter case history cuts it). */
export const PATROL_HISTORY_DAYS = 92;

/** The grid workers' communities: every grid in them is a patrol target; the first is patrolled daily, the rest weekly. */
const GRID_WORKERS = ['gridworker', 'gridworker2'];
/** The district inspectors who inspect the risk points of their district. */
const INSPECTORS: Record<string, string> = { '150302': 'inspector', '150303': 'inspector_hn', '150304': 'inspector_wd' };

/**
 * The demo's patrol plans besides the register's own: every grid of the two grid workers'
 * communities (the first 每日 1 次, the others 每周 1 次; DB15/T 3005 asks for daily patrols of a
 * grid, the split is the demo's), and a named chief (a `leader` user, `hz_<org code>`) for every
 * river plan still held by a role. Idempotent.
 */
export async function ensureDemoPatrolPlans(ctx: Ctx): Promise<void> {
  const cfg = ctx.app.config.patrol;
  const now = ctx.now.toISOString();
  const today = localDate(ctx.now, ctx.app.config.timeZone);
  for (const username of GRID_WORKERS) {
    const worker = await authRepository.findUserByUsername(ctx.db, username);
    const community = worker && (await orgRepository.findByCode(ctx.db, worker.org_code));
    if (!worker || !community) continue;
    const grids = await gridRepository.listShapes(ctx.db, community.path);
    await inTransaction(ctx, async (trx) => {
      for (const [i, g] of grids.entries()) {
        const code = `GRID-${g.code}`;
        if (await patrolRepository.findTargetByCode(trx.db, code)) continue;
        const targetId = await patrolRepository.insertTarget(trx.db, { code, kind: 'grid', name: g.name, org_code: g.code, org_path: g.path, geometry: g.geometry, attributes: '{}', active: 1, created_at: now });
        await patrolRepository.insertPlan(trx.db, {
          target_id: targetId, kind: 'grid', assignee_user_id: worker.id, assignee_role: null, org_code: community.code, org_path: community.path, level: 'grid',
          period: i === 0 ? 'day' : 'week', times: 1, min_duration_s: cfg.minDurationS, min_distance_m: cfg.minDistanceM, min_coverage: 0,
          starts_on: today, active: 1, note: i === 0 ? '网格员日常巡查 (责任网格)' : '网格员巡查 (社区其他网格)', created_at: now, updated_at: now,
        });
      }
    });
  }
  for (const plan of await patrolRepository.listPlans(ctx.db, '/', { kind: 'river' })) {
    if (plan.assignee_user_id !== null || plan.assignee_role !== 'leader') continue;
    const username = `hz_${plan.org_code}`;
    const existing = await authRepository.findUserByUsername(ctx.db, username);
    const userId = existing?.id ?? (await addUser(ctx, { username, password: DEMO_PASSWORD, role: 'leader', orgCode: plan.org_code, displayName: `${plan.org_name}${plan.level === 'city' ? '总' : ''}河长`, phone: '13800000000' }));
    await patrolRepository.assignPlan(ctx.db, plan.id, userId, now);
  }
}

const HAZARDS: Record<string, string[]> = {
  LYH10: ['安全防护栏缺失', '作业人员未佩戴防护用品', '设备防护罩缺失', '安全警示标识缺失'],
  LYH11: ['消防通道堆放杂物', '灭火器过期', '应急照明损坏', '疏散指示标志缺失'],
  LYH12: ['储罐区可燃气体报警器失效', '危化品台账不全', '静电接地线断开'],
  LYH13: ['压力容器超期未检', '起重机械限位失灵', '叉车无证操作'],
};
const CATEGORY_OF_INDUSTRY: Record<string, string> = { 化工: 'LYH12', 焦化: 'LYH12', 危化品运输: 'LYH12', 加油站: 'LYH12', 商贸: 'LYH11', 仓储物流: 'LYH11', 冶金: 'LYH13', 电力: 'LYH13' };

/** What a plan's patrols look like: who, how reliably (share missed), how long (minutes). */
interface PlanDraw { plan: PlanRow; actor: Actor; geometry: TargetGeometry; missed: number; minutes: [number, number]; enterprise?: { industry: string } }

type Item =
  | { at: number; seq: number; kind: 'patrol'; draw: PlanDraw; durationS: number; speedKmh: number; offset: number; shiftM: number; finding: FindingInput | null; clientId: string }
  | { at: number; seq: number; kind: 'step'; caseId: number; from: string[]; who: Actor; req: Omit<TransitionRequest, 'version'>; next: () => void };

/**
 * The demo's patrol history, after the case history: the last months (at most
 * PATROL_HISTORY_DAYS) of patrols by every plan's person — grid workers, river chiefs, district
 * inspectors — with GPS tracks walked inside their targets, some missed, some too short, too fast,
 * off the target or at night (so compliance has something to show). Inspections find hazards
 * (隐患) that run the hazard flow: 一般隐患 rectified and 销号, a few late; 重大隐患 with a 治理方案
 * and progress reports; the last weeks' still open. One transaction per day; a day run again
 * changes nothing (patrols and findings are keyed by client id, a step whose case has moved on is
 * skipped), so a stopped build can run the whole extension again.
 */
export const patrolHistory: HistoryExtension = {
  name: 'patrols',
  async run(app, opts) {
    const db = app.store.db;
    const tz = app.config.timeZone;
    const rand = randomStream(opts.seed ^ 0x9a7201);
    const endMs = opts.end.getTime();
    const endDate = localDate(opts.end, tz);
    const firstDate = addDays(endDate, -Math.min(opts.days, PATROL_HISTORY_DAYS));
    await patrolRepository.backdatePlans(db, firstDate);

    const userActor = async (username: string, departmentId: number | null = null): Promise<Actor | null> => {
      const u = await authRepository.findUserByUsername(db, username);
      const org = u && (await orgRepository.findByCode(db, u.org_code));
      return u && org ? { kind: 'user', id: u.id, name: u.display_name, role: u.role as Role, orgCode: org.code, orgPath: org.path, departmentId: departmentId ?? u.department_id } : null;
    };
    const yj = await catalogueRepository.findDepartmentByCode(db, 'YJ');
    const dispatcher = await userActor('dispatcher');
    const handler = await userActor('handler', yj?.id ?? null);
    const inspectors = new Map<string, Actor>();
    for (const [district, name] of Object.entries(INSPECTORS)) {
      const a = await userActor(name);
      if (a) inspectors.set(district, a);
    }
    const enterprises = await safetyRepository.listEnterprises(db, '/', {});
    const points = await safetyRepository.riskPoints(db, enterprises.map((e) => e.id));
    const industryOfTarget = new Map(points.map((p) => [p.target_id, enterprises.find((e) => e.id === p.enterprise_id)?.industry ?? '']));

    const draws: PlanDraw[] = [];
    for (const plan of await patrolRepository.listPlans(db, '/', {})) {
      const target = await patrolRepository.findTargetById(db, plan.target_id);
      if (!target?.geometry) continue;
      const district = plan.target_path.split('/').filter(Boolean)[1] ?? '';
      const person = plan.assignee_user_id !== null ? await authRepository.findUserById(db, plan.assignee_user_id) : undefined;
      const actor = person ? await userActor(person.username) : plan.assignee_role === 'inspector' ? inspectors.get(district) ?? null : null;
      if (!actor) continue;
      const geometry = JSON.parse(target.geometry) as TargetGeometry;
      // Reliability differs by person: the second grid worker and the village chiefs miss more.
      const missed = plan.kind === 'grid' ? (person?.username === 'gridworker2' ? 0.18 : 0.05) : plan.kind === 'river' ? ({ city: 0.05, district: 0.08, street: 0.1, community: 0.15 }[plan.level ?? ''] ?? 0.1) : 0.1;
      const minutes: [number, number] = plan.kind === 'safety' ? [20, 60] : plan.kind === 'river' ? [30, 90] : [25, 70];
      draws.push({ plan, actor, geometry, missed, minutes, enterprise: plan.kind === 'safety' ? { industry: industryOfTarget.get(plan.target_id) ?? '' } : undefined });
    }

    const queue = new MinHeap<Item>((a, b) => a.at - b.at || a.seq - b.seq);
    let seq = 0;
    for (const draw of draws) {
      const period = draw.plan.period as PeriodUnit;
      for (let p = periodOf(firstDate, period); p.start < endDate; p = periodOf(addDays(p.end, 1), period)) {
        const from = p.start < firstDate ? firstDate : p.start;
        const to = p.end < endDate ? p.end : addDays(endDate, -1);
        const span = Math.round((Date.parse(to) - Date.parse(from)) / DAY) + 1;
        for (let k = 0; k < draw.plan.times; k++) {
          const skip = rand() < draw.missed;
          const day = addDays(from, Math.floor(rand() * span));
          const anomaly = rand();
          const night = anomaly >= 0.07 && anomaly < 0.08;
          const at = localMidnight(day, tz).getTime() + (night ? 1 + rand() * 3 : 8.5 + rand() * 8) * HOUR;
          const short = anomaly < 0.03;
          const durationS = Math.round((short ? 4 + rand() * 4 : draw.minutes[0] + rand() * (draw.minutes[1] - draw.minutes[0])) * 60);
          const speedKmh = anomaly >= 0.03 && anomaly < 0.05 ? 45 + rand() * 20 : 3.5 + rand() * 1.5;
          const shiftM = anomaly >= 0.05 && anomaly < 0.07 ? 3000 : 0;
          const offset = rand();
          const finding = draw.enterprise && rand() < 0.3 ? hazardFinding(draw, rand) : null;
          if (skip || at + durationS * 1000 > endMs) continue;
          queue.push({ at, seq: seq++, kind: 'patrol', draw, durationS, speedKmh, offset, shiftM, finding, clientId: `demo:${draw.plan.id}:${day}:${k}` });
        }
      }
    }

    const made = { cases: 0, transitions: 0 };
    const schedule = (item: Omit<Extract<Item, { kind: 'step' }>, 'seq' | 'kind'>) => {
      if (item.at < endMs) queue.push({ ...item, kind: 'step', seq: seq++ });
    };
    const hazardSteps = (caseId: number, foundAt: number, major: boolean, inspector: Actor) => {
      if (!dispatcher || !handler || !yj) return;
      const accept = (at: number) => schedule({ at, caseId, from: ['awaiting_acceptance'], who: inspector, req: { action: 'accept_check' }, next: () => schedule({ at: at + (2 + rand() * 10) * HOUR, caseId, from: ['acceptance_passed'], who: dispatcher, req: { action: 'close' }, next: () => undefined }) });
      const rectify = (at: number, from: string) => schedule({ at, caseId, from: [from], who: handler, req: { action: 'rectify', note: major ? '治理完成, 申请验收' : '已整改, 申请验收' }, next: () => accept(at + (0.5 + rand() * 1.5) * DAY) });
      const dispatchAt = foundAt + (1 + rand() * 5) * HOUR;
      if (!major) {
        // 一般隐患: most rectified, accepted and 销号 within the 10 working days, one in ten late.
        const days = rand() < 0.1 ? 15 + rand() * 12 : 0.5 + rand() * 4.5;
        schedule({ at: dispatchAt, caseId, from: ['found'], who: dispatcher, req: { action: 'dispatch', departmentId: yj.id }, next: () => rectify(dispatchAt + days * DAY, 'rectifying') });
        return;
      }
      const planAt = dispatchAt + (2 + rand() * 4) * DAY;
      const deadline = planAt + (20 + rand() * 25) * DAY;
      const doneAt = deadline - (4 + rand() * 15) * DAY;
      schedule({ at: dispatchAt, caseId, from: ['found'], who: dispatcher, req: { action: 'dispatch', departmentId: yj.id }, next: () => schedule({
        at: planAt, caseId, from: ['planning'], who: handler,
        req: { action: 'submit_plan', governancePlan: demoPlan(new Date(deadline).toISOString(), rand) },
        next: () => {
          for (let at = planAt + 10 * DAY; at < doneAt; at += 10 * DAY) schedule({ at, caseId, from: ['governing'], who: handler, req: { action: 'report_progress', note: '治理进展: 按方案推进' }, next: () => undefined });
          rectify(doneAt, 'governing');
        },
      }) });
    };

    while (queue.size > 0) {
      if (opts.signal?.aborted) return made;
      const first = queue.peek() as Item;
      const dayEnd = localMidnight(addDays(localDate(new Date(first.at), tz), 1), tz).getTime();
      await inTransaction({ app, actor: dispatcher ?? (first.kind === 'patrol' ? first.draw.actor : first.who), db, now: new Date(first.at) }, async (trx) => {
        for (let item = queue.peek(); item && item.at < dayEnd; item = queue.peek()) {
          queue.pop();
          if (item.kind === 'step') {
            made.transitions++;
            const current = await caseRepository.findById(trx.db, item.caseId);
            if (current && item.from.includes(current.status)) await transitionCase({ app, actor: item.who, db: trx.db, now: new Date(item.at) }, item.caseId, { ...item.req, version: current.version });
            item.next();
            continue;
          }
          const { draw } = item;
          const track = walkTrack(draw.geometry, { startMs: item.at, durationS: item.durationS, speedKmh: item.speedKmh, offset: item.offset, shiftM: item.shiftM });
          const endedAt = new Date(item.at + item.durationS * 1000);
          const { patrol } = await recordPatrol({ app, actor: draw.actor, db: trx.db, now: endedAt }, {
            planId: draw.plan.id, startedAt: new Date(item.at).toISOString(), endedAt: endedAt.toISOString(), clientId: item.clientId,
            track: { type: 'LineString', coordinates: track.map((p) => [p.lon, p.lat, 0, p.t]) },
            findings: item.finding ? [item.finding] : [],
          });
          if (!item.finding) continue;
          made.cases++;
          const [found] = await patrolRepository.findings(trx.db, [patrol.id]);
          if (found) hazardSteps(found.id, endedAt.getTime(), item.finding.attributes?.hazardLevel === 'major', draw.actor);
        }
      });
      await yieldToEventLoop();
    }
    await sweepLights(app, opts.end);
    return made;
  },
};

/** A 重大隐患's 治理方案 as the demo writes it. */
function demoPlan(deadline: string, rand: () => number): GovernancePlan {
  return {
    targets: '消除隐患, 经验收合格后销号', measures: '停用隐患部位, 委托有资质单位检测, 更换不合格设备, 完善操作规程',
    funds: Math.round(5 + rand() * 95) * 10_000, materials: '检测设备, 替换部件, 警示标识', organisation: '企业安全生产管理部门',
    responsible: '企业主要负责人', deadline, requirements: '按期完成, 资料归档', safetyMeasures: '隐患区域隔离, 设置警戒, 专人监护',
    emergencyPlan: '启用企业综合应急预案, 配备应急物资',
  };
}

/** A hazard an inspection finds at the risk point: a category by the enterprise's industry, about one in seven 重大. */
function hazardFinding(draw: PlanDraw, rand: () => number): FindingInput {
  const category = CATEGORY_OF_INDUSTRY[draw.enterprise?.industry ?? ''] ?? (rand() < 0.3 ? 'LYH11' : 'LYH10');
  const texts = HAZARDS[category];
  const [lon, lat] = draw.geometry.type === 'Point' ? draw.geometry.coordinates : [0, 0];
  const major = rand() < 0.15;
  return {
    categoryCode: category, lon, lat, clientId: 'hazard',
    description: `${draw.plan.target_name}: ${texts[Math.floor(rand() * texts.length)]}（演示数据）`,
    attributes: { hazardLevel: major ? 'major' : 'general' },
  };
}
