// `npm run bench -- storage`: bytes per case on SQLite (case row, timeline, counters, search index
// and every index), measured with dbstat after N intakes through the domain functions.
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { openBenchStore, writeResult } from './lib/bench-store.js';
import { makeCtx } from '../src/context.js';
import { intakeCase } from '../src/cases/case.intake.js';
import { intakeBodies } from './lib/city-inputs.js';

const { values } = parseArgs({ options: { cases: { type: 'string' } }, strict: true });
const CASES = Number(values.cases ?? 2_000);
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
