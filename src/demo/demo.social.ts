import type { AppContext, Ctx } from '../context.js';
import type { Actor, Role } from '../auth/actor.js';
import { inTransaction, makeCtx } from '../context.js';
import { systemActor } from '../auth/actor.js';
import { authRepository } from '../auth/auth.repository.js';
import { gridRepository } from '../grids/grid.repository.js';
import { interiorPoint, polygonsOf, type GridGeometry } from '../grids/geometry.js';
import { orgRepository } from '../org/org.repository.js';
import { intakeCase } from '../cases/case.intake.js';
import { transitionCase, type TransitionRequest } from '../cases/case.transition.js';
import { caseRepository } from '../cases/case.repository.js';
import { sweepLights } from '../cases/case.sweeper.js';
import type { Channel } from '../cases/case.channels.js';
import { addSession, updateDispute } from '../social/dispute.api.js';
import { addFollowup, updatePetition } from '../social/petition.api.js';
import { flagBacklog } from '../social/social.jobs.js';
import type { DISPUTE_SOURCES, RISK_LEVELS } from '../social/social.schema.js';
import { MinHeap } from './min-heap.js';
import { randomStream } from './demo.random.js';
import type { HistoryExtension, HistoryOptions } from './demo.history.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;
/** Disputes and petitions per day of history, city-wide (a 市域社会治理中心's order of magnitude, scaled down like the base history). */
const DISPUTES_PER_DAY = 0.7;
const PETITIONS_PER_DAY = 0.35;

const DISPUTE_MIX: [string, number, string][] = [
  ['LMD01', 30, '相邻通行、噪音、漏水引发邻里矛盾'], ['LMD02', 12, '婚姻家庭赡养纠纷'], ['LMD03', 16, '物业费与维修责任纠纷'], ['LMD04', 10, '拖欠工资劳动争议'],
  ['LMD05', 3, '土地承包经营权纠纷'], ['LMD06', 4, '征地拆迁补偿纠纷'], ['LMD07', 8, '商品质量消费纠纷'], ['LMD08', 4, '医疗损害赔偿纠纷'], ['LMD09', 10, '交通事故损害赔偿纠纷'], ['LMD99', 3, '合伙经营纠纷'],
];
type Source = (typeof DISPUTE_SOURCES)[number];
const SOURCE_MIX: [Source, number, Channel][] = [['patrol', 30, 'patrol'], ['walk_in', 28, 'visit'], ['hotline', 15, 'hotline'], ['court_delegated', 15, 'court'], ['court_entrusted', 5, 'court'], ['petition', 7, 'letter']];
const PETITION_MIX: [string, number, string][] = [
  ['LXF01', 20, '反映社区公共事务处理不公'], ['LXF02', 10, '对法院判决执行提出异议'], ['LXF03', 25, '反映小区违章建设、房屋质量问题'], ['LXF04', 20, '反映社保待遇、拖欠工资问题'], ['LXF05', 8, '反映农村土地、补贴问题'], ['LXF06', 17, '反映企业排污、噪声扰民问题'],
];
const SURNAMES = '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文';
const GIVEN = ['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀英', '霞', '平', '刚', '桂英', '建华', '海燕', '志强', '玉兰', '国庆', '淑珍'];
const PLACES = ['社区调解室', '街道人民调解委员会', '网格工作站', '诉调对接工作室', '当事人家中'];
const MEDIATORS = ['王桂兰', '李建国', '张淑珍', '刘志强', '陈玉梅', '赵国庆', '杨秀英', '郭海军'];

type Pick = <T>(items: readonly T[]) => T;

/** An 18-character resident ID number with a correct GB 11643 check character, drawn for a demo party. */
function idNumber(rand: () => number, district: string): string {
  const year = 1950 + Math.floor(rand() * 50);
  const month = 1 + Math.floor(rand() * 12);
  const day = 1 + Math.floor(rand() * 28);
  const body = `${district}${year}${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}${String(Math.floor(rand() * 1000)).padStart(3, '0')}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = weights.reduce((acc, w, i) => acc + w * Number(body[i]), 0);
  return body + '10X98765432'[sum % 11];
}

interface Step { at: number; run: (at: number) => Promise<void> }

/**
 * The demo city's 矛盾纠纷 and 信访 over the history period, through the same domain functions
 * the API uses: disputes from every source (patrols, walk-ins, 12345, court referrals, petitions)
 * with parties, sessions, agreements (some applied for 司法确认), referrals after failure, 回访;
 * petitions by visit, letter and online, accepted or not, some extended, answered, rated, a few
 * taken to 复查 and 复核, repeats, and petitions left open past their limit as 积案 with a 包案领导
 * and follow-ups. The latest cases are still open. Deterministic for the seed; everything is
 * written in one transaction, so a stopped build leaves nothing and the next runs it again.
 */
export async function buildSocialHistory(app: AppContext, opts: Omit<HistoryOptions, 'casesPerDay'>): Promise<{ cases: number; transitions: number }> {
  const rand = randomStream((opts.seed ^ 0x5ec1a1) >>> 0);
  const pick: Pick = (items) => items[Math.floor(rand() * items.length)];
  const weighted = <T extends [string, number, ...unknown[]]>(mix: T[]): T => {
    let r = rand() * mix.reduce((s, m) => s + m[1], 0);
    for (const m of mix) if ((r -= m[1]) <= 0) return m;
    return mix[0];
  };
  const db = app.store.db;
  const endMs = opts.end.getTime();
  const startMs = endMs - opts.days * DAY;
  const grids = (await gridRepository.listShapes(db, '/')).map((g) => ({ path: g.path, point: interiorPoint(polygonsOf(JSON.parse(g.geometry) as GridGeometry)) }));
  if (grids.length === 0) return { cases: 0, transitions: 0 };
  const names = new Map((await orgRepository.list(db, '/150300/', { level: 'street' }, { limit: 10_000, offset: 0 })).items.map((o) => [o.code, o.name]));
  const userId = async (name: string) => (await authRepository.findUserByUsername(db, name))?.id ?? 0;
  const ids = { mediator: await userId('mediator'), dispatcher: await userId('dispatcher'), leader: await userId('leader'), gridworker: await userId('gridworker') };
  const leaderId = ids.leader || null;
  const actor = (name: keyof typeof ids, role: Role, orgPath: string): Actor => ({ kind: 'user', id: ids[name], name, role, orgCode: orgPath.split('/').filter(Boolean).at(-1) ?? '150300', orgPath, departmentId: null });
  const city = '/150300/';
  const totals = { cases: 0, transitions: 0 };
  const queue = new MinHeap<Step & { seq: number }>((a, b) => a.at - b.at || a.seq - b.seq);
  let seq = 0;
  const schedule = (at: number, run: (at: number) => Promise<void>) => {
    if (at < endMs) queue.push({ at, run, seq: seq++ });
  };
  const person = () => `${pick([...SURNAMES])}${pick(GIVEN)}`;
  const phone = () => `13${String(Math.floor(rand() * 1e9)).padStart(9, '0')}`;

  const built = await inTransaction(makeCtx(app, systemActor()), async (trx) => {
    const ctxAt = (a: Actor, at: number): Ctx => ({ ...trx, actor: a, now: new Date(at) });
    const step = async (caseId: number, a: Actor, at: number, request: Omit<TransitionRequest, 'version'>) => {
      const current = await caseRepository.findById(trx.db, caseId);
      if (!current) return;
      await transitionCase(ctxAt(a, at), caseId, { ...request, version: current.version });
      totals.transitions++;
    };

    // Parties seen before: some come back with the same dispute type within months (回流).
    const seenParties: { code: string; parties: { role: 'applicant' | 'respondent'; name: string; phone: string; idNumber: string }[] }[] = [];
    const disputes = Math.round(opts.days * DISPUTES_PER_DAY);
    for (let i = 0; i < disputes; i++) {
      const at = startMs + Math.floor(rand() * opts.days * DAY * 0.999) + 8 * HOUR;
      const [code, , description] = weighted(DISPUTE_MIX);
      const [source, , channel] = weighted(SOURCE_MIX);
      const grid = pick(grids);
      const segments = grid.path.split('/').filter(Boolean);
      const street = `/${segments.slice(0, 3).join('/')}/`;
      const community = `/${segments.slice(0, 4).join('/')}/`;
      const again = seenParties.length > 10 && rand() < 0.05 ? seenParties[Math.floor(rand() * seenParties.length)] : null;
      const parties = again && again.code === code ? again.parties : [
        { role: 'applicant' as const, name: person(), phone: phone(), idNumber: idNumber(rand, segments[1] ?? '150302') },
        { role: 'respondent' as const, name: person(), phone: phone(), idNumber: idNumber(rand, segments[1] ?? '150302') },
      ];
      if (!again) seenParties.push({ code, parties });
      const r = rand();
      const riskLevel: (typeof RISK_LEVELS)[number] = r < 0.04 ? 'major' : r < 0.18 ? 'significant' : 'general';
      const peopleCount = rand() < 0.08 ? 5 + Math.floor(rand() * 40) : 2;
      const court = source.startsWith('court');
      const streetName = names.get(segments[2] ?? '') ?? '';
      const mediationOrg = court ? `${streetName}诉调对接工作室` : code === 'LMD09' ? '乌海市道路交通事故纠纷人民调解委员会' : code === 'LMD08' ? '乌海市医疗纠纷人民调解委员会' : `${streetName}人民调解委员会`;
      const intakeActor = source === 'patrol' ? actor('gridworker', 'grid_worker', community) : source === 'hotline' ? actor('dispatcher', 'dispatcher', city) : actor('mediator', 'mediator', street);
      const created = await intakeCase(ctxAt(intakeActor, at), {
        categoryCode: code, lon: grid.point[0], lat: grid.point[1], channel, description: `${description}（演示数据）`, address: null,
        reporter: { name: parties[0].name, phone: parties[0].phone },
        dispute: { source, amount: rand() < 0.6 ? Math.round(rand() * 200) * 500 : null, peopleCount, riskLevel, mediationOrg, parties },
      });
      totals.cases++;
      const id = created.case.id;
      // Mediators work where the dispute is: most at the community, some at the street, a few at the district.
      const level = rand();
      const mediator = actor('mediator', 'mediator', level < 0.6 ? community : level < 0.92 ? street : `/${segments.slice(0, 2).join('/')}/`);
      const assignAt = at + Math.round((0.2 + rand() * 2) * DAY);
      const startAt = assignAt + Math.round((0.1 + rand() * 2) * DAY);
      const sessions = 1 + Math.floor(rand() * 3);
      const sessionAts = Array.from({ length: sessions }, (_, k) => startAt + Math.round((k * 3 + 1 + rand() * 2) * DAY));
      const outcomeAt = sessionAts[sessions - 1] + Math.round((0.5 + rand() * (rand() < 0.03 ? 30 : 4)) * DAY);
      const success = rand() < (court ? 0.62 : 0.84);
      const oral = rand() < 0.7;
      const applyFor = success && rand() < (court ? 0.7 : 0.3);
      const kept = rand() < 0.9;
      // 回访 within a week of the agreement, so that most cases close inside the mediation period.
      const followAt = outcomeAt + Math.round((2 + rand() * 5) * DAY);
      const names2 = [pick(MEDIATORS), ...(rand() < 0.3 ? [pick(MEDIATORS)] : [])];
      schedule(assignAt, async (t) => {
        await step(id, mediator, t, { action: 'assign', note: `指派调解员：${names2.join('、')}` });
        await updateDispute(ctxAt(mediator, t), id, { mediators: [...new Set(names2)] });
      });
      schedule(startAt, (t) => step(id, mediator, t, { action: 'start_mediation' }));
      for (const sAt of sessionAts) {
        schedule(sAt, async (t) => {
          await addSession(ctxAt(mediator, t), id, { heldAt: new Date(t - HOUR).toISOString(), place: pick(PLACES), attendees: `${parties.map((p) => p.name).join('、')}、${names2[0]}`, summary: pick(['听取双方陈述，释法说理', '背对背调解，缩小分歧', '组织双方面对面协商', '邀请法律顾问参与释明']) });
        });
      }
      schedule(outcomeAt, async (t) => {
        if (success) {
          await updateDispute(ctxAt(mediator, t), id, { agreement: { kind: 'oral', summary: oral ? '双方达成口头协议，当场履行' : '双方达成调解协议，约定分期履行' } });
          await step(id, mediator, t + 60_000, { action: 'succeed' });
        } else {
          await updateDispute(ctxAt(mediator, t), id, { referral: { to: pick(['litigation', 'litigation', 'arbitration', 'administrative', 'petition'] as const), note: '双方分歧较大，告知其他救济途径' } });
          await step(id, mediator, t + 60_000, { action: 'fail', note: '调解不成，已告知当事人诉讼等途径' });
        }
      });
      if (applyFor) schedule(outcomeAt + Math.round((2 + rand() * 20) * DAY), (t) => updateDispute(ctxAt(mediator, t), id, { confirmation: { applied: true } }).then(() => undefined));
      if (success) {
        schedule(followAt, (t) => step(id, mediator, t, { action: 'callback', callback: { contacted: true, solved: kept, satisfaction: kept ? 'satisfied' : 'dissatisfied' } }));
        schedule(followAt + Math.round((0.2 + rand() * 1) * DAY), (t) => step(id, mediator, t, { action: 'close' }));
      } else {
        schedule(outcomeAt + Math.round((1 + rand() * 4) * DAY), (t) => step(id, mediator, t, { action: 'close' }));
      }
    }

    // Some petitioners come back on the same matter (重复信访); only those never take a case to 复核,
    // after which the same matter would not be accepted again.
    const petitioners: { code: string; name: string; phone: string; returns: boolean }[] = [];
    const petitions = Math.round(opts.days * PETITIONS_PER_DAY);
    for (let i = 0; i < petitions; i++) {
      const at = startMs + Math.floor(rand() * opts.days * DAY * 0.999) + 9 * HOUR;
      const returning = petitioners.filter((p) => p.returns);
      const earlier = returning.length > 3 && rand() < 0.07 ? returning[Math.floor(rand() * returning.length)] : null;
      const [code, , matter] = earlier ? (PETITION_MIX.find((m) => m[0] === earlier.code) ?? weighted(PETITION_MIX)) : weighted(PETITION_MIX);
      const who = earlier ?? { code, name: person(), phone: phone(), returns: rand() < 0.4 };
      if (!earlier) petitioners.push(who);
      const grid = pick(grids);
      const c = rand();
      const channel: Channel = c < 0.45 ? 'visit' : c < 0.7 ? 'letter' : 'online';
      const dispatcher = actor('dispatcher', 'dispatcher', city);
      const leader = actor('leader', 'leader', city);
      const created = await intakeCase(ctxAt(dispatcher, at), {
        categoryCode: code, lon: grid.point[0], lat: grid.point[1], channel, description: `${matter}（演示数据）`, address: null,
        reporter: { name: who.name, phone: who.phone },
        petition: { petitioners: rand() < 0.08 ? 5 + Math.floor(rand() * 30) : 1, addressedTo: `${names.get(grid.path.split('/').filter(Boolean)[2] ?? '') ?? '乌海市'}办事处`, skippedLevel: rand() < 0.06 },
      });
      totals.cases++;
      const id = created.case.id;
      if (rand() < 0.08) {
        schedule(at + Math.round((1 + rand() * 10) * DAY), (t) => step(id, dispatcher, t, { action: 'reject', note: '属于诉讼程序解决事项，已告知依法向人民法院提出' }));
        continue;
      }
      const acceptAt = at + Math.round((0.5 + rand() * (rand() < 0.08 ? 20 : 6)) * DAY);
      const stuck = rand() < 0.03; // never answered: open past 60 days, a 积案
      const extended = !stuck && rand() < 0.05;
      // Most replies within a month of acceptance; some late; an extended one after its extension.
      const replyAt = acceptAt + Math.round((extended ? 52 + rand() * 35 : 5 + rand() * (rand() < 0.04 ? 70 : 17)) * DAY);
      schedule(acceptAt, (t) => step(id, dispatcher, t, { action: 'accept' }));
      if (extended) {
        schedule(acceptAt + 50 * DAY, (t) => step(id, dispatcher, t, { action: 'request_extension', extensionAmount: 30, note: '情况复杂，需多部门会商' }));
        schedule(acceptAt + 51 * DAY, (t) => step(id, leader, t, { action: 'approve_extension' }));
      }
      if (stuck) {
        // The 积案 gets its leader and monthly follow-ups.
        if (leaderId) schedule(acceptAt + 62 * DAY, (t) => updatePetition(ctxAt(leader, t), id, { leadUserId: leaderId }).then(() => undefined));
        for (let m = 1; m <= 4; m++) {
          schedule(acceptAt + (62 + 30 * m) * DAY, (t) => addFollowup(ctxAt(leader, t), id, pick(['包案领导约谈信访人，了解诉求', '召开协调会，明确责任单位', '实地走访核查，推动化解'])).then(() => undefined));
        }
        continue;
      }
      schedule(replyAt, (t) => step(id, dispatcher, t, { action: 'reply', note: '已出具书面答复意见书' }));
      const rated = rand() < 0.7;
      const happy = rand() < 0.82;
      if (rated) schedule(replyAt + Math.round((2 + rand() * 8) * DAY), (t) => step(id, dispatcher, t, { action: 'evaluate', callback: { contacted: true, solved: happy, satisfaction: happy ? 'satisfied' : 'dissatisfied' } }));
      if (rand() < 0.12) {
        const reviewAt = replyAt + Math.round((11 + rand() * 18) * DAY);
        const opinionAt = reviewAt + Math.round((10 + rand() * 19) * DAY);
        schedule(reviewAt, (t) => step(id, dispatcher, t, { action: 'request_review', note: '信访人不服答复意见，请求复查' }));
        schedule(opinionAt, (t) => step(id, dispatcher, t, { action: 'review_opinion', note: '复查维持原答复意见' }));
        if (!who.returns && rand() < 0.4) {
          const recheckAt = opinionAt + Math.round((5 + rand() * 20) * DAY);
          schedule(recheckAt, (t) => step(id, dispatcher, t, { action: 'request_recheck', note: '信访人不服复查意见，请求复核' }));
          schedule(recheckAt + Math.round((10 + rand() * 18) * DAY), (t) => step(id, dispatcher, t, { action: 'recheck_opinion', note: '复核维持复查意见，信访事项终结' }));
        } else {
          schedule(opinionAt + 31 * DAY, (t) => step(id, dispatcher, t, { action: 'close' }));
        }
      } else {
        // 办结 once the written reply has been served (a few days after it).
        schedule(replyAt + Math.round((1 + rand() * 2) * DAY), (t) => step(id, dispatcher, t, { action: 'close' }));
      }
    }

    // Steps in time order; petitions past their limit become 积案 at each day's check, as the sweeper would mark them.
    let nextCheck = startMs + DAY;
    for (let s = queue.pop(); s; s = queue.pop()) {
      for (; nextCheck <= s.at; nextCheck += DAY) await flagBacklog(trx.db, new Date(nextCheck), 1000);
      await s.run(s.at);
    }
    for (; nextCheck <= endMs; nextCheck += DAY) await flagBacklog(trx.db, new Date(nextCheck), 1000);
    return totals;
  });
  // The base history's last light sweep ran before these cases existed.
  await sweepLights(app, opts.end);
  return built;
}

/** The history extension that adds the disputes and petitions. */
export const socialHistory: HistoryExtension = { name: 'social', run: buildSocialHistory };
