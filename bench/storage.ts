// `npm run bench -- storage [--cases N] [--generated N [--days D]]`: bytes per case on SQLite (case
// row, timeline, counters, search index and every index), measured with dbstat. Default: the pages
// grown by N intakes through the domain functions (one report event each). With --generated: the
// whole of the kpi bench's generated store of N cases over D days (730; built on first use), whose
// cases carry their full timelines and roll-ups, per object and per table with its indexes.
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { openBenchStore, writeResult } from './lib/bench-store.js';
import { makeCtx } from '../src/context.js';
import { intakeCase } from '../src/cases/case.intake.js';
import { intakeBodies } from './lib/city-inputs.js';
import { openHistoryStore } from './lib/generated-store.js';

const { values } = parseArgs({ args: process.argv.slice(2).filter((a) => a !== 'storage'), options: { cases: { type: 'string' }, generated: { type: 'string' }, days: { type: 'string' } }, strict: true });
const CASES = Number(values.cases ?? 2_000);
if (values.generated) {
  await measureGenerated(Number(values.generated), Number(values.days ?? 730));
  process.exit(0);
}
const bench = await openBenchStore();
if (bench.store !== 'sqlite') {
  console.log('storage: SQLite only (dbstat); on PostgreSQL use pg_total_relation_size per table');
  await bench.close();
  process.exit(0);
}
const { app } = bench;
const sizes = async () => Object.fromEntries((await sql<{ name: string; bytes: number }>`select name, sum(pgsize) as bytes from dbstat group by name`.execute(app.store.db)).rows.map((r) => [r.name, Number(r.bytes)]));
const before = await sizes();
const actor = { kind: 'user' as const, id: 1, name: 'bench', role: 'dispatcher' as const, orgCode: app.config.cityCode, orgPath: `/${app.config.cityCode}/`, departmentId: null };
for (const body of await intakeBodies(app, CASES)) {
  await intakeCase(makeCtx(app, actor), { ...JSON.parse(body), reporter: { name: '张三', phone: '13912345678' } });
}
const after = await sizes();
const grown = Object.entries(after).map(([name, bytes]) => [name, bytes - (before[name] ?? 0)] as const).filter(([, b]) => b > 0).sort((a, b) => b[1] - a[1]);
const total = grown.reduce((n, [, b]) => n + b, 0);
console.log(`storage: ${CASES} cases through intakeCase (one report event each, reporter encrypted), SQLite page bytes grown per object:`);
for (const [name, bytes] of grown) console.log(`  ${name.padEnd(34)} ${(bytes / CASES).toFixed(0).padStart(6)} B/case`);
console.log(`  ${'total'.padEnd(34)} ${(total / CASES).toFixed(0).padStart(6)} B/case`);
writeResult('storage', 'sqlite', { cases: CASES, perObject: Object.fromEntries(grown), bytesPerCase: total / CASES });
await bench.close();
console.log(JSON.stringify({ bench: 'storage', store: 'sqlite', cases: CASES, bytesPerCase: Math.round(total / CASES) }));

/** Bytes per case of the whole generated store, per object and per table with its indexes. */
async function measureGenerated(size: number, days: number): Promise<void> {
  const app = await openHistoryStore(size, days);
  await sql`pragma wal_checkpoint(truncate)`.execute(app.store.db);
  const events = Number((await app.store.db.selectFrom('case_events').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const objects = (await sql<{ name: string; tbl: string | null; bytes: number }>`select d.name, m.tbl_name as tbl, sum(d.pgsize) as bytes from dbstat d left join sqlite_master m on m.name = d.name group by d.name`.execute(app.store.db)).rows;
  // FTS5 keeps its index in shadow tables (cases_fts_data, _idx, _docsize …): counted under cases_fts.
  const owner = (o: { name: string; tbl: string | null }) => (o.name.startsWith('cases_fts') ? 'cases_fts' : o.name.startsWith('sqlite_autoindex_') ? o.name.replace(/^sqlite_autoindex_(.*)_\d+$/, '$1') : (o.tbl ?? o.name));
  const byTable = new Map<string, number>();
  for (const o of objects) byTable.set(owner(o), (byTable.get(owner(o)) ?? 0) + Number(o.bytes));
  const total = objects.reduce((n, o) => n + Number(o.bytes), 0);
  const perCase = (b: number) => (b / size).toFixed(0).padStart(6);
  console.log(`storage: generated store of ${size} cases over ${days} days (${events} timeline events, ${(events / size).toFixed(1)} per case), SQLite pages per object (objects ≥ 1 B/case):`);
  for (const o of [...objects].sort((a, b) => Number(b.bytes) - Number(a.bytes)).filter((o) => Number(o.bytes) >= size)) console.log(`  ${o.name.padEnd(34)} ${perCase(Number(o.bytes))} B/case`);
  console.log('per table with its indexes:');
  for (const [name, bytes] of [...byTable].sort((a, b) => b[1] - a[1]).filter(([, b]) => b >= size)) console.log(`  ${name.padEnd(34)} ${perCase(bytes)} B/case`);
  console.log(`  ${'total'.padEnd(34)} ${perCase(total)} B/case (${(total / 2 ** 30).toFixed(2)} GiB)`);
  writeResult('storage', 'sqlite', { generated: size, days, events, perObject: Object.fromEntries(objects.map((o) => [o.name, Number(o.bytes)])), perTable: Object.fromEntries(byTable), bytesPerCase: total / size });
  await app.close();
  console.log(JSON.stringify({ bench: 'storage', store: 'sqlite', generated: size, bytesPerCase: Math.round(total / size) }));
}
