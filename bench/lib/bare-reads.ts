// The baseline of `npm run bench -- reads`: bare Fastify routes that do the same data access as
// Gridloop's read endpoints without the platform (no session, scope, presenter or response schema):
// their own connection to the same store (SQLite: a read-only better-sqlite3 handle on the same
// file; PostgreSQL: a pg pool of 10 on the same database), prepared statements, the rows answered
// as JSON by Fastify's default serialiser. The same case rows and the same indexes, by construction.
import Fastify from 'fastify';
import SQLite from 'better-sqlite3';
import path from 'node:path';
import pg from 'pg';
import { getGridLocator } from '../../src/grids/grid.locate.js';
import type { BenchStore } from './bench-store.js';

type Row = Record<string, unknown>;
/** Runs one SQL text (`?` placeholders) as a prepared statement. */
type Query = (sql: string, params: unknown[]) => Promise<Row[]>;

function sqliteQuery(file: string): { query: Query; close: () => Promise<void> } {
  const db = new SQLite(file, { readonly: true });
  const statements = new Map<string, SQLite.Statement>();
  return {
    query: async (sql, params) => {
      let stmt = statements.get(sql);
      if (!stmt) statements.set(sql, (stmt = db.prepare(sql)));
      return stmt.all(...params) as Row[];
    },
    close: async () => void db.close(),
  };
}

function postgresQuery(url: string): { query: Query; close: () => Promise<void> } {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  const names = new Map<string, { name: string; text: string }>();
  return {
    query: async (sql, params) => {
      let named = names.get(sql);
      if (!named) {
        let n = 0;
        named = { name: `bare_${names.size}`, text: sql.replace(/\?/g, () => `$${++n}`).replace(/ like /g, ' ilike ') };
        names.set(sql, named);
      }
      return (await pool.query({ ...named, values: params })).rows as Row[];
    },
    close: () => pool.end(),
  };
}

/** The list's keyset position from Gridloop's cursor token ([version, sort, value, id], base64url JSON). */
function cursorAt(token: string): { value: string; id: number } {
  const [, , value, id] = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as [number, string, string, number];
  return { value, id };
}

/**
 * Starts the bare read routes on a port of their own:
 * - `GET /bare/cases/:id`: `select * from cases where id = ?`;
 * - `GET /bare/cases?category&class&status&channel&q&limit&offset&cursor`: the same filters as
 *   Gridloop's list, `order by created_at desc, id desc limit ? offset ?` (a cursor: the same
 *   keyset condition), no count; `q`: LIKE (ILIKE on PostgreSQL) over description, number, address;
 * - `GET /bare/locate?lon&lat`: the same in-memory grid index, answering the grid code.
 */
export async function startBareReads(bench: BenchStore): Promise<{ url: string; close: () => Promise<void> }> {
  const store = bench.store === 'sqlite' ? sqliteQuery(path.join(bench.dataDir, 'gridloop.db')) : postgresQuery(bench.databaseUrl ?? '');
  const { query } = store;
  const bare = Fastify({ logger: false });

  bare.get('/bare/cases/:id', async (request, reply) => {
    const [row] = await query('select * from cases where id = ?', [Number((request.params as { id: string }).id)]);
    if (!row) return reply.status(404).send({ error: 'not found' });
    return row;
  });

  bare.get('/bare/cases', async (request) => {
    const q = request.query as Record<string, string | undefined>;
    const where: string[] = [];
    const params: unknown[] = [];
    if (q.category) where.push('category_code = ?') && params.push(q.category);
    if (q.class) where.push('class_code = ?') && params.push(q.class);
    if (q.channel) where.push('channel = ?') && params.push(q.channel);
    if (q.status) {
      const states = q.status.split(',');
      where.push(`status in (${states.map(() => '?').join(', ')})`);
      params.push(...states);
    }
    if (q.q) {
      const like = `%${q.q.replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
      where.push(`(description like ? escape '\\' or number like ? escape '\\' or address like ? escape '\\')`);
      params.push(like, like, like);
    }
    if (q.cursor) {
      const at = cursorAt(q.cursor);
      where.push('(created_at < ? or (created_at = ? and id < ?))');
      params.push(at.value, at.value, at.id);
    }
    const sql = `select * from cases${where.length ? ` where ${where.join(' and ')}` : ''} order by created_at desc, id desc limit ? offset ?`;
    return { items: await query(sql, [...params, Number(q.limit ?? 50), q.cursor ? 0 : Number(q.offset ?? 0)]) };
  });

  bare.get('/bare/locate', async (request) => {
    const q = request.query as { lon: string; lat: string };
    const index = getGridLocator(bench.app).index;
    const ordinal = index.containing(Number(q.lon), Number(q.lat));
    return { grid: ordinal >= 0 ? index.code(ordinal) : null };
  });

  await bare.listen({ port: 0, host: '127.0.0.1' });
  return {
    url: `http://127.0.0.1:${(bare.server.address() as { port: number }).port}`,
    close: async () => {
      await bare.close();
      await store.close();
    },
  };
}
