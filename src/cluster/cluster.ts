import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { AppContext } from '../context.js';
import type { Db } from '../db/database.js';
import { clusterRepository } from './cluster.repository.js';

/**
 * What instances tell each other. `live`: a committed case event for every instance's live feed;
 * the others name an in-memory copy of shared data that changed (reload it from the store);
 * `cache` carries a topic of the reference cache (cache/reference-cache.ts) that a write dropped.
 */
export type ClusterTopic = 'live' | 'calendar' | 'grids' | 'catalogue' | 'cache';

/** One notification on the wire: sender, topic, payload (small: PostgreSQL caps NOTIFY at 8000 bytes). */
export interface ClusterMessage {
  from: string;
  topic: ClusterTopic;
  payload: unknown;
}

type Handler = (payload: unknown) => Promise<void> | void;

/** NOTIFY payloads must stay under 8000 bytes; leave room for the envelope. */
export const MAX_PAYLOAD_BYTES = 7500;

/**
 * This process's membership of the cluster of instances serving one store: who it is, the topics
 * it follows, whether it leads the periodic jobs, and how it tells the others about a change.
 *
 * On SQLite (one instance) and in processes that never start the link (CLI, tests), nothing
 * arrives from others and this instance leads. On PostgreSQL `publish` sends NOTIFY through the
 * pool (so the CLI's changes reach running servers too) and `serve` attaches a PgLink
 * (cluster.pg.ts) that delivers the others' messages, holds the leader lock and asks for a resync
 * when notifications may have been missed.
 */
export class Cluster {
  readonly instanceId = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  private readonly handlers = new Map<ClusterTopic, Handler[]>();
  private readonly resyncHandlers: ((reason: string) => Promise<void> | void)[] = [];
  private leading = true;
  private readonly leadershipListeners: ((leading: boolean) => void)[] = [];

  constructor(private readonly app: AppContext) {}

  /** Runs `handler` for every message on `topic` from another instance (never for this instance's own). */
  on(topic: ClusterTopic, handler: Handler): void {
    this.handlers.set(topic, [...(this.handlers.get(topic) ?? []), handler]);
  }

  /** Runs `handler` when messages from others may have been lost (after the link reconnects). */
  onResync(handler: (reason: string) => Promise<void> | void): void {
    this.resyncHandlers.push(handler);
  }

  /**
   * Tells the other instances. Call after the change committed, or pass the transaction as `db`:
   * PostgreSQL then delivers the notification on commit and never on rollback. Never throws: a
   * lost notification is repaired by the receivers' resync when their link comes back (a failure
   * here is logged).
   */
  async publish(topic: ClusterTopic, payload: unknown = null, db: Db = this.app.store.db): Promise<void> {
    if (this.app.store.dialect !== 'postgres') return;
    let text = JSON.stringify({ from: this.instanceId, topic, payload } satisfies ClusterMessage);
    if (Buffer.byteLength(text) > MAX_PAYLOAD_BYTES) {
      // Too big for one NOTIFY: the others reload what this topic covers instead.
      text = JSON.stringify({ from: this.instanceId, topic, payload: { oversize: true } });
    }
    try {
      await clusterRepository.notify(db, text);
    } catch (err) {
      console.error(`cluster: could not notify the other instances of ${topic} (${(err as Error).message})`);
    }
  }

  /** Hands a message from the link to this topic's handlers; a handler's failure is logged, not thrown. */
  async receive(message: ClusterMessage): Promise<void> {
    if (message.from === this.instanceId) return;
    for (const handler of this.handlers.get(message.topic) ?? []) {
      try {
        await handler(message.payload);
      } catch (err) {
        console.error(`cluster: handling ${message.topic} failed (${(err as Error).message})`);
      }
    }
  }

  /** Every resync handler, after a gap in what this instance heard from the others. */
  async resync(reason: string): Promise<void> {
    for (const handler of this.resyncHandlers) {
      try {
        await handler(reason);
      } catch (err) {
        console.error(`cluster: resync failed (${(err as Error).message})`);
      }
    }
  }

  /** True when this instance runs the periodic jobs (the SLA sweeper, retention, clean-ups). */
  get isLeader(): boolean {
    return this.leading;
  }

  /** Set by the link: leadership gained or lost. */
  setLeader(leading: boolean): void {
    if (leading === this.leading) return;
    this.leading = leading;
    for (const listener of this.leadershipListeners) listener(leading);
  }

  onLeadership(listener: (leading: boolean) => void): void {
    this.leadershipListeners.push(listener);
  }
}

const CLUSTER = 'cluster';

/** The app's cluster membership, created (single instance, leading) on first use. */
export function getCluster(app: AppContext): Cluster {
  let cluster = app.services.get(CLUSTER) as Cluster | undefined;
  if (!cluster) {
    cluster = new Cluster(app);
    app.services.set(CLUSTER, cluster);
  }
  return cluster;
}

/**
 * A periodic job's tick that runs only on the leader: on the other instances it does nothing, so
 * every job runs on exactly one instance at a time and moves with the leadership.
 */
export function onLeader(app: AppContext, job: () => void): () => void {
  return () => {
    if (getCluster(app).isLeader) job();
  };
}

/**
 * Runs `job` every `everyMs` on the leading instance, never two runs at once in this process; a
 * failure is logged under `name` and the next tick tries again. Returns the stop function.
 */
export function everyOnLeader(app: AppContext, name: string, everyMs: number, job: () => Promise<unknown>): () => void {
  let running = false;
  const timer = setInterval(onLeader(app, () => {
    if (running) return;
    running = true;
    job().catch((err) => console.error(`${name} failed`, err)).finally(() => (running = false));
  }), everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
