import type { Database as SqliteDatabase, Statement } from 'better-sqlite3';

/**
 * A better-sqlite3 database as Kysely's SQLite dialect sees it (`prepare` and `close`), with the
 * prepared statements kept per SQL text in a bounded least-recently-used map. Kysely's SQLite
 * driver calls `prepare` for every query, and compiling the SQL again each time was the largest
 * single cost of an intake. A statement is used by one query at a time: the driver serialises the
 * connection, and a streamed query holds it until its iterator ends.
 */
export class StatementCache {
  readonly #db: SqliteDatabase;
  readonly #statements = new Map<string, Statement>();
  readonly #capacity: number;
  hits = 0;
  misses = 0;

  constructor(db: SqliteDatabase, capacity = 500) {
    this.#db = db;
    this.#capacity = capacity;
  }

  prepare(sql: string): Statement {
    const cached = this.#statements.get(sql);
    if (cached) {
      this.hits++;
      // Move to the most recently used end.
      this.#statements.delete(sql);
      this.#statements.set(sql, cached);
      return cached;
    }
    this.misses++;
    const statement = this.#db.prepare(sql);
    if (this.#statements.size >= this.#capacity) this.#statements.delete(this.#statements.keys().next().value as string);
    this.#statements.set(sql, statement);
    return statement;
  }

  /** How many statements are kept. */
  get size(): number {
    return this.#statements.size;
  }

  close(): void {
    this.#statements.clear();
    this.#db.close();
  }
}
