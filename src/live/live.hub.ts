import type { AppContext } from '../context.js';
import type { CaseRow } from '../cases/case.repository.js';
import { getCluster } from '../cluster/cluster.js';

/** What the live feed says about a case: enough to place it on the map and count it, no personal data. */
export interface LiveCase {
  id: number;
  number: string;
  status: string;
  light: string;
  categoryCode: string;
  classCode: string;
  channel: string;
  departmentId: number | null;
  grid: { code: string | null };
  districtCode: string | null;
  streetCode: string | null;
  communityCode: string | null;
  orgPath: string;
  lon: number | null;
  lat: number | null;
  supervised: boolean;
  escalationLevel: number;
  at: string;
}

export type LiveEventType = 'case.created' | 'case.changed';

/** One event of the feed. `id` grows by one per event in this process (the SSE `id:` line), whichever instance published it. */
export interface LiveEvent {
  id: number;
  type: LiveEventType;
  data: LiveCase;
  /** Scope fields the feed filters on; never sent to clients. */
  audience: { orgPath: string; departmentId: number | null; reporterUserId: number | null; private: boolean };
}

/** A connected client: which events it may see and how to hand it one. */
export interface LiveSubscriber {
  accepts(event: LiveEvent): boolean;
  deliver(event: LiveEvent): void;
  /** Events may have been lost (e.g. another instance's, while the cluster link was down): reload. */
  resync(reason: string): void;
}

/**
 * The in-process live feed: a short ring buffer of recent case events (for `Last-Event-ID` resume)
 * and the connected subscribers. Publishing never waits for a subscriber: each client has its own
 * bounded queue (see live.routes.ts), so a slow client cannot block intake.
 */
export class LiveHub {
  private readonly buffer: LiveEvent[] = [];
  private readonly subscribers = new Set<LiveSubscriber>();
  private lastId = 0;
  /** Events up to this id may be incomplete: a Last-Event-ID before it cannot be replayed. */
  private gapAt = 0;

  constructor(private readonly capacity = 2000) {}

  /** Appends an event to the buffer and hands it to every subscriber that may see it. */
  publish(type: LiveEventType, data: LiveCase, audience: LiveEvent['audience']): LiveEvent {
    const event: LiveEvent = { id: ++this.lastId, type, data, audience };
    this.buffer.push(event);
    if (this.buffer.length > this.capacity) this.buffer.splice(0, this.buffer.length - this.capacity);
    for (const s of this.subscribers) if (s.accepts(event)) s.deliver(event);
    return event;
  }

  /**
   * The buffered events after `lastEventId` that `accepts` lets through, or null when the buffer no
   * longer reaches back that far (the client must resynchronise from the API).
   */
  since(lastEventId: number, accepts: (e: LiveEvent) => boolean): LiveEvent[] | null {
    if (lastEventId >= this.lastId) return [];
    const oldest = this.buffer[0]?.id ?? this.lastId + 1;
    if (lastEventId < oldest - 1 || lastEventId < this.gapAt) return null;
    return this.buffer.filter((e) => e.id > lastEventId && accepts(e));
  }

  /**
   * Tells every subscriber to resynchronise (events may have been lost before this point) and
   * stops replaying from before it.
   */
  resync(reason: string): void {
    this.gapAt = this.lastId;
    for (const s of this.subscribers) s.resync(reason);
  }

  subscribe(s: LiveSubscriber): () => void {
    this.subscribers.add(s);
    return () => this.subscribers.delete(s);
  }

  get clientCount(): number {
    return this.subscribers.size;
  }

  get currentId(): number {
    return this.lastId;
  }
}

const LIVE_HUB = 'live.hub';

/** A live event as it travels between instances (ids are per process, so none is sent). */
interface RemoteLiveEvent {
  type: LiveEventType;
  data: LiveCase;
  audience: LiveEvent['audience'];
}

function isRemoteLiveEvent(p: unknown): p is RemoteLiveEvent {
  const e = p as RemoteLiveEvent | null;
  return !!e && (e.type === 'case.created' || e.type === 'case.changed') && typeof e.data?.id === 'number' && typeof e.audience?.orgPath === 'string';
}

/**
 * The app's live hub, created on first use. It also carries the events the other instances
 * publish (cluster topic `live`), and asks its clients to resync when the cluster link had a gap.
 */
export function getLiveHub(app: AppContext): LiveHub {
  let hub = app.services.get(LIVE_HUB) as LiveHub | undefined;
  if (!hub) {
    const created = new LiveHub();
    hub = created;
    app.services.set(LIVE_HUB, hub);
    const cluster = getCluster(app);
    cluster.on('live', (payload) => {
      if (isRemoteLiveEvent(payload)) created.publish(payload.type, payload.data, payload.audience);
      else created.resync('cluster');
    });
    cluster.onResync(() => created.resync('cluster'));
  }
  return hub;
}

/** The live view of a case row. */
export function presentLiveCase(row: CaseRow, at: Date): LiveCase {
  return {
    id: row.id,
    number: row.number,
    status: row.status,
    light: row.light,
    categoryCode: row.category_code,
    classCode: row.class_code,
    channel: row.channel,
    departmentId: row.department_id,
    grid: { code: row.grid_code },
    districtCode: row.district_code,
    streetCode: row.street_code,
    communityCode: row.community_code,
    orgPath: row.org_path,
    lon: row.lon,
    lat: row.lat,
    supervised: Boolean(row.supervised),
    escalationLevel: row.escalation_level,
    at: at.toISOString(),
  };
}

/**
 * Publishes a committed case change to the live feed. Call after the transaction commits, never
 * inside it: a rolled-back change must not reach anyone.
 */
export function publishCaseEvent(app: AppContext, type: LiveEventType, row: CaseRow, at: Date): void {
  const data = presentLiveCase(row, at);
  const audience = { orgPath: row.org_path, departmentId: row.department_id, reporterUserId: row.reporter_user_id, private: Boolean(row.private) };
  getLiveHub(app).publish(type, data, audience);
  // The other instances' clients too (fire and forget: intake does not wait for the notification).
  void getCluster(app).publish('live', { type, data, audience } satisfies RemoteLiveEvent);
}
