import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from './helpers.js';
import { importDivisions } from '../src/org/org.service.js';
import { importGridsFromFile } from '../src/grids/grid.import.js';
import { locatePoint } from '../src/grids/grid.locate.js';

type Ring = [number, number][];

/**
 * A minimal ESRI shapefile writer (Polygon, shape type 5) for fixtures: outer rings must be
 * clockwise in a shapefile, holes counter-clockwise. Attributes go to a dBASE III table.
 */
function writeShp(file: string, shapes: Ring[][]): void {
  const records = shapes.map((rings, i) => {
    const points = rings.flat();
    const content = Buffer.alloc(44 + 4 * rings.length + 16 * points.length);
    content.writeInt32LE(5, 0);
    const xs = points.map((p) => p[0]);
    const ys = points.map((p) => p[1]);
    [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)].forEach((v, k) => content.writeDoubleLE(v, 4 + 8 * k));
    content.writeInt32LE(rings.length, 36);
    content.writeInt32LE(points.length, 40);
    let start = 0;
    rings.forEach((r, k) => (content.writeInt32LE(start, 44 + 4 * k), (start += r.length)));
    points.forEach(([x, y], k) => (content.writeDoubleLE(x, 44 + 4 * rings.length + 16 * k), content.writeDoubleLE(y, 52 + 4 * rings.length + 16 * k)));
    const header = Buffer.alloc(8);
    header.writeInt32BE(i + 1, 0);
    header.writeInt32BE(content.length / 2, 4);
    return Buffer.concat([header, content]);
  });
  const all = shapes.flat(2);
  const head = Buffer.alloc(100);
  head.writeInt32BE(9994, 0);
  head.writeInt32BE((100 + records.reduce((n, r) => n + r.length, 0)) / 2, 24);
  head.writeInt32LE(1000, 28);
  head.writeInt32LE(5, 32);
  [Math.min(...all.map((p) => p[0])), Math.min(...all.map((p) => p[1])), Math.max(...all.map((p) => p[0])), Math.max(...all.map((p) => p[1]))].forEach((v, k) => head.writeDoubleLE(v, 36 + 8 * k));
  writeFileSync(file, Buffer.concat([head, ...records]));
}

function writeDbf(file: string, fields: { name: string; type: 'C' | 'N'; length: number }[], rows: (string | number)[][]): void {
  const recordLength = 1 + fields.reduce((n, f) => n + f.length, 0);
  const headerLength = 32 + 32 * fields.length + 1;
  const head = Buffer.alloc(headerLength);
  head.writeUInt8(0x03, 0);
  head.writeUInt32LE(rows.length, 4);
  head.writeUInt16LE(headerLength, 8);
  head.writeUInt16LE(recordLength, 10);
  fields.forEach((f, k) => {
    head.write(f.name, 32 + 32 * k, 'ascii');
    head.write(f.type, 32 + 32 * k + 11, 'ascii');
    head.writeUInt8(f.length, 32 + 32 * k + 16);
  });
  head.writeUInt8(0x0d, headerLength - 1);
  const body = rows.map((row) => {
    const rec = Buffer.alloc(recordLength, 0x20);
    let at = 1;
    fields.forEach((f, k) => {
      const text = Buffer.from(String(row[k]), 'utf8');
      text.copy(rec, f.type === 'N' ? at + f.length - text.length : at);
      at += f.length;
    });
    return rec;
  });
  writeFileSync(file, Buffer.concat([head, ...body, Buffer.from([0x1a])]));
}

// Clockwise square (shapefile outer ring) and counter-clockwise hole.
const cwSquare = (x: number, y: number, s: number): Ring => [[x, y], [x, y + s], [x + s, y + s], [x + s, y], [x, y]];
const ccwSquare = (x: number, y: number, s: number): Ring => [[x, y], [x + s, y], [x + s, y + s], [x, y + s], [x, y]];

let env: TestEnv;
let dir: string;
beforeAll(async () => {
  env = await createTestEnv();
  await importDivisions(env.sys(), '1503');
  dir = mkdtempSync(path.join(tmpdir(), 'gridloop-shp-'));
});
afterAll(async () => {
  await env.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('importGridsFromFile', () => {
  it('imports a .shp with its .dbf (UTF-8 names, numeric community field) and .prj', async () => {
    const shp = path.join(dir, 'grids.shp');
    writeShp(shp, [[cwSquare(106.8, 39.66, 0.01), ccwSquare(106.803, 39.663, 0.002)], [cwSquare(106.81, 39.66, 0.01)]]);
    writeDbf(path.join(dir, 'grids.dbf'), [{ name: 'COMMUNITY', type: 'N', length: 12 }, { name: 'NAME', type: 'C', length: 40 }], [[150302001002, '和平西网格'], [150302001002, '和平东网格']]);
    writeFileSync(path.join(dir, 'grids.cpg'), 'UTF-8');
    writeFileSync(path.join(dir, 'grids.prj'), 'GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]');
    const report = await importGridsFromFile(env.sys(), shp);
    expect(report.grids.map((g) => [g.code, g.name])).toEqual([['150302001002001', '和平西网格'], ['150302001002002', '和平东网格']]);
    expect(locatePoint(env.app, 106.8015, 39.6615).grid?.name).toBe('和平西网格');
    // The hole came through: its middle is outside every grid (and too far from edges to snap at 0 m).
    expect(locatePoint({ ...env.app, config: { ...env.config, locateSnapMetres: 0 } }, 106.804, 39.664).outside).toBe(true);
  });

  it('reads GeoJSON files and refuses projected shapefiles and unknown formats', async () => {
    const json = path.join(dir, 'more.geojson');
    writeFileSync(json, JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { community: '150302001003' }, geometry: { type: 'Polygon', coordinates: [ccwSquare(106.82, 39.66, 0.01)] } }] }));
    expect((await importGridsFromFile(env.sys(), json)).grids[0].code).toBe('150302001003001');

    const projected = path.join(dir, 'utm.shp');
    writeShp(projected, [[cwSquare(500000, 4390000, 500)]]);
    writeFileSync(path.join(dir, 'utm.prj'), 'PROJCS["WGS_1984_UTM_Zone_48N",GEOGCS["GCS_WGS_1984"]]');
    await expect(importGridsFromFile(env.sys(), projected)).rejects.toMatchObject({ code: 'import_failed', message: expect.stringContaining('projected') });

    writeFileSync(path.join(dir, 'grids.txt'), 'hello');
    await expect(importGridsFromFile(env.sys(), path.join(dir, 'grids.txt'))).rejects.toMatchObject({ code: 'import_failed' });
    writeFileSync(path.join(dir, 'broken.json'), '{"type":');
    await expect(importGridsFromFile(env.sys(), path.join(dir, 'broken.json'))).rejects.toMatchObject({ code: 'import_failed' });
    await expect(importGridsFromFile(env.sys(), path.join(dir, 'missing.geojson'))).rejects.toMatchObject({ code: 'import_failed' });
  });

  it('reports shapefile geometry problems by feature index', async () => {
    const shp = path.join(dir, 'bad.shp');
    // Feature 1 is a bow tie.
    writeShp(shp, [[cwSquare(106.9, 39.66, 0.01)], [[[106.92, 39.66], [106.93, 39.67], [106.93, 39.66], [106.92, 39.67], [106.92, 39.66]]]]);
    writeDbf(path.join(dir, 'bad.dbf'), [{ name: 'COMMUNITY', type: 'C', length: 12 }], [['150302001004'], ['150302001004']]);
    await expect(importGridsFromFile(env.sys(), shp)).rejects.toMatchObject({
      code: 'invalid_geometry',
      details: { problems: [expect.objectContaining({ feature: 1, code: 'self_intersection' })] },
    });
  });
});
