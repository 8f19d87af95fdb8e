import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { loadConfig } from '../../src/config.js';
import { createAppContext } from '../../src/boot.js';
import { makeCtx } from '../../src/context.js';
import { systemActor } from '../../src/auth/actor.js';
import { importDivisions } from '../../src/org/org.service.js';
import { orgRepository } from '../../src/org/org.repository.js';
import { importGrids } from '../../src/grids/grid.import.js';
import { syntheticLattice } from '../../src/grids/grid.synthetic.js';
import { buildDemoCity } from '../../src/demo/demo.js';
import { generateHistory } from '../../src/generate/generate.service.js';

/** The lattice of a grid city: cells of CELL_DEG over 乌海市, `side` × `side` of them. */
export const LATTICE = { origin: [106.72, 39.45] as [number, number], cellDeg: 0.0035 };

export interface GridCityStore {
  dataDir: string;
  cases: number;
  grids: number;
  /** One point inside each of a sample of the grids (their cells' middles), for intake and locate. */
  points: [number, number][];
  /** The community codes (each holds about grids ÷ communities grids). */
  communities: string[];
}

/**
 * A SQLite store under bench/.stores/ for the 乌海市 divisions with `grids` synthetic grids (a
 * jittered square lattice, split over the communities in contiguous blocks, so a community's
 * grids are neighbours), the rest of the demo city (departments, users, routing) and `cases`
 * cases of generated history (`gridloop generate`'s path). Built once, reused while it holds at
 * least `cases` cases (with `build: false`, used with the cases it holds, e.g. a build cut short).
 * The demo's own ~640 grids are not drawn: importing grids first makes buildDemoCity skip them.
 */
export async function gridCityStore(opts: { cases: number; grids: number; days?: number; root?: string; build?: boolean }): Promise<GridCityStore> {
  const side = Math.round(Math.sqrt(opts.grids));
  const days = opts.days ?? 365;
  const dataDir = path.join(opts.root ?? path.resolve('bench/.stores'), `grid-city-${side * side}g-${opts.cases}`);
  const end = new Date('2026-11-30T04:00:00Z');
  const app = await createAppContext(loadConfig({ ...process.env, GRIDLOOP_DATA_DIR: dataDir, GRIDLOOP_DEMO: '0', DATABASE_URL: '' }), () => end);
  try {
    const ctx = makeCtx(app, systemActor());
    const cells = syntheticLattice({ rows: side, cols: side, origin: LATTICE.origin, cellDeg: LATTICE.cellDeg, jitter: 0.15, edgeVertices: 2, holeEvery: 0, seed: 20261130 });
    const have = await app.store.db.selectFrom('org_units').select((eb) => eb.fn.countAll().as('n')).where('level', '=', 'grid').executeTakeFirstOrThrow();
    if (Number(have.n) === 0) {
      console.log(`building a ${side}×${side} grid city in ${dataDir} …`);
      await importDivisions(ctx, '1503');
      const communities = (await orgRepository.list(app.store.db, '/150300/', { level: 'community' }, { limit: 10_000, offset: 0 })).items.map((c) => c.code);
      const features = cells.map((c, i) => ({
        type: 'Feature' as const,
        properties: { community: communities[Math.floor((i * communities.length) / cells.length)] },
        geometry: { type: 'Polygon' as const, coordinates: c.polygons[0] },
      }));
      const report = await importGrids(ctx, { type: 'FeatureCollection', features });
      console.log(`  ${report.imported} grids over ${communities.length} communities`);
      await buildDemoCity(ctx);
    }
    const count = async () => Number((await app.store.db.selectFrom('cases').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const before = await count();
    if (before < opts.cases && opts.build !== false) {
      const started = performance.now();
      console.log(`generating ${opts.cases - before} cases over ${days} days …`);
      const r = await generateHistory(app, { cases: opts.cases - before, seed: 20261130 + before, days, end, onProgress: (d, t) => d % 100_000 === 0 && console.log(`  ${d}/${t}`) });
      const s = (performance.now() - started) / 1000;
      console.log(`  ${r.cases} cases, ${r.events} events in ${s.toFixed(0)} s`);
      await sql`analyze`.execute(app.store.db);
    }
    const gridCount = Number((await app.store.db.selectFrom('org_units').select((eb) => eb.fn.countAll().as('n')).where('level', '=', 'grid').executeTakeFirstOrThrow()).n);
    const step = Math.max(1, Math.floor(cells.length / 500));
    const points = cells.filter((_, i) => i % step === 0).map((c) => {
      const ring = c.polygons[0][0].slice(0, -1);
      const mid = (k: 0 | 1) => Math.round((ring.reduce((s, p) => s + p[k], 0) / ring.length) * 1e6) / 1e6;
      return [mid(0), mid(1)] as [number, number];
    });
    const communities = (await orgRepository.list(app.store.db, '/150300/', { level: 'community' }, { limit: 10_000, offset: 0 })).items.map((c) => c.code);
    return { dataDir, cases: await count(), grids: gridCount, points, communities };
  } finally {
    await app.close();
  }
}

/** Removes a store directory built by gridCityStore (for a size nobody will reuse). */
export function dropStore(dataDir: string): void {
  fs.rmSync(dataDir, { recursive: true, force: true });
}
