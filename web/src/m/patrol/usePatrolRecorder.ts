import { onBeforeUnmount, ref, shallowRef } from 'vue';
import { api, ApiFailure, unwrap } from '../../shared/api/client';
import { errorText } from '../../shared/errors';
import { acknowledge, addFix, hasWork, nextBatch, startState, type PatrolState } from './trackQueue';

const KEY = 'gridloop.patrol';
/** How often queued fixes are sent (and a failed send retried) while the page is open. */
const SEND_EVERY_MS = 5000;
/** Send at once when this many fixes are waiting. */
const SEND_AT = 10;

const postPatrol = (body: ReturnType<typeof nextBatch>['body']) => unwrap(api.POST('/api/v1/patrols', { body }));

type Patrol = Awaited<ReturnType<typeof postPatrol>>;

function newId(): string {
  return globalThis.crypto?.randomUUID?.() ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
}

interface Saved { state: PatrolState; endAck: boolean; patrolId?: number }

function loadSaved(): Saved | null {
  try {
    const raw = localStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as Saved) : null;
  } catch {
    return null;
  }
}

/**
 * The patrol under way on this phone: the track records while the page is open (watchPosition),
 * fixes are queued with their own times and sent in batches to POST /patrols; a lost connection
 * only delays them (kept in localStorage, retried). Findings go with the next batch and become
 * cases on the server. The distance and duration shown are the server's.
 */
export function usePatrolRecorder() {
  const saved = loadSaved();
  const state = ref<PatrolState | null>(saved?.state ?? null);
  const endAck = ref(saved?.endAck ?? false);
  const server = shallowRef<Patrol | null>(null);
  const offline = ref(false);
  const sending = ref(false);
  const problem = ref<string | null>(null);
  const geoProblem = ref<'denied' | 'unavailable' | null>(null);
  let watchId: number | null = null;
  let timer: ReturnType<typeof setInterval> | null = null;

  function persist(): void {
    if (state.value) localStorage.setItem(KEY, JSON.stringify({ state: state.value, endAck: endAck.value, patrolId: server.value?.id } satisfies Saved));
    else localStorage.removeItem(KEY);
  }

  async function flush(): Promise<void> {
    const s = state.value;
    if (!s || sending.value || !hasWork(s, endAck.value)) return;
    sending.value = true;
    const batch = nextBatch(s);
    try {
      server.value = await postPatrol(batch.body);
      offline.value = false;
      problem.value = null;
      if (!state.value) return;
      state.value = acknowledge(state.value, batch);
      if (batch.body.endedAt) endAck.value = true;
      persist();
    } catch (err) {
      // Offline or a server hiccup: keep everything and try again; a refusal is shown as it is.
      offline.value = err instanceof ApiFailure && (err.code === 'network_error' || err.status >= 500);
      problem.value = offline.value ? null : errorText(err);
    } finally {
      sending.value = false;
    }
    if (state.value && state.value.pending.length >= SEND_AT && !offline.value) void flush();
  }

  function watchPosition(): void {
    if (watchId !== null || !state.value || state.value.endedAt) return;
    if (!('geolocation' in navigator)) {
      geoProblem.value = 'unavailable';
      return;
    }
    watchId = navigator.geolocation.watchPosition(
      (pos) => {
        if (!state.value || state.value.endedAt) return;
        geoProblem.value = null;
        const next = addFix(state.value, { lon: pos.coords.longitude, lat: pos.coords.latitude, t: pos.timestamp || Date.now() });
        if (next === state.value) return;
        state.value = next;
        persist();
        if (next.pending.length >= SEND_AT || next.fixes === 1) void flush();
      },
      (err) => (geoProblem.value = err.code === err.PERMISSION_DENIED ? 'denied' : 'unavailable'),
      { enableHighAccuracy: true, maximumAge: 0, timeout: 30_000 },
    );
  }

  function stopWatching(): void {
    if (watchId !== null) navigator.geolocation.clearWatch(watchId);
    watchId = null;
  }

  function run(): void {
    watchPosition();
    timer ??= setInterval(() => void flush(), SEND_EVERY_MS);
    window.addEventListener('online', onOnline);
    void flush();
  }
  const onOnline = () => void flush();

  /** Starts a patrol of a plan (or of a target without a plan) now. */
  function start(target: { planId: number | null; code: string; name: string }): void {
    state.value = startState(target, Date.now(), newId());
    endAck.value = false;
    server.value = null;
    persist();
    run();
  }

  /** Queues a finding at the last position (or the given one); it becomes a case on the server. */
  function report(finding: { categoryCode: string; description: string; lon: number; lat: number }): void {
    if (!state.value) return;
    state.value = { ...state.value, findings: [...state.value.findings, { clientId: newId(), ...finding }] };
    persist();
    void flush();
  }

  /** Ends the patrol now; the end is sent with the last fixes. */
  function end(): void {
    if (!state.value || state.value.endedAt) return;
    stopWatching();
    state.value = { ...state.value, endedAt: new Date().toISOString() };
    persist();
    void flush();
  }

  /** Forgets the finished patrol on this phone (after its end was acknowledged). */
  function clear(): void {
    stopWatching();
    state.value = null;
    server.value = null;
    endAck.value = false;
    persist();
  }

  // A patrol left open (page reloaded): show the server's figures again, then carry on.
  async function resume(): Promise<void> {
    run();
    const id = saved?.patrolId;
    if (id && !server.value) server.value = await unwrap(api.GET('/api/v1/patrols/{id}', { params: { path: { id } } })).catch(() => null);
  }
  if (state.value) void resume();
  onBeforeUnmount(() => {
    stopWatching();
    if (timer) clearInterval(timer);
    window.removeEventListener('online', onOnline);
  });
  return { state, server, endAck, offline, sending, problem, geoProblem, start, report, end, clear, flush };
}
