import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { CompiledQuery, Kysely, PostgresDialect, SqliteDialect, SqliteDriver, type DatabaseConnection, type Driver, type SqliteDialectConfig } from 'kysely';
import type { Config } from '../config.js';
import type { Database } from './tables.js';
import { StatementCache } from './statement-cache.js';
import { WriteWatchPlugin } from './write-watch.js';
import { WriteLog } from './write-log.js';
import { ReferenceCache } from '../cache/reference-cache.js';

export type Db = Kysely<Database>;
export type DialectName = 'sqlite' | 'postgres';

export interface DbHandle {
  db: Db;
  dialect: DialectName;
  /** Reference data kept in memory, invalidated by every write to its tables (cache/reference-cache.ts). */
  cache: ReferenceCache;
  /** Write statements per table sent by this process (db/write-log.ts). */
  writes: WriteLog;
  close(): Promise<void>;
}

// int8 (COUNT, SUM) comes back from pg as a string; our counts fit in a double.
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));

/** How long an SQLite connection waits for another process's write lock before SQLITE_BUSY. */
export const SQLITE_BUSY_TIMEOUT_MS = 10_000;

/**
 * Transactions begin with BEGIN IMMEDIATE: they take the write lock up front, waiting on
 * busy_timeout. A deferred BEGIN reads first and fails at once with SQLITE_BUSY (not waiting) when
 * another process wrote since, which is how a CLI write used to break the demo build.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;
  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }
}

/**
 * Opens the store chosen by the configuration: PostgreSQL when DATABASE_URL is set, otherwise
 * the embedded SQLite file `<dataDir>/gridloop.db` (WAL, synchronous=FULL so that an
 * acknowledged commit survives a crash).
 */
export function openDatabase(config: Pick<Config, 'databaseUrl' | 'dataDir'>): DbHandle {
  if (config.databaseUrl) {
    const pool = new pg.Pool({ connectionString: config.databaseUrl, max: 10 });
    // The server may end any connection (failover, restart, idle_in_transaction_session_timeout,
    // pg_terminate_backend). pg then emits 'error' on the client, and an 'error' event nobody
    // listens to ends the process. The pool listens only while a client is idle, so every client
    // gets its own listener for its whole life: a query in flight fails (database_unavailable,
    // db/errors.ts) and the pool discards the broken client on release and opens a new one.
    pool.on('connect', (client) => client.on('error', (err) => console.error(`postgres: connection lost (${err.message})`)));
    pool.on('error', () => undefined); // an idle client's loss, already logged by its own listener
    const cache = new ReferenceCache();
    const writes = new WriteLog();
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), plugins: [new WriteWatchPlugin(cache, undefined, writes)] });
    return { db, dialect: 'postgres', cache, writes, close: () => db.destroy() };
  }
  fs.mkdirSync(config.dataDir, { recursive: true });
  const file = path.join(config.dataDir, 'gridloop.db');
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  // Another process (the CLI beside a running server) may hold the write lock: wait for it.
  sqlite.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
  const cache = new ReferenceCache();
  const writes = new WriteLog();
  const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: new StatementCache(sqlite) }), plugins: [new WriteWatchPlugin(cache, undefined, writes)] });
  return { db, dialect: 'sqlite', cache, writes, close: () => db.destroy() };
}
