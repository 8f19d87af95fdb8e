import { createQueryId, type Compilable, type CompiledQuery } from 'kysely';
import type { Db } from './database.js';

/** What stands for the i-th value while a query is compiled once (never a real value: it holds NUL). */
const standIn = (i: number) => `\u0000value ${i}\u0000`;
const MAX_SHAPES = 1_000;
const compiled = new Map<string, { query: CompiledQuery; slots: number[] }>();

/**
 * Runs a query built and compiled once per `shape` (dialect included), with `values` put in at
 * the stand-ins `build` received. Kysely builds an operation tree and compiles it to SQL on every
 * call, about 20 µs for a scoped select of one case, although the SQL of a shape never changes.
 * `shape` must name everything `build` reads other than the stand-ins (a scope, a column list);
 * a stand-in must reach the query as a parameter, unchanged. Throws when one does not. For reads.
 */
export async function runShaped<R>(db: Db, shape: string, values: readonly unknown[], build: (standIns: string[]) => Compilable<R>): Promise<R[]> {
  const key = `${db.getExecutor().adapter.constructor.name}|${shape}`;
  let entry = compiled.get(key);
  if (!entry) {
    const standIns = values.map((_, i) => standIn(i));
    const query = build(standIns).compile();
    const slots = query.parameters.map((p) => standIns.indexOf(p as string));
    if (standIns.some((_, i) => !slots.includes(i))) throw new Error(`query shape ${shape}: a value did not reach the parameters unchanged`);
    if (compiled.size >= MAX_SHAPES) compiled.clear();
    compiled.set(key, (entry = { query, slots }));
  }
  const { query, slots } = entry;
  const parameters = query.parameters.map((p, i) => (slots[i] >= 0 ? values[slots[i]] : p));
  const result = await db.executeQuery<R>({ ...query, parameters, queryId: createQueryId() } as CompiledQuery<R>);
  return result.rows;
}
