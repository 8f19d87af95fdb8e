import type { KyselyPlugin, OperationNode, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import { TABLE_TOPICS, type CacheTopic, type ReferenceCache } from '../cache/reference-cache.js';
import type { WriteLog } from './write-log.js';

// A write in raw SQL (a data-modifying WITH, an upsert written by hand): the tables after the verbs.
const RAW_WRITE = /\b(?:insert\s+into|update|delete\s+from)\s+"?([a-z_][a-z0-9_]*)"?/gi;

/** The table names an INSERT, UPDATE or DELETE writes to, in raw SQL too (empty for reads). */
export function writtenTables(node: RootOperationNode): string[] {
  const name = (n: OperationNode | undefined): string[] => {
    if (!n) return [];
    if (n.kind === 'TableNode') return [(n as unknown as { table: { identifier: { name: string } } }).table.identifier.name];
    if (n.kind === 'AliasNode') return name((n as unknown as { node: OperationNode }).node);
    return [];
  };
  switch (node.kind) {
    case 'InsertQueryNode': return name(node.into);
    case 'UpdateQueryNode': return name(node.table);
    case 'DeleteQueryNode': return node.from.froms.flatMap(name);
    case 'RawNode': return [...new Set(node.sqlFragments.flatMap((f) => [...f.matchAll(RAW_WRITE)].map((m) => m[1].toLowerCase())))];
    default: return [];
  }
}

/**
 * A Kysely plugin that invalidates the reference cache's topic after every write statement on one
 * of its tables (cache/reference-cache.ts TABLE_TOPICS), and once more a moment later: on
 * PostgreSQL a reader on another connection could reload the old rows between the statement and
 * its transaction's commit. It also bumps every written table's generation in `writes` (when
 * given), at the statement and again a moment later, for the same reason.
 */
export class WriteWatchPlugin implements KyselyPlugin {
  readonly #pending = new WeakMap<object, { topics: CacheTopic[]; tables: string[] }>();
  readonly #cache: ReferenceCache;
  readonly #settleMs: number;
  readonly #writes: WriteLog | undefined;

  constructor(cache: ReferenceCache, settleMs = 250, writes?: WriteLog) {
    this.#cache = cache;
    this.#settleMs = settleMs;
    this.#writes = writes;
  }

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    const tables = writtenTables(args.node);
    if (tables.length === 0) return args.node;
    const topics = [...new Set(tables.map((t) => TABLE_TOPICS[t]).filter((t): t is CacheTopic => t !== undefined))];
    this.#pending.set(args.queryId, { topics, tables });
    return args.node;
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    const pending = this.#pending.get(args.queryId);
    if (pending) {
      this.#pending.delete(args.queryId);
      this.#written(pending);
    }
    return args.result;
  }

  /** What a write statement built without the query builder (raw SQL) wrote: see noteRawWrite. */
  noteWrite(tables: readonly string[]): void {
    const topics = [...new Set(tables.map((t) => TABLE_TOPICS[t]).filter((t): t is CacheTopic => t !== undefined))];
    this.#written({ topics, tables: [...tables] });
  }

  #written({ topics, tables }: { topics: CacheTopic[]; tables: string[] }): void {
    for (const topic of topics) {
      this.#cache.invalidate(topic);
      setTimeout(() => this.#cache.drop(topic), this.#settleMs).unref();
    }
    const writes = this.#writes;
    if (writes) {
      for (const table of tables) writes.bump(table);
      setTimeout(() => tables.forEach((t) => writes.bump(t)), this.#settleMs).unref();
    }
  }
}

/**
 * Tells the write watch of `db` that a precompiled statement (a CompiledQuery run by
 * executeQuery, which passes by the plugin) wrote `tables`, so that caches keyed on them (reference data, list totals) drop
 * what they hold. Call it after the statement ran, with the same handle.
 */
export function noteRawWrite(db: { getExecutor(): { plugins: readonly KyselyPlugin[] } }, tables: readonly string[]): void {
  for (const plugin of db.getExecutor().plugins) if (plugin instanceof WriteWatchPlugin) plugin.noteWrite(tables);
}
