// `npm run bench -- import`: rows/s of `import-cases` (parse, check, locate, number, case + timeline
// + hash chain + KPI roll-ups, batched transactions) against a raw batched INSERT of the same case
// rows into an empty cases table, both on a fresh SQLite store in the same run.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config.js';
import { createAppContext } from '../src/boot.js';
import { makeCtx } from '../src/context.js';
import { systemActor } from '../src/auth/actor.js';
import { importDivisions } from '../src/org/org.service.js';
import { importGrids } from '../src/grids/grid.import.js';
import { seededRandom } from '../src/grids/grid.synthetic.js';
import { importCasesFromFile } from '../src/history/history.import.js';
import { parseHistoryMapping } from '../src/history/history.mapping.js';

const ROWS = Number(process.env.BENCH_ROWS ?? 20_000);
const BATCH = Number(process.env.BENCH_BATCH ?? 5000);
const COMMUNITY = '150302001002';
const [LON, LAT, CELL] = [106.8, 39.67, 0.002];
const SIDE = 10; // 10 × 10 grids

async function freshStore() {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'gridloop-bench-'));
  const app = await createAppContext(loadConfig({ GRIDLOOP_DATA_DIR: dataDir, GRIDLOOP_DEMO: '0' }));
  const ctx = makeCtx(app, systemActor());
  await importDivisions(ctx, '1503');
  const features = [];
  for (let r = 0; r < SIDE; r++) for (let c = 0; c < SIDE; c++) {
    const [x, y] = [LON + c * CELL, LAT + r * CELL];
    features.push({ type: 'Feature', properties: { community: COMMUNITY }, geometry: { type: 'Polygon', coordinates: [[[x, y], [x + CELL, y], [x + CELL, y + CELL], [x, y + CELL], [x, y]]] } });
  }
  await importGrids(ctx, { type: 'FeatureCollection', features });
  return { app, ctx, close: async () => { await app.close(); rmSync(dataDir, { recursive: true, force: true }); } };
}

// The same rows for both: 80 % closed, times over one year, points inside the grids.
const rand = seededRandom(20261130);
const types = ['Garbage', 'Graffiti', 'Dumping', 'Lights'];
const pad = (n: number) => String(n).padStart(2, '0');
const lines = ['id,created,closed,status,type,lon,lat'];
for (let i = 0; i < ROWS; i++) {
  const created = Date.UTC(2025, 0, 1) + Math.floor(rand() * 364 * 86_400_000);
  const closed = rand() < 0.8 ? created + Math.floor(rand() * 10 * 86_400_000) : null;
  const fmt = (ms: number) => { const d = new Date(ms); return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`; };
  lines.push([`SR-${i}`, fmt(created), closed ? fmt(closed) : '', closed ? 'Closed' : 'Open', types[i % 4], (LON + rand() * SIDE * CELL).toFixed(6), (LAT + rand() * SIDE * CELL).toFixed(6)].join(','));
}
const dir = mkdtempSync(path.join(tmpdir(), 'gridloop-bench-csv-'));
const csv = path.join(dir, 'cases.csv');
writeFileSync(csv, `${lines.join('\n')}\n`);
const mapping = parseHistoryMapping({
  columns: { sourceId: 'id', createdAt: 'created', closedAt: 'closed', status: 'status', type: 'type', lon: 'lon', lat: 'lat' },
  timeZone: 'Asia/Shanghai', types: { Garbage: '06010', Graffiti: '07002', Dumping: '06011', Lights: '01026' }, closedStatuses: ['Closed'],
});

console.log('import: import-cases rows/s against a raw batched INSERT of the same case rows (SQLite, fresh store each)');
console.log(`inputs: ${ROWS} rows (80 % closed, one year, 4 types), ${SIDE * SIDE} grids, batches of ${BATCH} rows per transaction`);

// 1. import-cases, end to end from the CSV file.
const a = await freshStore();
let t0 = performance.now();
let c0 = process.cpuUsage();
const summary = await importCasesFromFile(a.ctx, csv, mapping, { batchSize: BATCH });
const importMs = performance.now() - t0;
const importCpu = process.cpuUsage(c0);
if (summary.imported !== ROWS) throw new Error(`imported ${summary.imported} of ${ROWS}: ${JSON.stringify(summary.reasons)}`);
const caseRows = await a.app.store.db.selectFrom('cases').selectAll().orderBy('id').execute();
const events = await a.app.store.db.selectFrom('case_events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
await a.close();

// 2. The baseline: the very rows import-cases wrote, inserted raw in the same batches.
const b = await freshStore();
const rows = caseRows.map(({ id: _id, ...rest }) => rest);
t0 = performance.now();
c0 = process.cpuUsage();
for (let i = 0; i < rows.length; i += BATCH) {
  await b.app.store.db.transaction().execute(async (trx) => {
    const batch = rows.slice(i, i + BATCH);
    for (let j = 0; j < batch.length; j += 250) await trx.insertInto('cases').values(batch.slice(j, j + 250)).execute();
  });
}
const rawMs = performance.now() - t0;
const rawCpu = process.cpuUsage(c0);
await b.close();
rmSync(dir, { recursive: true, force: true });

const importRate = ROWS / (importMs / 1000);
const rawRate = ROWS / (rawMs / 1000);
console.log(`import-cases: ${ROWS} rows in ${(importMs / 1000).toFixed(2)} s = ${Math.round(importRate)} rows/s (${Number(events.n)} timeline events, KPI roll-ups included)`);
console.log(`raw INSERT:   ${ROWS} rows in ${(rawMs / 1000).toFixed(2)} s = ${Math.round(rawRate)} rows/s`);
const cpuS = (c: NodeJS.CpuUsage) => (c.user + c.system) / 1e6;
console.log(`ratio: ${(importRate / rawRate).toFixed(2)}× the raw insert (target ≥ 0.3×)`);
// On a loaded machine wall times stretch with the load; CPU seconds (user + system) stretch less.
console.log(`CPU time: import-cases ${cpuS(importCpu).toFixed(2)} s, raw INSERT ${cpuS(rawCpu).toFixed(2)} s: CPU ratio ${(cpuS(rawCpu) / cpuS(importCpu)).toFixed(2)}×`);
console.log(JSON.stringify({ bench: 'import', store: 'sqlite', rows: ROWS, ratio: +(importRate / rawRate).toFixed(3), cpuRatio: +(cpuS(rawCpu) / cpuS(importCpu)).toFixed(3), importS: +(importMs / 1000).toFixed(2), rawS: +(rawMs / 1000).toFixed(2) }));
