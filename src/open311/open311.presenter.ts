import { getWorkflow } from '../cases/workflow/index.js';
import { localParts, zoned } from '../time/zoned-time.js';
import type { Answer } from './open311.answers.js';
import { scrubText } from '../privacy/scrub.js';
import { eventLabel, isPublicEvent, publicNote } from './open311.events.js';
import { normaliseQuestion, type Question } from './open311.questions.js';
import type { RequestMetaRow } from './open311.repository.js';
import type { SubmitResult } from './open311.intake.js';
import type { Service } from './open311.services.js';
import { openStatusOf } from './open311.status.js';
import type { XmlValue } from './open311.xml.js';

/** Everything one GeoReport request is drawn from: the case columns, its public history, photos, POST metadata. */
export interface RequestView {
  row: {
    id: number; number: string; workflow: string; status: string; category_code: string; description: string; address: string | null;
    lon: number; lat: number; channel: string; grid_code: string | null; community_code: string | null; street_code: string | null;
    district_code: string | null; parent_case_id: number | null; deadline: string | null; attributes: string; created_at: string;
    updated_at: string; closed_at: string | null; service_name: string; agency: string | null;
  };
  events: { at: string; action: string; to_status: string | null; note: string | null; note_public: number }[];
  photos: { id: number; filename: string; phase: string; created_at: string; url: string }[];
  meta: RequestMetaRow | undefined;
  service: Service | undefined;
}

export interface PresentOptions {
  timeZone: string;
  extensions: boolean;
}

function localMinute(iso: string, timeZone: string): string {
  const p = localParts(new Date(iso), timeZone);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${p.year}-${pad(p.month)}-${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)}`;
}

/** What the city will do: the service's configured notice, else the state and the SLA deadline. */
export function serviceNotice(v: { row: Pick<RequestView['row'], 'workflow' | 'status' | 'deadline'>; service: Service | undefined }, timeZone: string): string {
  if (v.service?.notice) return v.service.notice;
  const def = getWorkflow(v.row.workflow);
  const state = def.states[v.row.status];
  const stateLabel = state?.label ?? v.row.status;
  if (state?.openStatus === 'closed' || !v.row.deadline) return `${def.name}：${stateLabel}`;
  return `${def.name}：${stateLabel}，预计 ${localMinute(v.row.deadline, timeZone)} 前办结`;
}

function statusNotes(v: RequestView): string | null {
  const last = [...v.events].reverse().find((e) => e.to_status !== null && isPublicEvent(e.action));
  return last ? publicNote(last) : null;
}

function noteType(v: RequestView, e: RequestView['events'][number]): string {
  if (e.action === 'report') return 'submitted';
  if (e.action === 'reopen') return 'opened';
  if (e.to_status && openStatusOf(v.row.workflow, e.to_status) === 'closed') return 'closed';
  return 'activity';
}

function answerText(value: Answer): string {
  return Array.isArray(value) ? value.join(',') : String(value);
}

function attributesOf(v: RequestView): XmlValue[] {
  let stored: unknown;
  try {
    stored = (JSON.parse(v.row.attributes) as { open311?: unknown }).open311;
  } catch {
    stored = undefined;
  }
  const answers = stored && typeof stored === 'object' ? (stored as Record<string, Answer>) : {};
  const questions = new Map<string, Question>((v.service?.questions ?? []).map((q) => [q.code, q]));
  return Object.entries(answers).map(([code, value]) => {
    const q = questions.get(code);
    const keys = Array.isArray(value) ? value : [String(value)];
    const names = q?.values ? keys.map((k) => q.values?.find((o) => o.key === k)?.name ?? k).join(',') : answerText(value);
    // Text answers are free text from the public: scrubbed like the description.
    return { code, label: q?.description ?? code, name: scrubText(names), value: scrubText(answerText(value)) };
  });
}

function extensionsOf(v: RequestView, timeZone: string): Record<string, XmlValue> {
  const def = getWorkflow(v.row.workflow);
  const publicEvents = v.events.filter((e) => isPublicEvent(e.action));
  return {
    attributes: attributesOf(v),
    extended_attributes: {
      case_number: v.row.number,
      workflow: v.row.workflow,
      detailed_status: v.row.status,
      detailed_status_label: def.states[v.row.status]?.label ?? v.row.status,
      channel: v.row.channel,
      grid_code: v.row.grid_code,
      community_code: v.row.community_code,
      street_code: v.row.street_code,
      district_code: v.row.district_code,
      duplicate: v.row.status === 'merged',
      parent_service_request_id: v.row.parent_case_id === null ? null : String(v.row.parent_case_id),
      photos: v.photos.map((p) => ({ media_url: p.url, title: scrubText(p.filename), created_at: zoned(p.created_at, timeZone) })),
    },
    notes: publicEvents.map((e) => {
      const summary = eventLabel(v.row.workflow, e.action);
      return { datetime: zoned(e.at, timeZone), type: noteType(v, e), summary, description: publicNote(e) ?? summary };
    }),
  };
}

/**
 * One case as a GeoReport v2 request: every spec field (absent values as null), datetimes with the
 * city's offset, no personal data (free text goes through `scrubText`, staff notes only when marked
 * public); with `extensions`, the Chicago-style extras.
 */
export function presentRequest(v: RequestView, opts: PresentOptions): Record<string, XmlValue> {
  const { row } = v;
  const status = openStatusOf(row.workflow, row.status);
  return {
    service_request_id: String(row.id),
    status,
    status_notes: statusNotes(v),
    service_name: row.service_name,
    service_code: row.category_code,
    description: scrubText(row.description || null),
    agency_responsible: row.agency,
    service_notice: serviceNotice(v, opts.timeZone),
    requested_datetime: zoned(row.created_at, opts.timeZone),
    updated_datetime: zoned(status === 'closed' ? (row.closed_at ?? row.updated_at) : row.updated_at, opts.timeZone),
    expected_datetime: zoned(row.deadline, opts.timeZone),
    address: scrubText(row.address),
    address_id: null,
    zipcode: null,
    lat: row.lat,
    long: row.lon,
    media_url: v.meta?.media_url ?? v.photos[0]?.url ?? null,
    ...(opts.extensions ? extensionsOf(v, opts.timeZone) : {}),
  };
}

/** A service in the service list. */
export function presentService(s: Service): Record<string, XmlValue> {
  const kind = s.kind === 'component' ? '管理部件' : s.kind === 'matter' ? '管理事项' : '地方扩展';
  return {
    service_code: s.code,
    service_name: s.name,
    description: `${s.standard === 'local' ? '' : `${s.standard} `}${kind}：${s.name}`,
    metadata: s.questions.length > 0,
    type: s.type,
    keywords: s.keywords.trim() || null,
    group: s.group,
  };
}

/** A service definition: the category's questions as attributes, in display order. */
export function presentServiceDefinition(s: Service): Record<string, XmlValue> {
  return {
    service_code: s.code,
    // `variable` comes first and is always present (true unless the question is informational).
    attributes: [...s.questions].sort((a, b) => a.order - b.order).map((q) => ({ variable: q.variable !== false, ...normaliseQuestion(q) })),
  };
}

/**
 * The answer to POST /requests: the id of a realtime request, the token of a batch one, neither
 * for a blackbox service (the spec never returns an id and a token together).
 */
export function presentSubmitResult(result: SubmitResult, service: Service, accountId: string | null): Record<string, XmlValue> {
  if (result.kind === 'token') return { token: result.token, service_notice: result.notice, account_id: accountId };
  if (service.type === 'blackbox') return { service_notice: result.notice, account_id: accountId };
  return { service_request_id: String(result.caseId), service_notice: result.notice, account_id: accountId };
}
