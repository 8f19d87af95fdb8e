import type { Actor } from '../auth/actor.js';
import { stripImageMetadata } from './image-metadata.js';

/** Images a browser shows in the page; everything else is only ever downloaded. */
const INLINE = new Set(['image/jpeg', 'image/png', 'image/webp', 'image/gif']);
const EXTENSION: Record<string, string> = {
  'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp', 'image/gif': 'gif', 'image/heic': 'heic', 'image/heif': 'heif', 'application/pdf': 'pdf', 'video/mp4': 'mp4',
};

/**
 * Staff users see photos as uploaded; everyone else (anonymous and citizen readers, API keys
 * of public front ends) gets them without EXIF/XMP/ICC metadata (GPS position, device serial…).
 */
export function seesOriginalPhotos(actor: Actor | null): boolean {
  return actor?.kind === 'user' && actor.role !== 'citizen';
}

/** The bytes to send to `actor`: the original for staff, metadata stripped for everyone else. */
export function bytesFor(actor: Actor | null, bytes: Buffer, mime: string): Buffer {
  return seesOriginalPhotos(actor) ? bytes : stripImageMetadata(bytes, mime);
}

/**
 * A download name that cannot mislead: the uploader's base name with the extension of the type
 * detected from the content (so `x.html` that is a PDF becomes `x.pdf`), as ASCII (other
 * characters → `_`) for old clients and RFC 5987 UTF-8 (`filename*`) for the rest.
 */
export function safeDownloadName(filename: string, mime: string): { ascii: string; utf8: string } {
  const base = filename.replace(/[\\/]/g, '_').replace(/\.[^.]*$/, '').replace(/[\u0000-\u001f\u007f"]/g, '_').trim().slice(0, 100) || 'file';
  const extension = EXTENSION[mime] ?? 'bin';
  const ascii = `${base.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_')}.${extension}`;
  return { ascii, utf8: `${base}.${extension}` };
}

/**
 * Headers of an attachment download: the detected type, `nosniff`, and Content-Disposition
 * `inline` for images a browser renders, `attachment` for anything else (PDF, video, HEIC), so
 * no upload is ever opened as a page of our origin.
 */
export function downloadHeaders(filename: string, mime: string): Record<string, string> {
  const name = safeDownloadName(filename, mime);
  const disposition = INLINE.has(mime) ? 'inline' : 'attachment';
  return {
    'content-type': mime,
    'x-content-type-options': 'nosniff',
    'content-disposition': `${disposition}; filename="${name.ascii}"; filename*=UTF-8''${encodeURIComponent(name.utf8)}`,
  };
}
