import type { Ctx } from '../context.js';
import { caseRepository, type CaseRow } from './case.repository.js';

/**
 * When an original case closes, the duplicates merged into it close too, each with a timeline
 * event, and their reporters are told (a notification to the child's community).
 */
export async function closeMergedChildren(ctx: Ctx, parent: CaseRow): Promise<number> {
  const children = (await caseRepository.children(ctx.db, parent.id)).filter((c) => c.status === 'merged');
  for (const child of children) {
    const at = ctx.now.toISOString();
    const ok = await caseRepository.updateAtVersion(ctx.db, child.id, child.version, { status: 'closed', previous_status: 'merged', closed_at: at, updated_at: at, light: 'none', next_light_at: null });
    if (!ok) continue;
    const note = `原案件 ${parent.number} 已结案，本案随之结案并已告知上报人`;
    await caseRepository.appendEvent(ctx.db, {
      case_id: child.id, at,
      actor_kind: 'system', actor_id: 0, actor_name: 'system', actor_role: 'admin',
      action: 'parent_closed', from_status: 'merged', to_status: 'closed', note, data: JSON.stringify({ parentId: parent.id, reporterInformed: true }),
    });
    await caseRepository.insertNotification(ctx.db, {
      case_id: child.id, org_code: child.community_code ?? child.city_code, role: 'citizen', kind: 'reporter_informed', message: `${child.number}: ${note}`, created_at: at,
    });
  }
  return children.length;
}

/**
 * The org unit a case is raised to (上报/提级) or whose staff are told: its community at escalation
 * level 0, then street, district, city.
 */
export function escalationTarget(row: Pick<CaseRow, 'org_path' | 'escalation_level'>): string {
  const chain = row.org_path.split('/').filter(Boolean); // city, district, street, community, grid
  const base = Math.min(3, chain.length - 1);
  return chain[Math.max(0, base - row.escalation_level)];
}
