// The benchmark registry of `npm run bench`. Add a line for a new benchmark: `npm run bench -- <name>`
// runs bench/<file> in its own process; `npm run bench` runs every `quick` one in order.
export interface BenchEntry {
  name: string;
  file: string;
  summary: string;
  /** Part of the quick suite that a plain `npm run bench` runs. */
  quick: boolean;
}

export const BENCHES: BenchEntry[] = [
  { name: 'grid-lookup', file: 'grid-lookup.ts', summary: 'point-in-grid lookups/s of the grid index against an R-tree prefilter baseline', quick: true },
  { name: 'intake', file: 'intake.ts', summary: 'POST /api/v1/cases over HTTP against a bare validate-and-insert route, interleaved', quick: true },
  // Not quick: the first run builds its stores with `gridloop generate` (bench/.stores/, reused).
  { name: 'kpi', file: 'kpi.ts', summary: 'KPI API and big-screen panels from roll-ups against a naive aggregate over the cases, at two store sizes', quick: false },
  { name: 'generate', file: 'generate.ts', summary: 'gridloop generate: cases/s of realistic history into a fresh store, against SQLite copying the same rows', quick: false },
  { name: 'storage', file: 'storage.ts', summary: 'bytes per case on SQLite (case, timeline, counters, search index, indexes) by dbstat', quick: false },
  { name: 'reads', file: 'reads.ts', summary: 'case by id, list pages 1 and 50 (filtered, offset and cursor), text search, locate against a bare JSON route', quick: true },
  { name: 'import', file: 'import.ts', summary: 'import-cases rows/s (CSV → cases, timelines, KPI roll-ups) against a raw batched insert of the same rows', quick: false },
  { name: 'readings', file: 'readings.ts', summary: 'sensor readings/s over MQTT into Gridloop (intake, rollups, alarm rules) against a bare mqtt subscriber inserting into SQLite', quick: false },
  { name: 'live', file: 'live.ts', summary: 'live feed fan-out to 1,000 SSE clients against a bare SSE echo; intake with and without the clients', quick: false },
  // Not quick: builds stores with 10,000 grids (bench/.stores/, reused) and serves each from a child process.
  { name: 'memory', file: 'memory.ts', summary: 'peak RSS of gridloop serve with 10,000 grids under a mixed HTTP workload and a full CSV export, at two store sizes', quick: false },
  { name: 'sla', file: 'sla.ts', summary: 'one SLA sweep of the cases whose light changes against a full scan of open cases, at two backlog sizes', quick: false },
];
