import { Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, type CompiledQuery, type DatabaseConnection, type Driver, type QueryResult } from 'kysely';
import type { Db } from './database.js';
import type { Database } from './tables.js';

/** A driver that runs nothing: it keeps every statement it is given and answers no rows. */
class CapturingDriver implements Driver {
  readonly #captured: CompiledQuery[];
  constructor(captured: CompiledQuery[]) {
    this.#captured = captured;
  }
  async init(): Promise<void> {}
  async acquireConnection(): Promise<DatabaseConnection> {
    const captured = this.#captured;
    return {
      async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
        captured.push(query);
        return { rows: [] };
      },
      // eslint-disable-next-line require-yield -- nothing to stream: nothing runs
      async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
        throw new Error('a captured statement cannot be streamed');
      },
    };
  }
  async beginTransaction(): Promise<void> {}
  async commitTransaction(): Promise<void> {}
  async rollbackTransaction(): Promise<void> {}
  async releaseConnection(): Promise<void> {}
  async destroy(): Promise<void> {}
}

/**
 * The PostgreSQL statements `write` would run, compiled but not run (its reads get no rows): so
 * that a repository can send them as parts of one statement with others (a data-modifying WITH),
 * one round trip instead of one each. Only for writes that read nothing back.
 */
export async function capturePostgresWrites(write: (db: Db) => Promise<void>): Promise<CompiledQuery[]> {
  const captured: CompiledQuery[] = [];
  const db = new Kysely<Database>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => new CapturingDriver(captured),
      createIntrospector: (k) => new PostgresIntrospector(k),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
  });
  await write(db);
  return captured;
}
