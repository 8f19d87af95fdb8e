/**
 * Reference data held in process memory (categories, routing rules, departments, org units, the
 * actor behind a session or API key): read on almost every request, written rarely.
 *
 * Invalidation lives in one place. Every INSERT, UPDATE or DELETE that goes through Kysely on a
 * table of a topic drops that topic (db/write-watch.ts sees the statement), so no write site has
 * to remember it. `onInvalidate` lets other code hear about it: a cluster of instances publishes
 * the topic to its peers there (PostgreSQL NOTIFY), and a peer's notification calls `invalidate`
 * with `remote: true` so it is not published again. A write made outside this process (a CLI
 * beside a running server on SQLite) is noticed by store-changes.ts; a time-to-live bounds what
 * anything else could leave stale.
 */
export type CacheTopic = 'catalogue' | 'org' | 'auth';

export const CACHE_TOPICS: readonly CacheTopic[] = ['catalogue', 'org', 'auth'];

/** Which topic a table's rows belong to; tables not listed are not cached. */
export const TABLE_TOPICS: Readonly<Record<string, CacheTopic>> = {
  categories: 'catalogue',
  departments: 'catalogue',
  routing_rules: 'catalogue',
  org_units: 'org',
  users: 'auth',
  sessions: 'auth',
  api_keys: 'auth',
};

export type InvalidationListener = (topic: CacheTopic, origin: { remote: boolean }) => void;

interface Entry {
  value: Promise<unknown>;
  expires: number;
}

/** How long an entry may be served without a write seen, by topic (milliseconds). */
const TTL_MS: Record<CacheTopic, number> = { catalogue: 60_000, org: 60_000, auth: 15_000 };
/** At most this many entries per topic (sessions grow with users); the oldest go first. */
const MAX_ENTRIES = 5_000;

export class ReferenceCache {
  readonly #entries = new Map<CacheTopic, Map<string, Entry>>(CACHE_TOPICS.map((t) => [t, new Map()]));
  readonly #generation = new Map<CacheTopic, number>(CACHE_TOPICS.map((t) => [t, 0]));
  readonly #listeners = new Set<InvalidationListener>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /**
   * The value under `key` in `topic`, loading it with `load` when missing or expired. Concurrent
   * callers share one load. A load that overlaps an invalidation of its topic is served to its
   * callers but not kept (it may have read the rows before the write).
   */
  get<T>(topic: CacheTopic, key: string, load: () => Promise<T>): Promise<T> {
    const entries = this.#entries.get(topic) as Map<string, Entry>;
    const hit = entries.get(key);
    const now = this.#now();
    if (hit && hit.expires > now) return hit.value as Promise<T>;
    const generation = this.#generation.get(topic);
    const value = load();
    if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value as string);
    entries.set(key, { value, expires: now + TTL_MS[topic] });
    value.then(
      () => {
        if (this.#generation.get(topic) !== generation && entries.get(key)?.value === value) entries.delete(key);
      },
      () => {
        if (entries.get(key)?.value === value) entries.delete(key);
      },
    );
    return value;
  }

  /** Drops every entry of `topic` and tells the listeners (`remote`: the news came from another instance). */
  invalidate(topic: CacheTopic, origin: { remote: boolean } = { remote: false }): void {
    this.#entries.get(topic)?.clear();
    this.#generation.set(topic, (this.#generation.get(topic) ?? 0) + 1);
    for (const listener of this.#listeners) listener(topic, origin);
  }

  /** Drops every entry of `topic` without telling the listeners (a repeat of an invalidation already told). */
  drop(topic: CacheTopic): void {
    this.#entries.get(topic)?.clear();
    this.#generation.set(topic, (this.#generation.get(topic) ?? 0) + 1);
  }

  /** Calls `listener` on every invalidation; returns a function that stops it. */
  onInvalidate(listener: InvalidationListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** How many entries a topic holds (for tests and diagnostics). */
  size(topic: CacheTopic): number {
    return this.#entries.get(topic)?.size ?? 0;
  }
}

/**
 * Reads reference data through the cache, or straight from `db` inside a transaction (which may
 * see its own uncommitted writes, and on SQLite holds the only connection).
 */
export function cachedRead<T>(store: { cache: ReferenceCache }, db: { isTransaction: boolean }, topic: CacheTopic, key: string, load: () => Promise<T>): Promise<T> {
  return db.isTransaction ? load() : store.cache.get(topic, key, load);
}
