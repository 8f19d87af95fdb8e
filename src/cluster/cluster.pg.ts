import pg from 'pg';
import type { Cluster, ClusterMessage } from './cluster.js';
import { CHANNEL } from './cluster.repository.js';

/** The advisory lock (two-int form) the leader holds; the boot lock is the same class, object 0. */
export const LOCK_CLASS = 47_678;
export const LEADER_LOCK = 1;
export const BOOT_LOCK = 0;

export interface PgLinkOptions {
  url: string;
  /** How often a follower tries to take the leader lock (and the leader checks its connection). */
  pollMs: number;
  /** Reconnection backoff: the first delay, doubled per failed attempt up to the maximum. */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  log?: (line: string) => void;
}

function parseMessage(text: string | undefined): ClusterMessage | null {
  try {
    const m = JSON.parse(text ?? '') as ClusterMessage;
    return typeof m.from === 'string' && typeof m.topic === 'string' ? m : null;
  } catch {
    return null;
  }
}

/**
 * The instance's dedicated PostgreSQL connection: it LISTENs for the other instances' messages
 * and, on the instance that leads, holds the session-level advisory lock that makes it the leader
 * (a dead leader's connection closes, PostgreSQL releases the lock, and a follower's next poll
 * takes it). A lost connection never ends the process: leadership is given up at once, the link
 * reconnects with exponential backoff, and after reconnecting asks for a resync (notifications
 * sent meanwhile are lost for good).
 */
export class PgLink {
  private client: pg.Client | null = null;
  private readonly dropped = new WeakSet<pg.Client>();
  private poll: NodeJS.Timeout | null = null;
  private retry: NodeJS.Timeout | null = null;
  private attempt = 0;
  private connectedBefore = false;
  private stopped = false;
  private readonly log: (line: string) => void;

  constructor(private readonly cluster: Cluster, private readonly opts: PgLinkOptions) {
    this.log = opts.log ?? ((line) => console.log(line));
  }

  /** Connects (or keeps retrying in the background) and starts polling for the leader lock. */
  async start(): Promise<void> {
    this.cluster.setLeader(false);
    this.poll = setInterval(() => void this.tick(), this.opts.pollMs);
    this.poll.unref();
    await this.connect();
  }

  /** Closes the connection (releasing the leader lock) and stops reconnecting. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.poll) clearInterval(this.poll);
    if (this.retry) clearTimeout(this.retry);
    const client = this.client;
    this.client = null;
    this.cluster.setLeader(false);
    if (client) {
      this.dropped.add(client);
      await client.end().catch(() => undefined);
    }
  }

  /** True while the dedicated connection is up. */
  get connected(): boolean {
    return this.client !== null;
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new pg.Client({
      connectionString: this.opts.url,
      application_name: `gridloop:${this.cluster.instanceId}`.slice(0, 63),
      keepAlive: true,
      query_timeout: Math.max(5_000, this.opts.pollMs * 2),
    });
    client.on('error', (err) => this.lose(client, err.message));
    client.on('end', () => this.lose(client, 'connection ended'));
    client.on('notification', (n) => {
      if (n.channel !== CHANNEL) return;
      const message = parseMessage(n.payload);
      if (message) void this.cluster.receive(message);
    });
    try {
      await client.connect();
      await client.query(`listen ${CHANNEL}`);
    } catch (err) {
      this.lose(client, (err as Error).message);
      return;
    }
    if (this.stopped) {
      this.dropped.add(client);
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.attempt = 0;
    if (this.connectedBefore) {
      this.log('cluster: link to PostgreSQL restored; resynchronising');
      await this.cluster.resync('reconnected');
    }
    this.connectedBefore = true;
    await this.tick();
  }

  /** One poll: a follower tries to take the leader lock; the leader checks that its connection lives. */
  private async tick(): Promise<void> {
    const client = this.client;
    if (!client) return;
    try {
      if (this.cluster.isLeader) {
        await client.query('select 1');
        return;
      }
      const { rows } = await client.query<{ ok: boolean }>('select pg_try_advisory_lock($1, $2) as ok', [LOCK_CLASS, LEADER_LOCK]);
      if (rows[0]?.ok && this.client === client) {
        this.cluster.setLeader(true);
        this.log(`cluster: instance ${this.cluster.instanceId} now leads the periodic jobs`);
      }
    } catch (err) {
      this.lose(client, (err as Error).message);
    }
  }

  private lose(client: pg.Client, reason: string): void {
    if (this.dropped.has(client)) return;
    this.dropped.add(client);
    const wasCurrent = this.client === client;
    if (wasCurrent) this.client = null;
    client.end().catch(() => undefined);
    if (this.stopped) return;
    if (wasCurrent && this.cluster.isLeader) this.log('cluster: lost the leader lock with the connection');
    this.cluster.setLeader(false);
    const base = this.opts.minBackoffMs ?? 500;
    const delay = Math.min(this.opts.maxBackoffMs ?? 15_000, base * 2 ** Math.min(this.attempt, 10));
    this.attempt++;
    console.error(`cluster: link to PostgreSQL lost (${reason}); reconnecting in ${delay} ms`);
    this.retry = setTimeout(() => void this.connect(), delay);
    this.retry.unref();
  }
}

/**
 * Waits for the boot lock, so instances starting together on one database migrate, seed and load
 * the demo city one after another (the second then finds the work done). Returns its release.
 */
export async function takeBootLock(url: string): Promise<() => Promise<void>> {
  const client = new pg.Client({ connectionString: url, application_name: 'gridloop:boot' });
  client.on('error', () => undefined); // a lost boot connection has released its lock: nothing to do
  await client.connect();
  await client.query('select pg_advisory_lock($1, $2)', [LOCK_CLASS, BOOT_LOCK]);
  return async () => {
    await client.end().catch(() => undefined);
  };
}
