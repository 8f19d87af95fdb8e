import { PostgresAdapter, sql, type Kysely } from 'kysely';

// Frozen in time: must not import application code. A running server on SQLite keeps reference
// data (org units, categories, users …), the grid locator and the work calendar in memory; a CLI
// import in another process writes the same file and the server must notice without a restart.
// SQLite's `PRAGMA data_version` says cheaply *that* another connection committed; these counters,
// bumped by triggers on every row written, say *what* changed, so a long case import (thousands of
// commits to cases) does not make the server reload its grid index each time.
//
// PostgreSQL: the table exists (one schema for both stores) but has no triggers: there the writer
// publishes NOTIFY to the running servers (cluster/).

const WATCHED: Record<string, string[]> = {
  org_units: ['org', 'grids'],
  org_boundaries: ['grids'],
  grid_shapes: ['grids'],
  categories: ['catalogue'],
  departments: ['catalogue'],
  routing_rules: ['catalogue'],
  users: ['auth'],
  api_keys: ['auth'],
  calendar_days: ['calendar'],
};

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('store_changes')
    .addColumn('topic', 'text', (c) => c.primaryKey())
    .addColumn('version', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.insertInto('store_changes').values(['org', 'grids', 'catalogue', 'auth', 'calendar'].map((topic) => ({ topic, version: 0 }))).execute();
  if (db.getExecutor().adapter instanceof PostgresAdapter) return;
  for (const [table, topics] of Object.entries(WATCHED)) {
    const bump = sql.raw(`update store_changes set version = version + 1 where topic in (${topics.map((t) => `'${t}'`).join(', ')});`);
    for (const op of ['insert', 'update', 'delete']) {
      await sql`create trigger ${sql.raw(`${table}_${op}_changes`)} after ${sql.raw(op)} on ${sql.ref(table)} begin ${bump} end`.execute(db);
    }
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) {
    for (const table of Object.keys(WATCHED)) for (const op of ['insert', 'update', 'delete']) await sql`drop trigger if exists ${sql.raw(`${table}_${op}_changes`)}`.execute(db);
  }
  await db.schema.dropTable('store_changes').execute();
}
