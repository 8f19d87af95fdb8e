import { createHash } from 'node:crypto';
import type { Ctx } from '../context.js';
import { inTransaction } from '../context.js';
import { AppError } from '../errors.js';
import { intakeCase } from '../cases/case.intake.js';
import { localParts } from '../time/zoned-time.js';
import { patrolRepository, type PatrolRow, type TargetRow } from './patrol.repository.js';
import { coverageOf, maxSpeedKmh, mergePoints, parseTrack, trackLengthM, type TargetGeometry, type TrackInput, type TrackPoint } from './patrol.track.js';
import { loadPatrol } from './patrol.query.js';
import { resolveTarget } from './patrol.targets.js';

export interface FindingInput {
  categoryCode: string;
  lon: number;
  lat: number;
  description: string;
  address?: string;
  attributes?: Record<string, unknown>;
  /** The phone's own id for the finding: a finding sent twice becomes one case. */
  clientId?: string;
}

export interface PatrolInput {
  planId?: number;
  /** A target's code, when no plan is named. */
  target?: string;
  startedAt: string;
  endedAt?: string;
  track?: TrackInput;
  findings?: FindingInput[];
  /** The phone's id for the patrol; without it a patrol is identified by its target and start. */
  clientId?: string;
}

/** Whether a patrol starting at `at` starts in the configured night hours (local time). */
export function startsAtNight(at: Date, timeZone: string, night: { from: number; to: number }): boolean {
  const h = localParts(at, timeZone).hour;
  return night.from <= night.to ? h >= night.from && h < night.to : h >= night.from || h < night.to;
}

/** Distance, duration, coverage, top speed and flags of a patrol from all its points (sorted by time). */
export function patrolFigures(ctx: Ctx, target: TargetRow, startedAt: Date, endedAt: Date | null, points: TrackPoint[]) {
  const cfg = ctx.app.config.patrol;
  const last = endedAt?.getTime() ?? points[points.length - 1]?.t ?? startedAt.getTime();
  const geometry = target.geometry ? (JSON.parse(target.geometry) as TargetGeometry) : null;
  const cover = geometry && points.length ? coverageOf(points, geometry, cfg.bufferM) : null;
  const speed = maxSpeedKmh(points);
  const flags: string[] = [];
  if (speed > cfg.maxSpeedKmh) flags.push('too_fast');
  if (cover && !cover.touches) flags.push('outside_target');
  if (startsAtNight(startedAt, ctx.app.config.timeZone, cfg.night)) flags.push('night');
  return {
    duration_s: Math.max(0, Math.round((last - startedAt.getTime()) / 1000)),
    distance_m: Math.round(trackLengthM(points) * 10) / 10,
    coverage: cover ? Math.round(cover.coverage * 1000) / 1000 : null,
    max_speed_kmh: Math.round(speed * 10) / 10,
    point_count: points.length,
    flags: JSON.stringify(flags),
  };
}

function instant(text: string, field: string): Date {
  const d = new Date(text);
  if (Number.isNaN(d.getTime())) throw new AppError('validation_failed', `${field} is not a date-time`, { field });
  return d;
}

/** A finding's idempotency key: its client id, else a digest of what it says and where. */
function findingKey(patrolId: number, f: FindingInput): string {
  const digest = createHash('sha256').update(JSON.stringify([f.categoryCode, f.lon, f.lat, f.description])).digest('hex').slice(0, 24);
  return `patrol:${patrolId}:${f.clientId ?? digest}`;
}

/**
 * Records a patrol or adds to one: the same patrol (same client id, or same target and start) sent
 * again merges its points by timestamp (a repeated or late batch adds only what is new, in any
 * order), takes its end time and turns new findings into cases through the ordinary intake
 * (channel `patrol`). Distance, duration, coverage and flags are computed here from all points.
 * One transaction. Throws validation_failed, not_found (plan or target outside scope), conflict,
 * and whatever intake throws for a finding (category_not_found, outside_jurisdiction).
 */
export async function recordPatrol(ctx: Ctx, input: PatrolInput): Promise<{ patrol: PatrolRow; created: boolean }> {
  if (ctx.actor.kind !== 'user') throw new AppError('forbidden', 'patrols are recorded by people');
  const { target, planId } = await resolveTarget(ctx, input);
  const startedAt = instant(input.startedAt, 'startedAt');
  const endedAt = input.endedAt ? instant(input.endedAt, 'endedAt') : null;
  const horizon = ctx.now.getTime() + 10 * 60_000;
  if (startedAt.getTime() > horizon || (endedAt && endedAt.getTime() > horizon)) throw new AppError('validation_failed', 'a patrol cannot start or end in the future', { field: 'startedAt' });
  if (endedAt && endedAt < startedAt) throw new AppError('validation_failed', 'endedAt is before startedAt', { field: 'endedAt' });
  const batch = input.track ? parseTrack(input.track) : [];
  if (batch.some((p) => p.t > horizon)) throw new AppError('validation_failed', 'a track point lies in the future', { field: 'track' });
  const clientId = input.clientId ?? `start:${target.id}:${startedAt.toISOString()}`;
  const now = ctx.now.toISOString();

  return inTransaction(ctx, async (trx) => {
    const existing = await patrolRepository.findPatrolByClientId(trx.db, ctx.actor.id, clientId);
    if (existing && existing.target_id !== target.id) throw new AppError('conflict', `patrol ${clientId} was recorded for another target`, { field: 'clientId' });
    const id = existing?.id ?? (await patrolRepository.insertPatrol(trx.db, {
      client_id: clientId, plan_id: planId, target_id: target.id, kind: target.kind, user_id: ctx.actor.id, org_path: target.org_path,
      started_at: startedAt.toISOString(), ended_at: null, duration_s: 0, distance_m: 0, coverage: null, max_speed_kmh: 0, point_count: 0, flags: '[]', created_at: now, updated_at: now,
    }));
    await patrolRepository.addPoints(trx.db, id, batch.map((p) => ({ t: new Date(p.t).toISOString(), lon: p.lon, lat: p.lat })));
    const points = mergePoints((await patrolRepository.points(trx.db, id)).map((p) => ({ t: Date.parse(p.t), lon: p.lon, lat: p.lat })), []);
    const start = existing ? new Date(existing.started_at) : startedAt;
    const end = endedAt ?? (existing?.ended_at ? new Date(existing.ended_at) : null);
    await patrolRepository.updatePatrol(trx.db, id, { ...patrolFigures(ctx, target, start, end, points), ended_at: end?.toISOString() ?? null, plan_id: existing?.plan_id ?? planId, updated_at: now });
    for (const f of input.findings ?? []) {
      const { clientId: _ignored, ...finding } = f;
      const result = await intakeCase(trx, { ...finding, channel: 'patrol', attributes: { ...(f.attributes ?? {}), patrolId: id, patrolTarget: target.code } }, findingKey(id, f));
      await patrolRepository.linkFinding(trx.db, id, result.case.id, now);
    }
    return { patrol: await loadPatrol(trx, id), created: !existing };
  });
}
