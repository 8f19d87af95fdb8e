import type { KyselyPlugin, OperationNode, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import { TABLE_TOPICS, type CacheTopic, type ReferenceCache } from '../cache/reference-cache.js';

/** The table names an INSERT, UPDATE or DELETE writes to (empty for reads and raw SQL). */
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
    default: return [];
  }
}

/**
 * A Kysely plugin that invalidates the reference cache's topic after every write statement on one
 * of its tables (cache/reference-cache.ts TABLE_TOPICS), and once more a moment later: on
 * PostgreSQL a reader on another connection could reload the old rows between the statement and
 * its transaction's commit.
 */
export class WriteWatchPlugin implements KyselyPlugin {
  readonly #pending = new WeakMap<object, CacheTopic[]>();
  readonly #cache: ReferenceCache;
  readonly #settleMs: number;

  constructor(cache: ReferenceCache, settleMs = 250) {
    this.#cache = cache;
    this.#settleMs = settleMs;
  }

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    const topics = [...new Set(writtenTables(args.node).map((t) => TABLE_TOPICS[t]).filter((t): t is CacheTopic => t !== undefined))];
    if (topics.length) this.#pending.set(args.queryId, topics);
    return args.node;
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    const topics = this.#pending.get(args.queryId);
    if (topics) {
      this.#pending.delete(args.queryId);
      for (const topic of topics) {
        this.#cache.invalidate(topic);
        setTimeout(() => this.#cache.drop(topic), this.#settleMs).unref();
      }
    }
    return args.result;
  }
}
