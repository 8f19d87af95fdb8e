import { inTransaction, type AppContext, type Ctx } from '../context.js';
import { AppError, isAppError } from '../errors.js';
import { translateDbError } from '../db/errors.js';
import { caseAttributes, caseRepository, type CaseRow } from '../cases/case.repository.js';
import { caseScopeFor } from '../cases/case.scope.js';
import { transitionCase } from '../cases/case.transition.js';
import { allowedActions, getWorkflow } from '../cases/workflow/index.js';
import { containsHtml } from './open311.answers.js';
import type { Problem } from './open311.errors.js';
import { COMMENT_ACTION, eventLabel, publicNote, UPDATE_FEED_ACTIONS } from './open311.events.js';
import { field, fieldList, type FormFields } from './open311.form.js';
import { open311Repository, type Open311Scope } from './open311.repository.js';
import type { Open311Settings } from './open311.settings.js';
import { canonicalStatus, extendedStatusOf, INCOMING_STATUSES, openStatusOf } from './open311.status.js';
import { MAX_DESCRIPTION } from './open311.submission.js';
import { parseW3cDatetime, zoned } from '../time/zoned-time.js';
import type { XmlValue } from './open311.xml.js';

const DAY_MS = 86_400_000;

/**
 * GET /servicerequestupdates: the public timeline events (but not the report itself) of the cases a reader sees, between
 * start_date and end_date (default: the last window of days up to now), oldest first, at most
 * `maxRequests` (continue from the last `updated_datetime`). Throws validation_failed.
 */
export async function listUpdates(app: AppContext, scope: Open311Scope, fields: FormFields, settings: Open311Settings, mediaBase: string): Promise<Record<string, XmlValue>[]> {
  const tz = app.config.timeZone;
  const problems: Problem[] = [];
  const parse = (name: string) => {
    const text = field(fields, name);
    const at = text === undefined ? undefined : parseW3cDatetime(text, tz);
    if (at === null) problems.push({ field: name, message: `${name} must be a W3C datetime, got "${String(text).slice(0, 40)}"` });
    return at ?? undefined;
  };
  const end = parse('end_date') ?? app.clock();
  const start = parse('start_date') ?? new Date(end.getTime() - settings.windowDays * DAY_MS);
  if (problems.length) throw new AppError('validation_failed', problems[0].message, { field: problems[0].field, problems });
  const ids = fieldList(fields, 'service_request_id').flatMap((v) => v.split(',')).filter((v) => /^\d{1,15}$/.test(v.trim())).map(Number);
  const rows = await open311Repository.listUpdates(app.store.db, scope, {
    from: start.toISOString(), to: end.toISOString(), actions: UPDATE_FEED_ACTIONS, caseIds: fields.service_request_id ? ids : undefined, limit: settings.maxRequests,
  });
  return rows.map((e) => {
    const state = e.state_then ?? getWorkflow(e.workflow).initial;
    const data = JSON.parse(e.data) as { attachmentId?: number; mime?: string };
    const summary = eventLabel(e.workflow, e.action);
    return {
      update_id: String(e.id),
      service_request_id: String(e.case_id),
      status: extendedStatusOf(e.workflow, state),
      updated_datetime: zoned(e.at, tz),
      description: publicNote(e) ?? summary,
      media_url: e.update_media_url ?? (e.action === 'attach' && data.attachmentId && data.mime?.startsWith('image/') ? `${mediaBase}/media/${e.case_id}/${data.attachmentId}` : ''),
      external_status_code: state,
      customer_reference: e.number,
      ...(e.fixmystreet_id ? { fixmystreet_id: e.fixmystreet_id } : {}),
    };
  });
}

/** A validated POST /servicerequestupdates. */
interface UpdateInput {
  /** The case id, or its number (the `customer_reference` Gridloop publishes). */
  caseRef: { id: number } | { number: string };
  updateId: string;
  status: string;
  updatedAt: string;
  description: string;
  mediaUrls: string[];
}

// A case number: the prefix letters and 14 digits (date and serial), e.g. WH20261126000123.
const CASE_NUMBER = /^[A-Za-z]{1,10}\d{14}$/;

function parseUpdate(fields: FormFields, timeZone: string): UpdateInput {
  const problems: Problem[] = [];
  const need = (name: string, alt?: string) => {
    const value = field(fields, name) ?? (alt ? field(fields, alt) : undefined);
    if (value === undefined) problems.push({ field: name, message: `${name} is required` });
    return value ?? '';
  };
  const id = need('service_request_id');
  const updateId = need('update_id', 'update_id_ext');
  const status = canonicalStatus(need('status'));
  const when = need('updated_datetime');
  const description = (fields.description?.[fields.description.length - 1] ?? '').trim();
  if (id && !/^\d{1,15}$/.test(id) && !CASE_NUMBER.test(id)) problems.push({ field: 'service_request_id', message: `service_request_id "${id.slice(0, 40)}" is neither a request id nor a case number of this endpoint` });
  if (status && !(status in INCOMING_STATUSES)) problems.push({ field: 'status', message: `status must be one of ${Object.keys(INCOMING_STATUSES).join(', ')}` });
  const at = when ? parseW3cDatetime(when, timeZone) : null;
  if (when && !at) problems.push({ field: 'updated_datetime', message: 'updated_datetime must be a W3C datetime' });
  if (updateId.length > 200) problems.push({ field: 'update_id', message: 'update_id must be at most 200 characters' });
  if (description.length > MAX_DESCRIPTION) problems.push({ field: 'description', message: `description must be at most ${MAX_DESCRIPTION} characters` });
  if (containsHtml(description)) problems.push({ field: 'description', message: 'description must be plain text: HTML and code are not accepted' });
  const media = fieldList(fields, 'media_url').concat(fieldList(fields, 'media_url[]'));
  const badMedia = media.find((u) => !/^https?:\/\/[^\s<>"]{1,2000}$/.test(u));
  if (badMedia !== undefined) problems.push({ field: 'media_url', message: `media_url must be an http(s) URL, got "${badMedia.slice(0, 40)}"` });
  if (problems.length) throw new AppError('validation_failed', problems[0].message, { field: problems[0].field, problems });
  return { caseRef: /^\d+$/.test(id) ? { id: Number(id) } : { number: id.toUpperCase() }, updateId, status, updatedAt: at?.toISOString() ?? '', description, mediaUrls: media.slice(0, 10) };
}

/** The case an update names, in the caller's scope. Throws case_not_found. */
async function findCase(ctx: Ctx, ref: UpdateInput['caseRef']): Promise<CaseRow> {
  const id = 'id' in ref ? ref.id : await open311Repository.caseIdByNumber(ctx.db, ref.number);
  const row = id === undefined ? undefined : await caseRepository.findInScope(ctx.db, id, caseScopeFor(ctx.actor));
  const shown = 'id' in ref ? ref.id : ref.number;
  if (!row) throw new AppError('case_not_found', `service request ${shown} does not exist or is outside the area of this API key`, { field: 'service_request_id' });
  return row;
}

/** The action an update status asks for that the caller may take now with only a note, if any. */
function actionFor(row: CaseRow, status: string, ctx: Ctx): string | null {
  const def = getWorkflow(row.workflow);
  if (status === 'OPEN' && openStatusOf(row.workflow, row.status) === 'open') return null;
  const allowed = allowedActions(def, row.status, ctx.actor.role, caseAttributes(row));
  const noteOnly = (action: string) => def.transitions.filter((t) => t.action === action).every((t) => (t.requires ?? []).every((r) => r === 'note'));
  return (INCOMING_STATUSES[status]?.actions ?? []).find((a) => allowed.includes(a) && noteOnly(a)) ?? null;
}

async function recordComment(ctx: Ctx, row: CaseRow, input: UpdateInput): Promise<number> {
  // appendEvent takes the next seq under the case row's lock.
  const { id: eventId } = await caseRepository.appendEvent(ctx.db, {
    case_id: row.id, at: ctx.now.toISOString(),
    actor_kind: ctx.actor.kind, actor_id: ctx.actor.id, actor_name: ctx.actor.name, actor_role: ctx.actor.role,
    // A client's update is public where it came from (FixMyStreet shows it): public, scrubbed on the way out.
    action: COMMENT_ACTION, from_status: null, to_status: null, note: input.description || null, note_public: 1,
    data: JSON.stringify({ source: 'open311', requestedStatus: input.status, updateId: input.updateId, updatedDatetime: input.updatedAt, mediaUrls: input.mediaUrls }),
  });
  const wantsReopen = (input.status === 'REOPEN' || input.status === 'OPEN') && openStatusOf(row.workflow, row.status) === 'closed';
  if (wantsReopen) {
    await caseRepository.insertNotification(ctx.db, {
      case_id: row.id, org_code: row.grid_code ?? row.city_code, role: 'dispatcher', kind: 'reopen_request',
      message: `${row.number}: 市民通过 Open311 申请重新办理：${input.description.slice(0, 200)}`, created_at: ctx.now.toISOString(),
    });
  }
  return eventId;
}

/**
 * POST /servicerequestupdates (mySociety): an update from a client such as FixMyStreet, naming the
 * request by id or by case number (`customer_reference`). When its status maps onto a workflow
 * action the key's role may take now with just a note (e.g. a dispatcher-role key sending FIXED on
 * a case being handled), that transition is taken, its note public; otherwise (the usual `api`
 * role, which holds no workflow rights) the update is recorded as a public comment on the timeline,
 * and a REOPEN/OPEN of a closed case also notifies the dispatchers. A posted media_url is kept with
 * the update. The same update_id from the same key is recorded once; everything is one transaction.
 * Throws validation_failed, case_not_found and what transitionCase throws.
 */
export async function postUpdate(ctx: Ctx, fields: FormFields): Promise<{ updateId: string; accountId: string | null }> {
  const input = parseUpdate(fields, ctx.app.config.timeZone);
  const accountId = field(fields, 'account_id') ?? null;
  const record = () => inTransaction(ctx, async (trx) => {
    const seen = await open311Repository.findUpdate(trx.db, ctx.actor.id, input.updateId);
    if (seen) return seen.event_id;
    const row = await findCase(trx, input.caseRef);
    const action = actionFor(row, input.status, trx);
    let eventId: number;
    if (action) {
      await transitionCase(trx, row.id, { action, version: row.version, note: input.description || `Open311 ${input.status}`, notePublic: true });
      eventId = await open311Repository.lastEventId(trx.db, row.id);
    } else {
      eventId = await recordComment(trx, row, input);
    }
    await open311Repository.insertUpdate(trx.db, {
      api_key_id: ctx.actor.id, client_update_id: input.updateId, case_id: row.id, event_id: eventId, media_url: input.mediaUrls[0] ?? null, created_at: trx.now.toISOString(),
    });
    return eventId;
  });
  const eventId = await record().catch((err: unknown) => {
    // The same update_id raced in twice and this one lost: answer with the winner's update.
    const translated = translateDbError(err);
    if (isAppError(translated) && translated.code === 'already_exists') return record();
    throw translated;
  });
  return { updateId: String(eventId), accountId };
}
