// `npm run bench -- generate [--cases N] [--prof-sim]`: history generation (issue 8, target 3c:
// `gridloop generate` writes ≥ 10,000 cases/s). Into a fresh store with the demo city (a temporary
// SQLite file, or a scratch database on DATABASE_URL), `generateHistory` writes N cases (100,000)
// reported over N ÷ 1,370 days: the density of 1M cases over two years, which sets how often
// roll-up rows merge. Reported: cases per second of wall time and per CPU second of the process
// (the machine is shared: wall time follows the load, CPU time much less), events written, and the
// wall time against the target. The baseline in the same run is the store's own floor: the same
// case and timeline rows copied table to table by SQLite (`insert … select`, no simulation, no
// roll-ups, no search index) into empty copies of the two tables, whose indexes are then built.
import { parseArgs } from 'node:util';
import { openBenchStore, writeResult } from './lib/bench-store.js';
import { generateHistory } from '../src/generate/generate.service.js';
import { sql } from 'kysely';
import type { Db } from '../src/db/database.js';

const { values } = parseArgs({ args: process.argv.slice(2).filter((a) => a !== 'generate'), options: { cases: { type: 'string' } }, strict: true });
const CASES = Number(values.cases ?? 100_000);
const DAYS = Math.max(1, Math.round(CASES / 1370));
const END = new Date('2026-11-30T04:00:00Z');
const TARGET = 10_000;

const bench = await openBenchStore();
console.log(`generate: ${CASES} cases over ${DAYS} days into a fresh ${bench.store} store with the demo city; baseline: SQLite copying the same rows table to table`);
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const r = await generateHistory(bench.app, { cases: CASES, seed: 1503, days: DAYS, end: END });
const wall = (performance.now() - t0) / 1000;
const used = process.cpuUsage(cpu0);
const cpu = (used.user + used.system) / 1e6;
const floor = bench.store === 'sqlite' ? await copyGeneratedRows(bench.app.store.db) : null;
await bench.close();
const out = {
  bench: 'generate', store: bench.store, cases: r.cases, events: r.events, days: DAYS,
  casesPerS: Math.round(r.cases / wall), casesPerCpuS: Math.round(r.cases / cpu), wallS: +wall.toFixed(1), cpuS: +cpu.toFixed(1),
  ofTarget: +(r.cases / wall / TARGET).toFixed(2), floorCasesPerS: floor ? Math.round(r.cases / floor) : null,
};
console.log(`${r.cases} cases, ${r.events} events in ${out.wallS} s (${out.casesPerS} cases/s, ${out.ofTarget}× the target of ${TARGET}); ${out.cpuS} s of CPU (${out.casesPerCpuS} cases per CPU second)`);
if (floor) console.log(`floor: SQLite copies the same case and timeline rows with their indexes in ${floor.toFixed(1)} s (${out.floorCasesPerS} cases/s): generation runs at ${(out.casesPerS / (out.floorCasesPerS ?? 1)).toFixed(2)}× that`);
writeResult('generate', bench.store, out);
console.log(JSON.stringify(out));

/** Seconds SQLite takes to copy the cases and their timelines into fresh tables and build the same indexes on them. */
async function copyGeneratedRows(db: Db): Promise<number> {
  const t0 = performance.now();
  for (const table of ['cases', 'case_events']) {
    const copy = `${table}_floor`;
    await sql.raw(`create table ${copy} as select * from ${table} where 0`).execute(db);
    await sql.raw(`insert into ${copy} select * from ${table}`).execute(db);
    const indexes = (await sql<{ name: string; sql: string }>`select name, sql from sqlite_master where type = 'index' and tbl_name = ${table} and sql is not null`.execute(db)).rows;
    for (const i of indexes) await sql.raw(i.sql.replace(i.name, `${i.name}_floor`).replace(new RegExp(`\\bon\\s+"?${table}"?`, 'i'), `on ${copy}`)).execute(db);
  }
  return (performance.now() - t0) / 1000;
}
