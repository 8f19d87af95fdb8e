import type { FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';

/**
 * Reads the one file of a multipart upload. Throws unsupported_media_type (not multipart),
 * validation_failed (no file, or more than one: a second file is refused, never silently
 * dropped) and payload_too_large (over `maxBytes`).
 */
export async function readSingleFile(request: FastifyRequest, maxBytes: number): Promise<{ bytes: Buffer; filename: string }> {
  if (!request.isMultipart()) throw new AppError('unsupported_media_type', 'send the file as multipart/form-data in a field named "file"');
  let file: { bytes: Buffer; filename: string } | undefined;
  for await (const part of request.parts({ limits: { fileSize: maxBytes, files: 2 } })) {
    if (part.type !== 'file') continue;
    if (file) throw new AppError('validation_failed', 'send one file per upload; this request carries more than one', { field: part.fieldname });
    const bytes = await part.toBuffer();
    if (part.file.truncated) throw new AppError('payload_too_large', `files are limited to ${maxBytes} bytes`, { field: part.fieldname });
    file = { bytes, filename: part.filename };
  }
  if (!file) throw new AppError('validation_failed', 'no file in the upload', { field: 'file' });
  return file;
}
