import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileTypeFromBuffer } from 'file-type';
import { AppError } from '../errors.js';

/** What may be attached to a case, judged by content (magic bytes), never by the file name. */
export const ALLOWED_MIME = new Set(['image/jpeg', 'image/png', 'image/webp', 'image/gif', 'image/heic', 'image/heif', 'application/pdf', 'video/mp4']);

/** Detects a file's type from its bytes. Throws unsupported_media_type for anything not allowed. */
export async function detectMime(bytes: Buffer): Promise<string> {
  const type = await fileTypeFromBuffer(bytes);
  if (!type || !ALLOWED_MIME.has(type.mime)) {
    throw new AppError('unsupported_media_type', `attachments must be photos (JPEG, PNG, WebP, GIF, HEIC), PDF or MP4; this file's content is ${type?.mime ?? 'unknown'}`, { field: 'file' });
  }
  return type.mime;
}

/** Where a content hash lives on disk: <dir>/ab/cd/<sha256>. */
export function blobPath(dir: string, sha256: string): string {
  return path.join(dir, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
}

/**
 * Stores bytes content-addressed and durably (write to a temporary file, fsync, rename), so a file
 * referenced by a committed row is always whole. Storing the same bytes twice is a no-op.
 */
export async function storeBlob(dir: string, bytes: Buffer): Promise<string> {
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const target = blobPath(dir, sha256);
  try {
    await fs.access(target);
    return sha256;
  } catch {
    // not stored yet
  }
  await fs.mkdir(path.dirname(target), { recursive: true });
  const tmp = `${target}.${randomBytes(6).toString('hex')}.tmp`;
  const handle = await fs.open(tmp, 'w');
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fs.rename(tmp, target);
  return sha256;
}
