import { createHash } from 'node:crypto';
import type { FastifyRateLimitOptions, FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { AppContext } from '../context.js';
import type { Db } from '../db/database.js';
import { clusterRepository } from './cluster.repository.js';

/**
 * Timestamped events per key (failed logins, wrong tracking guesses, known-address marks), read
 * back as a sliding window. The throttles count with it; where it lives decides who shares it.
 */
export interface EventLog {
  /** The times of `key`'s events after `since`, oldest first. */
  since(key: string, since: number): Promise<number[]>;
  /** Records an event at `at`, kept for `keepMs`. */
  add(key: string, at: number, keepMs: number): Promise<void>;
  /** Forgets every event of `key`. */
  clear(key: string): Promise<void>;
}

const MAX_KEYS = 100_000;
const MAX_EVENTS_PER_KEY = 1_000;

/** The event log in this process's memory (SQLite: one instance). Bounded in keys and events per key. */
export class MemoryEventLog implements EventLog {
  private readonly events = new Map<string, { at: number[]; until: number }>();

  async since(key: string, since: number): Promise<number[]> {
    return (this.events.get(key)?.at ?? []).filter((t) => t > since);
  }

  async add(key: string, at: number, keepMs: number): Promise<void> {
    const entry = this.events.get(key) ?? { at: [], until: 0 };
    entry.at = [...entry.at.filter((t) => t > at - keepMs), at].slice(-MAX_EVENTS_PER_KEY);
    entry.until = Math.max(entry.until, at + keepMs);
    this.events.set(key, entry);
    if (this.events.size > MAX_KEYS) {
      for (const [k, e] of this.events) if (e.until <= at) this.events.delete(k);
    }
  }

  async clear(key: string): Promise<void> {
    this.events.delete(key);
  }
}

/** Keys are stored as SHA-256 hashes: the tables never hold addresses, user names or API keys. */
export const hashKey = (key: string) => createHash('sha256').update(key).digest('hex');

/** The event log in the database (PostgreSQL: shared by every instance); expired rows are pruned by the leader. */
export class DbEventLog implements EventLog {
  constructor(private readonly db: Db) {}

  since(key: string, since: number): Promise<number[]> {
    return clusterRepository.eventsSince(this.db, hashKey(key), since);
  }

  add(key: string, at: number, keepMs: number): Promise<void> {
    return clusterRepository.addEvent(this.db, hashKey(key), at, at + keepMs);
  }

  clear(key: string): Promise<void> {
    return clusterRepository.clearEvents(this.db, hashKey(key));
  }
}

/** The event log throttles use: shared through PostgreSQL, else in this process. */
export function eventLogFor(app: AppContext): EventLog {
  return app.store.dialect === 'postgres' ? new DbEventLog(app.store.db) : new MemoryEventLog();
}

/** What the plugin hands a store: its options, plus the route (for per-route limits). */
type RateStoreParams = FastifyRateLimitOptions & { nameSpace?: string; routeInfo?: { method?: string | string[]; url?: string } };

type IncrCallback = Parameters<FastifyRateLimitStore['incr']>[1];

/**
 * A store for @fastify/rate-limit whose counters live in `rate_windows`, so a client's budget is
 * the same whichever instance it reaches (PostgreSQL); undefined on SQLite, where the plugin's own
 * in-memory store serves the one instance. Per-route limits are told apart by the route's method
 * and URL; standalone limiters (`fastify.rateLimit`) by a prefix in their keys.
 */
export function sharedRateLimitStore(app: AppContext): FastifyRateLimitStoreCtor | undefined {
  if (app.store.dialect !== 'postgres') return undefined;
  const db = app.store.db;
  return class DbRateStore implements FastifyRateLimitStore {
    private readonly space: string;

    constructor(params: RateStoreParams = {}) {
      const route = params.routeInfo?.url ? `${String(params.routeInfo.method)} ${params.routeInfo.url}` : 'global';
      this.space = params.nameSpace ?? route;
    }

    // The plugin passes the window as a third argument (its typings omit it).
    incr(key: string, callback: IncrCallback, timeWindow = 60_000): void {
      const now = Date.now();
      clusterRepository.hit(db, hashKey(`${this.space}|${timeWindow}|${key}`), now, timeWindow)
        .then(({ hits, expiresAt }) => callback(null, { current: hits, ttl: Math.max(0, expiresAt - now) }), (err: Error) => callback(err));
    }

    child(params: FastifyRateLimitOptions): DbRateStore {
      return new DbRateStore(params as RateStoreParams);
    }
  };
}
