import type { Ctx } from '../context.js';
import { AppError } from '../errors.js';
import { waterRepository } from '../water/water.repository.js';
import type { TargetGeometry } from './patrol.track.js';
import { midpoint, riversIn } from './river.register.js';

type Bodies = Awaited<ReturnType<typeof riversIn>>;

function board(body: Bodies[number], reach: Bodies[number]['reaches'][number], measured: { last_class: string | null; last_ts: string | null } | undefined) {
  return {
    code: reach.code,
    name: reach.name,
    waterBody: { code: body.code, name: body.name, kind: body.kind },
    qualityTarget: body.qualityTarget,
    // The last class measured at the reach's water-quality station (GB 3838-2002), when there is one.
    waterClass: measured?.last_class ? { class: measured.last_class, at: measured.last_ts } : null,
    officePhone: body.officePhone,
    department: body.department?.name ?? null,
    demoGeometry: body.demoGeometry,
    geometry: reach.geometry,
    at: reach.geometry ? midpoint(reach.geometry as TargetGeometry) : null,
    // A chief is named by post (level and org unit) and, when a person is assigned, by name; never a personal phone.
    chiefs: reach.chiefs.map((c) => ({ level: c.level, org: c.orgName, person: c.person, frequency: { ...c.rule, label: c.frequency } })),
    quality: reach.quality,
  };
}

/** The public 河长公示牌 of every reach in the city: the water body, the chiefs by level, the office phone, the quality target. */
export async function listRiverBoards(ctx: Ctx) {
  const bodies = await riversIn(ctx, '/');
  const codes = bodies.flatMap((b) => b.reaches.map((r) => r.code));
  const measured = new Map(await Promise.all(codes.map(async (c) => [c, await waterRepository.findState(ctx.db, c)] as const)));
  return bodies.flatMap((b) => b.reaches.map((r) => board(b, r, measured.get(r.code))));
}

/** One reach's public board. Throws not_found. */
export async function getRiverBoard(ctx: Ctx, code: string) {
  const found = (await listRiverBoards(ctx)).find((b) => b.code === code);
  if (!found) throw new AppError('not_found', `no reach ${code}`, { field: 'code' });
  return found;
}
