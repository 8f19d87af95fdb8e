/**
 * The reading payload, as pure functions: the MQTT topic `gridloop/devices/{deviceId}/readings`
 * and the body `{"ts": "<ISO-8601>", "values": {"<metric>": <number>, …}}` (also each item of
 * POST /readings). Whatever arrives, these return a reading or a reason; they never throw.
 */

export const TOPIC_FILTER = 'gridloop/devices/+/readings';
export const MAX_PAYLOAD_BYTES = 16 * 1024;
export const MAX_METRICS = 32;
const TOPIC = /^gridloop\/devices\/([A-Za-z0-9_-]{1,64})\/readings$/;
const METRIC = /^[a-z][a-z0-9_]{0,31}$/;
const ISO = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

/** A valid reading: the device, the instant (normalised to ISO-8601 UTC, ms) and its values. */
export interface Reading {
  deviceId: string;
  ts: string;
  values: Record<string, number>;
}

export type ParseResult = { ok: true; reading: Reading } | { ok: false; reason: string };

/** The device id in a readings topic, or null when the topic is not one. */
export function deviceIdOfTopic(topic: string): string | null {
  return TOPIC.exec(topic)?.[1] ?? null;
}

/** An ISO-8601 instant with Z or an offset whose date and time exist, as a Date; else null. */
export function parseInstant(text: string): Date | null {
  const m = ISO.exec(text);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number);
  const probe = new Date(Date.UTC(y, mo - 1, d));
  if (probe.getUTCFullYear() !== y || probe.getUTCMonth() !== mo - 1 || probe.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return null;
  const at = new Date(text);
  return Number.isNaN(at.getTime()) ? null : at;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Checks one reading body for `deviceId`: its shape (exactly ts and values), the instant (not more
 * than `maxFutureMs` after `now`, not before `oldest`), metric names and finite numbers.
 */
export function parseReadingBody(deviceId: string, body: unknown, now: Date, limits: { maxFutureMs: number; oldest: Date | null }): ParseResult {
  if (!isRecord(body)) return { ok: false, reason: 'payload: not a JSON object' };
  const extra = Object.keys(body).filter((k) => k !== 'ts' && k !== 'values');
  if (extra.length) return { ok: false, reason: `payload: unknown field ${extra[0].slice(0, 40)}` };
  if (typeof body.ts !== 'string') return { ok: false, reason: 'ts: missing or not a string' };
  const at = parseInstant(body.ts);
  if (!at) return { ok: false, reason: 'ts: not an ISO-8601 instant with Z or an offset' };
  if (at.getTime() > now.getTime() + limits.maxFutureMs) return { ok: false, reason: 'ts: too far in the future' };
  if (limits.oldest && at < limits.oldest) return { ok: false, reason: 'ts: older than the retention of raw readings' };
  if (!isRecord(body.values)) return { ok: false, reason: 'values: missing or not an object' };
  const entries = Object.entries(body.values);
  if (entries.length === 0) return { ok: false, reason: 'values: empty' };
  if (entries.length > MAX_METRICS) return { ok: false, reason: `values: more than ${MAX_METRICS} metrics` };
  const values: Record<string, number> = {};
  for (const [metric, value] of entries) {
    if (!METRIC.test(metric)) return { ok: false, reason: `values: bad metric name ${JSON.stringify(metric.slice(0, 40))}` };
    if (typeof value !== 'number' || !Number.isFinite(value)) return { ok: false, reason: `values.${metric}: not a finite number` };
    values[metric] = value;
  }
  return { ok: true, reading: { deviceId, ts: at.toISOString(), values } };
}

/** Parses an MQTT message: topic, size, UTF-8 JSON, then the body as parseReadingBody does. */
export function parseMqttMessage(topic: string, payload: Uint8Array, now: Date, limits: { maxFutureMs: number; oldest: Date | null }): ParseResult & { deviceId: string | null } {
  const deviceId = deviceIdOfTopic(topic);
  if (!deviceId) return { ok: false, reason: 'topic: not gridloop/devices/{deviceId}/readings', deviceId: null };
  if (payload.byteLength > MAX_PAYLOAD_BYTES) return { ok: false, reason: `payload: larger than ${MAX_PAYLOAD_BYTES} bytes`, deviceId };
  let body: unknown;
  try {
    body = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(payload));
  } catch {
    return { ok: false, reason: 'payload: not UTF-8 JSON', deviceId };
  }
  return { ...parseReadingBody(deviceId, body, now, limits), deviceId };
}
