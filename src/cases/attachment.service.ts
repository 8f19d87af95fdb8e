import { promises as fs } from 'node:fs';
import type { Ctx } from '../context.js';
import { inTransaction } from '../context.js';
import { AppError } from '../errors.js';
import { caseRepository, type CaseScope } from './case.repository.js';
import { caseScopeFor } from './case.scope.js';
import { attachmentRepository } from './attachment.repository.js';
import { blobPath, detectMime, storeBlob } from './attachment.store.js';

export const PHASES = ['before', 'after', 'other'] as const;
export type Phase = (typeof PHASES)[number];

/**
 * Attaches a photo or document to a case the actor can see: checks its type by content, stores it
 * content-addressed, then records it with a timeline event in one transaction.
 * Throws case_not_found, unsupported_media_type, payload_too_large. `scope` defaults to the actor's.
 */
export async function attachFile(ctx: Ctx, caseId: number, file: { bytes: Buffer; filename: string }, phase: Phase, scope: CaseScope = caseScopeFor(ctx.actor)) {
  const row = await caseRepository.findInScope(ctx.db, caseId, scope);
  if (!row) throw new AppError('case_not_found', `case ${caseId} does not exist or is outside your area`);
  if (file.bytes.length > ctx.app.config.attachments.maxBytes) throw new AppError('payload_too_large', `attachments are limited to ${ctx.app.config.attachments.maxBytes} bytes`, { field: 'file' });
  const mime = await detectMime(file.bytes);
  const sha256 = await storeBlob(ctx.app.config.attachments.dir, file.bytes);
  const filename = file.filename.replace(/[\\/\0]/g, '_').slice(0, 200) || 'file';
  return inTransaction(ctx, async (trx) => {
    const at = trx.now.toISOString();
    const id = await attachmentRepository.insert(trx.db, { case_id: row.id, sha256, mime, size: file.bytes.length, filename, phase, uploaded_by: `${ctx.actor.kind}:${ctx.actor.id}:${ctx.actor.name}`, created_at: at });
    await caseRepository.appendEvent(trx.db, {
      case_id: row.id, at,
      actor_kind: ctx.actor.kind, actor_id: ctx.actor.id, actor_name: ctx.actor.name, actor_role: ctx.actor.role,
      action: 'attach', from_status: null, to_status: null, note: `${phase}: ${filename}`, data: JSON.stringify({ attachmentId: id, sha256, mime, phase }),
    });
    return { id, sha256, mime, size: file.bytes.length, filename, phase, createdAt: at };
  });
}

/** Attachments of a case (caller has checked scope). */
export function listAttachments(ctx: Ctx, caseId: number) {
  return attachmentRepository.listForCase(ctx.db, caseId);
}

/** Opens an attachment of a case the actor can see. Throws case_not_found, attachment_not_found. */
export async function readAttachment(ctx: Ctx, caseId: number, attachmentId: number) {
  const row = await caseRepository.findInScope(ctx.db, caseId, caseScopeFor(ctx.actor));
  if (!row) throw new AppError('case_not_found', `case ${caseId} does not exist or is outside your area`);
  const att = await attachmentRepository.findOnCase(ctx.db, row.id, attachmentId);
  if (!att) throw new AppError('attachment_not_found', `attachment ${attachmentId} does not exist on case ${row.number}`);
  const bytes = await fs.readFile(blobPath(ctx.app.config.attachments.dir, att.sha256));
  return { bytes, mime: att.mime, filename: att.filename };
}
