import { promises as fs } from 'node:fs';
import type { Ctx } from '../context.js';
import { AppError } from '../errors.js';
import { blobPath, detectMime, storeBlob } from '../cases/attachment.store.js';
import { getPatrol } from './patrol.query.js';
import { patrolRepository } from './patrol.repository.js';

export interface PhotoMeta {
  lon?: number;
  lat?: number;
  /** When the photo was taken (ISO 8601), as the phone says. */
  takenAt?: string;
}

/**
 * Adds a photo to a patrol in the actor's area (like a case attachment: whoever may record patrols
 * and sees the patrol): the type is judged by content, and only photos are taken; stored
 * content-addressed, once per patrol (the same photo sent again returns the first). Throws
 * not_found, unsupported_media_type, payload_too_large, validation_failed.
 */
export async function addPatrolPhoto(ctx: Ctx, patrolId: number, file: { bytes: Buffer; filename: string }, meta: PhotoMeta) {
  const patrol = await getPatrol(ctx, patrolId);
  if (file.bytes.length > ctx.app.config.attachments.maxBytes) throw new AppError('payload_too_large', `photos are limited to ${ctx.app.config.attachments.maxBytes} bytes`, { field: 'file' });
  if ((meta.lon === undefined) !== (meta.lat === undefined)) throw new AppError('validation_failed', 'give both lon and lat, or neither', { field: 'lon' });
  const takenAt = meta.takenAt === undefined ? null : new Date(meta.takenAt);
  if (takenAt && (Number.isNaN(takenAt.getTime()) || takenAt.getTime() > ctx.now.getTime() + 10 * 60_000)) throw new AppError('validation_failed', 'takenAt must be a date-time, not in the future', { field: 'takenAt' });
  const mime = await detectMime(file.bytes);
  if (!mime.startsWith('image/')) throw new AppError('unsupported_media_type', `a patrol photo must be a photo (JPEG, PNG, WebP, GIF, HEIC); this file's content is ${mime}`, { field: 'file' });
  const sha256 = await storeBlob(ctx.app.config.attachments.dir, file.bytes);
  const filename = file.filename.replace(/[\\/\0]/g, '_').slice(0, 200) || 'photo';
  const at = ctx.now.toISOString();
  const { id, created } = await patrolRepository.insertPhoto(ctx.db, {
    patrol_id: patrol.id, sha256, mime, size: file.bytes.length, filename, lon: meta.lon ?? null, lat: meta.lat ?? null,
    taken_at: takenAt?.toISOString() ?? null, uploaded_by: ctx.actor.id, created_at: at,
  });
  const row = await patrolRepository.findPhoto(ctx.db, patrol.id, id);
  return { photo: row ?? null, created };
}

/** A photo of a patrol in the actor's area, with its bytes. Throws not_found. */
export async function readPatrolPhoto(ctx: Ctx, patrolId: number, photoId: number) {
  const patrol = await getPatrol(ctx, patrolId);
  const photo = await patrolRepository.findPhoto(ctx.db, patrol.id, photoId);
  if (!photo) throw new AppError('not_found', `photo ${photoId} does not exist on patrol ${patrol.id}`, { field: 'photoId' });
  return { bytes: await fs.readFile(blobPath(ctx.app.config.attachments.dir, photo.sha256)), mime: photo.mime, filename: photo.filename };
}

/** How a photo is shown: where to fetch it, what it is, where and when it was taken. */
export function presentPhoto(p: { id: number; patrol_id: number; mime: string; size: number; filename: string; lon: number | null; lat: number | null; taken_at: string | null; created_at: string }) {
  return { id: p.id, url: `/api/v1/patrols/${p.patrol_id}/photos/${p.id}`, mime: p.mime, size: p.size, filename: p.filename, lon: p.lon, lat: p.lat, takenAt: p.taken_at, createdAt: p.created_at };
}
