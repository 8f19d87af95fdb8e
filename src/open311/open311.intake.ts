import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { inTransaction, type Ctx } from '../context.js';
import { AppError, isAppError } from '../errors.js';
import { intakeCase } from '../cases/case.intake.js';
import { attachFile } from '../cases/attachment.service.js';
import { blobPath, detectMime, storeBlob } from '../cases/attachment.store.js';
import { locatePoint } from '../grids/grid.locate.js';
import { orgRepository } from '../org/org.repository.js';
import { caseRepository } from '../cases/case.repository.js';
import { translateDbError } from '../db/errors.js';
import { serviceNotice } from './open311.presenter.js';
import type { FormFile } from './open311.form.js';
import { locateAddress } from './open311.geocode.js';
import type { Jurisdiction } from './open311.jurisdiction.js';
import { open311Repository } from './open311.repository.js';
import type { Service } from './open311.services.js';
import type { Submission } from './open311.submission.js';

/** A submission with its final point (given, or derived from the address). */
export interface LocatedSubmission extends Submission {
  lon: number;
  lat: number;
  locatedBy: 'coordinates' | 'address';
  /** Files already stored content-addressed (batch: before the token is acknowledged). */
  media: { sha256: string; filename: string }[];
}

/**
 * Fixes the submission's point and checks it before anything is acknowledged: inside a grid of the
 * jurisdiction, and inside the key's area. Throws validation_failed (outside / unknown address)
 * and forbidden (outside the key's area).
 */
export async function locateSubmission(ctx: Ctx, jurisdiction: Jurisdiction | null, sub: Submission): Promise<Omit<LocatedSubmission, 'media'>> {
  let point = sub.lon !== null && sub.lat !== null ? { lon: sub.lon, lat: sub.lat } : null;
  const locatedBy = point ? 'coordinates' as const : 'address' as const;
  if (!point && jurisdiction && sub.addressString) point = await locateAddress(ctx.app, ctx.db, jurisdiction, sub.addressString);
  if (!point) throw new AppError('validation_failed', 'address_string names no district, street or community of this city; send lat and long', { field: 'address_string' });
  const located = locatePoint(ctx.app, point.lon, point.lat);
  const grid = located.grid ? await orgRepository.findByCode(ctx.db, located.grid.code) : undefined;
  if (!grid || (jurisdiction && !grid.path.startsWith(jurisdiction.path))) {
    throw new AppError('validation_failed', `the location ${point.lat},${point.lon} lies outside every grid of ${jurisdiction ? `${jurisdiction.name} (${jurisdiction.code})` : 'this endpoint'}`, { field: 'lat' });
  }
  if (!grid.path.startsWith(ctx.actor.orgPath)) throw new AppError('forbidden', 'the location is outside the area of this API key', { field: 'lat' });
  return { ...sub, lon: point.lon, lat: point.lat, locatedBy };
}

/** Checks the media files by content; throws unsupported_media_type. */
export async function checkMedia(files: FormFile[]): Promise<void> {
  for (const f of files) {
    const mime = await detectMime(f.bytes);
    if (!mime.startsWith('image/')) throw new AppError('unsupported_media_type', `media must be a photo (JPEG, PNG, WebP, GIF, HEIC); ${f.filename} is ${mime}`, { field: f.field });
  }
}

/**
 * Creates the case of a located submission through the common intake (channel open311), records
 * its Open311 metadata and attaches its photos, all in one transaction (with `ctx`'s, when it is
 * one): a failure on the way leaves nothing, so the client's retry creates it whole. Photos are
 * stored content-addressed first (an unused blob is harmless). `idempotencyKey` makes a retry
 * return the same case. Throws what intake and attachFile throw.
 */
export async function createCaseFrom(ctx: Ctx, sub: LocatedSubmission, files: FormFile[], idempotencyKey: string | undefined, origin: { apiKeyId: number; token: string | null }): Promise<{ caseId: number; replayed: boolean }> {
  const create = () => inTransaction(ctx, async (trx) => {
    const result = await intakeCase(trx, {
      categoryCode: sub.serviceCode,
      lon: sub.lon,
      lat: sub.lat,
      description: sub.description,
      channel: 'open311',
      address: sub.addressString,
      reporter: { name: sub.reporterName, phone: sub.phone },
      attributes: { open311: sub.answers, ...(sub.locatedBy === 'address' ? { open311_located_by: 'address_string' } : {}) },
      clientRequestId: sub.clientRequestId,
    }, idempotencyKey);
    const caseId = result.case.id;
    if (result.replayed) return { caseId, replayed: true };
    await open311Repository.insertMeta(trx.db, {
      case_id: caseId, api_key_id: origin.apiKeyId, token: origin.token, email: sub.email, device_id: sub.deviceId, account_id: sub.accountId,
      media_url: sub.mediaUrl, fixmystreet_id: sub.fixmystreetId, created_at: trx.now.toISOString(),
    });
    for (const file of files) await attachFile(trx, caseId, { bytes: file.bytes, filename: file.filename }, 'before');
    return { caseId, replayed: false };
  });
  return create().catch((err: unknown) => {
    // Two retries with one key raced and this one lost (its transaction is gone): the winner's case.
    const translated = translateDbError(err);
    if (idempotencyKey && !ctx.db.isTransaction && isAppError(translated) && translated.code === 'already_exists') return create();
    throw translated;
  });
}

/**
 * Accepts a batch submission: stores its photos and writes the token row (payload and actor
 * included) before the caller replies, so an acknowledged request is never lost. A repeated
 * client_request_id returns the first token.
 */
export async function acceptBatch(ctx: Ctx, sub: Omit<LocatedSubmission, 'media'>, files: FormFile[]): Promise<{ token: string; created: boolean }> {
  if (sub.clientRequestId) {
    const existing = await open311Repository.findTokenByClientId(ctx.db, ctx.actor.id, sub.clientRequestId);
    if (existing) return { token: existing.token, created: false };
  }
  const media = [];
  for (const f of files) media.push({ sha256: await storeBlob(ctx.app.config.attachments.dir, f.bytes), filename: f.filename });
  const token = randomUUID();
  const at = ctx.now.toISOString();
  try {
    await open311Repository.insertToken(ctx.db, {
      token, status: 'pending', case_id: null, error: null, api_key_id: ctx.actor.id, client_request_id: sub.clientRequestId,
      actor: JSON.stringify(ctx.actor), payload: JSON.stringify({ ...sub, media }), created_at: at, updated_at: at,
    });
  } catch (err) {
    // Two retries with one client_request_id raced: the loser answers with the winner's token.
    const translated = translateDbError(err);
    const winner = sub.clientRequestId && isAppError(translated) && translated.code === 'already_exists'
      ? await open311Repository.findTokenByClientId(ctx.db, ctx.actor.id, sub.clientRequestId) : undefined;
    if (winner) return { token: winner.token, created: false };
    throw translated;
  }
  return { token, created: true };
}

/** The stored photos of a batch payload, read back as files. */
export async function storedFiles(ctx: Ctx, media: LocatedSubmission['media']): Promise<FormFile[]> {
  const files: FormFile[] = [];
  for (const m of media) files.push({ field: 'media', filename: m.filename, bytes: await fs.readFile(blobPath(ctx.app.config.attachments.dir, m.sha256)) });
  return files;
}

/** What a POST /requests produced: a case at once, or a token resolved later. */
export type SubmitResult =
  | { kind: 'case'; caseId: number; notice: string; replayed: boolean }
  | { kind: 'token'; token: string; notice: string };

const BATCH_NOTICE = '已受理，正在生成案件；请用 token 查询 /tokens/{token} 获取编号。';

/**
 * Submits a validated request for `service` as the key in `ctx`: locates it, then either creates
 * the case now (realtime, blackbox) or acknowledges a batch token and queues the case. A repeated
 * `client_request_id` returns the first result. Throws validation_failed, forbidden,
 * unsupported_media_type and whatever intake throws.
 */
export async function submitRequest(ctx: Ctx, jurisdiction: Jurisdiction | null, service: Service, sub: Submission, files: FormFile[], enqueue: (token: string) => void): Promise<SubmitResult> {
  await checkMedia(files);
  const located = await locateSubmission(ctx, jurisdiction, sub);
  if (service.type === 'batch') {
    const { token } = await acceptBatch(ctx, located, files);
    enqueue(token);
    return { kind: 'token', token, notice: service.notice ?? BATCH_NOTICE };
  }
  const idempotencyKey = sub.clientRequestId ? `open311:${sub.clientRequestId}` : undefined;
  const { caseId, replayed } = await createCaseFrom(ctx, { ...located, media: [] }, files, idempotencyKey, { apiKeyId: ctx.actor.id, token: null });
  const row = await caseRepository.findById(ctx.db, caseId);
  const notice = row ? serviceNotice({ row, service }, ctx.app.config.timeZone) : (service.notice ?? '');
  return { kind: 'case', caseId, notice, replayed };
}
