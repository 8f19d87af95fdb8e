import type { Ctx } from '../context.js';
import { AppError } from '../errors.js';
import { intakeCase } from '../cases/case.intake.js';
import { attachFile } from '../cases/attachment.service.js';
import { detectMime } from '../cases/attachment.store.js';
import { caseRepository, type CaseRow } from '../cases/case.repository.js';
import { newToken, tokenHash } from '../auth/secrets.js';
import { containsHtml } from '../open311/open311.answers.js';
import { contactProblems } from '../open311/open311.submission.js';
import { publicRepository } from './public.repository.js';
import type { PortalLimits } from './public.limits.js';
import type { PublicReportBody } from './public.schema.js';

export interface SubmittedReport {
  case: CaseRow;
  uploadToken: string;
  uploadExpiresAt: string;
}

/** The same checks an Open311 request gets: plain-text description, contact fields, no HTML. */
function checkReport(body: PublicReportBody): void {
  const problems = contactProblems({ phone: body.phone ?? null, first_name: body.name ?? null, address_string: body.address ?? null, email: null, last_name: null, media_url: null });
  if (containsHtml(body.description)) problems.unshift({ field: 'description', message: 'description must be plain text: HTML and code are not accepted' });
  if (!body.description.trim()) problems.unshift({ field: 'description', message: 'describe the problem' });
  if (problems.length > 0) throw new AppError('validation_failed', problems[0].message, { field: problems[0].field, problems });
}

/**
 * Takes a report from the citizen portal through the common intake (channel web or h5), as the
 * signed-in citizen (the case is then theirs) or as the anonymous public, and issues a photo token
 * only the submitter holds. Throws validation_failed and whatever intake throws.
 */
export async function submitPublicReport(ctx: Ctx, body: PublicReportBody, limits: PortalLimits): Promise<SubmittedReport> {
  checkReport(body);
  const result = await intakeCase(ctx, {
    categoryCode: body.categoryCode,
    lon: body.lon,
    lat: body.lat,
    description: body.description.trim(),
    channel: body.channel ?? 'web',
    address: body.address?.trim() || null,
    reporter: { name: body.name?.trim() || null, phone: body.phone?.trim() || null },
  });
  const uploadToken = newToken();
  const uploadExpiresAt = new Date(ctx.now.getTime() + limits.uploadMinutes * 60_000).toISOString();
  await publicRepository.insertUploadToken(ctx.db, { token_hash: tokenHash(uploadToken), case_id: result.case.id, expires_at: uploadExpiresAt, created_at: ctx.now.toISOString() });
  return { case: result.case, uploadToken, uploadExpiresAt };
}

/**
 * Attaches a photo (phase "before") to the report `number` for whoever holds its upload token,
 * while the token lives and has uses left. Throws forbidden (no such report or token, expired,
 * used up), unsupported_media_type (not a photo), payload_too_large.
 */
export async function attachPublicPhoto(ctx: Ctx, number: string, token: string | undefined, file: { bytes: Buffer; filename: string }, limits: PortalLimits) {
  const row = await caseRepository.findByNumber(ctx.db, number);
  const stored = token ? await publicRepository.findUploadToken(ctx.db, tokenHash(token)) : undefined;
  if (!row || !stored || stored.case_id !== row.id) throw new AppError('forbidden', 'this upload token does not belong to this report', { field: 'x-upload-token' });
  const mime = await detectMime(file.bytes);
  if (!mime.startsWith('image/')) throw new AppError('unsupported_media_type', `send a photo (JPEG, PNG, WebP, GIF, HEIC); this file is ${mime}`, { field: 'file' });
  if (!(await publicRepository.spendUploadToken(ctx.db, stored.token_hash, limits.photoLimit, ctx.now.toISOString()))) {
    throw new AppError('forbidden', `the upload token has expired or its ${limits.photoLimit} photos are used`, { field: 'x-upload-token' });
  }
  const saved = await attachFile(ctx, row.id, file, 'before', { orgPath: '/', includePrivate: true });
  return { id: saved.id, mime: saved.mime, size: saved.size, createdAt: saved.createdAt, remaining: Math.max(0, limits.photoLimit - stored.uses - 1) };
}
