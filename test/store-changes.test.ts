import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../src/config.js';
import { createAppContext } from '../src/boot.js';
import { buildHttpApp } from '../src/app.js';
import { makeCtx, type AppContext } from '../src/context.js';
import { systemActor } from '../src/auth/actor.js';
import { importDivisions } from '../src/org/org.service.js';
import { importGrids } from '../src/grids/grid.import.js';
import { importOrgUnits } from '../src/org/org.import.js';
import { createCategory } from '../src/catalogue/category.admin.js';
import { importCases } from '../src/history/history.import.js';
import { parseHistoryMapping } from '../src/history/history.mapping.js';
import { followStoreChanges } from '../src/cache/store-changes.js';

// A server and a CLI on one SQLite file, as two processes would be: two connections, each with its
// own caches. (This is SQLite's problem; on PostgreSQL the writer notifies the servers: cluster tests.)
const dir = mkdtempSync(path.join(tmpdir(), 'gridloop-store-changes-'));
const config = loadConfig({ GRIDLOOP_DATA_DIR: dir, GRIDLOOP_DEMO: '0' });
let server: AppContext & { close(): Promise<void> };
let cli: AppContext & { close(): Promise<void> };
let http: FastifyInstance;
const [LON, LAT, CELL] = [106.8, 39.67, 0.002];
const square = (x: number, y: number, d: number) => ({ type: 'Polygon', coordinates: [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]] });
const locate = async () => (await http.inject({ method: 'GET', url: `/api/v1/locate?lon=${LON + CELL / 2}&lat=${LAT + CELL / 2}` })).json();
const services = async () => (await http.inject({ method: 'GET', url: '/open311/v2/services.json' })).json().map((s: { service_code: string }) => s.service_code);

beforeAll(async () => {
  server = await createAppContext(config);
  http = await buildHttpApp(server);
  cli = await createAppContext(config);
});
afterAll(async () => {
  await http.close();
  await server.close();
  await cli.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a running server on SQLite sees what a CLI in another process imported', () => {
  it('grids and org units: the next request locates in the new grid, under the new names', async () => {
    expect((await locate()).outside).toBe(true);
    const ctx = makeCtx(cli, systemActor());
    await importDivisions(ctx, '1503');
    await importGrids(ctx, { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { community: '150302001002' }, geometry: square(LON, LAT, CELL) }] });
    const found = await locate();
    expect(found.outside).toBe(false);
    expect(found.grid.code).toMatch(/^150302001002\d{3}$/);
    await importOrgUnits(ctx, { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { code: '150302001002', name: '改过名的社区', level: 'community', parentCode: '150302001' }, geometry: null }] });
    expect((await locate()).chain.find((u: { level: string }) => u.level === 'community').name).toBe('改过名的社区');
  });

  it('categories: a local category created by the CLI is in the Open311 list at once', async () => {
    expect(await services()).not.toContain('LA-POTHOLE');
    await createCategory(makeCtx(cli, systemActor()), { code: 'LA-POTHOLE', name: '坑洼', classCode: '01', kind: 'matter', workflow: 'urban' });
    expect(await followStoreChanges(server)).toEqual(['catalogue']);
    expect(await services()).toContain('LA-POTHOLE');
  });

  it('a case import in the CLI (thousands of commits elsewhere) reloads nothing', async () => {
    await followStoreChanges(server);
    const mapping = parseHistoryMapping({ columns: { sourceId: 'id', createdAt: 'created', closedAt: 'closed', status: 'status', type: 'type', lon: 'lon', lat: 'lat' }, timeZone: 'Asia/Shanghai', types: { Garbage: '06010' }, closedStatuses: ['Closed'] });
    async function* rows() {
      for (let i = 0; i < 30; i++) yield { id: `S${i}`, created: '2026-10-01 09:00:00', closed: '', status: 'Open', type: 'Garbage', lon: String(LON + CELL / 2), lat: String(LAT + CELL / 2) };
    }
    expect((await importCases(makeCtx(cli, systemActor()), rows(), mapping, { batchSize: 10 })).imported).toBe(30);
    expect(await followStoreChanges(server)).toEqual([]);
    await importGrids(makeCtx(cli, systemActor()), { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { community: '150302001002' }, geometry: square(LON + CELL, LAT, CELL) }] });
    expect((await followStoreChanges(server)).sort()).toEqual(['grids', 'org']); // grids are org units too
  });
});
