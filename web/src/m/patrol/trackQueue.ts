/** A GPS fix as the phone took it: position and its own time (epoch ms). */
export interface Fix { lon: number; lat: number; t: number }

/** A finding reported on the way, waiting to be sent with the next batch. */
export interface PendingFinding { clientId: string; categoryCode: string; lon: number; lat: number; description: string }

/** What the phone keeps about the patrol under way (in localStorage, so a reload loses nothing). */
export interface PatrolState {
  clientId: string;
  planId: number | null;
  target: string;
  targetName: string;
  startedAt: string;
  endedAt: string | null;
  /** Fixes not yet acknowledged by the server, oldest first. */
  pending: Fix[];
  findings: PendingFinding[];
  /** Fixes taken so far (sent or not), for the screen. */
  fixes: number;
  last: Fix | null;
}

/** A new patrol of a plan's or a chosen target, starting now. */
export function startState(target: { planId: number | null; code: string; name: string }, now: number, clientId: string): PatrolState {
  return { clientId, planId: target.planId, target: target.code, targetName: target.name, startedAt: new Date(now).toISOString(), endedAt: null, pending: [], findings: [], fixes: 0, last: null };
}

/**
 * Adds a fix unless it repeats the previous one's time (the server would drop it anyway) or is
 * no real position. Returns the same state when nothing changed.
 */
export function addFix(s: PatrolState, fix: Fix): PatrolState {
  if (!Number.isFinite(fix.lon) || !Number.isFinite(fix.lat) || !Number.isFinite(fix.t)) return s;
  if (s.last && fix.t <= s.last.t) return s;
  const rounded = { lon: Number(fix.lon.toFixed(6)), lat: Number(fix.lat.toFixed(6)), t: Math.round(fix.t) };
  return { ...s, pending: [...s.pending, rounded], fixes: s.fixes + 1, last: rounded };
}

/** At most this many fixes go in one request; the rest wait for the next. */
export const BATCH_MAX = 500;

/**
 * The body of the next POST /patrols: the oldest pending fixes (each with its own time), the
 * findings waiting, and the end time once the patrol is ended. Sending it twice is harmless: the
 * server keys points by time and findings by their client id.
 */
export function nextBatch(s: PatrolState) {
  const fixes = s.pending.slice(0, BATCH_MAX);
  const last = fixes.length === s.pending.length;
  return {
    fixes,
    findingIds: s.findings.map((f) => f.clientId),
    body: {
      clientId: s.clientId,
      ...(s.planId !== null ? { planId: s.planId } : { target: s.target }),
      startedAt: s.startedAt,
      // The end goes with the last fixes only, so the server never closes a patrol with fixes still queued.
      ...(s.endedAt && last ? { endedAt: s.endedAt } : {}),
      ...(fixes.length ? { track: { type: 'Feature' as const, geometry: { type: 'LineString' as const, coordinates: fixes.map((f) => [f.lon, f.lat]) }, properties: { times: fixes.map((f) => new Date(f.t).toISOString()) } } } : {}),
      ...(s.findings.length ? { findings: s.findings.map((f) => ({ clientId: f.clientId, categoryCode: f.categoryCode, lon: f.lon, lat: f.lat, description: f.description })) } : {}),
    },
  };
}

/** The state after the server acknowledged a batch: those fixes and findings are no longer pending. */
export function acknowledge(s: PatrolState, sent: { fixes: Fix[]; findingIds: string[] }): PatrolState {
  const times = new Set(sent.fixes.map((f) => f.t));
  const ids = new Set(sent.findingIds);
  return { ...s, pending: s.pending.filter((f) => !times.has(f.t)), findings: s.findings.filter((f) => !ids.has(f.clientId)) };
}

/** Whether anything is left to send (fixes, findings, or the end itself). */
export function hasWork(s: PatrolState, endAcknowledged: boolean): boolean {
  return s.pending.length > 0 || s.findings.length > 0 || (s.endedAt !== null && !endAcknowledged);
}
