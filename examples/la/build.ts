/**
 * Builds the Los Angeles worked example from the LA 311 data beside the repository
 * (../shared/data/la311, or the folder given as the first argument) into examples/la/out/:
 *   org-units.geojson  city 0600 → 15 council districts (0601–0615) → one street each (060101 …)
 *                      → the 99 neighbourhood councils as communities (street + nc_id), with outlines
 *   grids.geojson      one grid per neighbourhood council (community + 001), the same outline
 * A council is placed in the council district holding an interior point of its outline.
 * Codes follow GRIDLOOP_CODE_LAYOUT=4,2,3,3 (see docs/ONBOARDING.md). Run:
 *   node --import tsx examples/la/build.ts [../shared/data/la311]
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { interiorPoint, pointInRings, polygonsOf, type GridGeometry } from '../../src/grids/geometry.js';

interface Feature {
  type: 'Feature';
  properties: Record<string, unknown>;
  geometry: GridGeometry | null;
}

export const LA_CITY = { code: '0600', name: 'Los Angeles' };
const here = path.dirname(fileURLToPath(import.meta.url));

/** The org tree and grids of the example, from the two boundary files. */
export function buildLosAngeles(dataDir: string): { orgUnits: Feature[]; grids: Feature[] } {
  const read = (f: string) => JSON.parse(readFileSync(path.join(dataDir, f), 'utf8')) as { features: Feature[] };
  const districts = read('la-city-council-districts-2012.geojson').features;
  const councils = read('nc-boundary-2019.geojson').features.sort((a, b) => Number(a.properties.nc_id) - Number(b.properties.nc_id));
  const districtCode = (n: number) => `06${String(n).padStart(2, '0')}`;
  const orgUnits: Feature[] = [{ type: 'Feature', properties: { code: LA_CITY.code, name: LA_CITY.name, level: 'city' }, geometry: null }];
  for (const d of districts) {
    const n = Number(d.properties.name);
    orgUnits.push({ type: 'Feature', properties: { code: districtCode(n), name: `Council District ${n}`, level: 'district', parentCode: LA_CITY.code }, geometry: null });
    orgUnits.push({ type: 'Feature', properties: { code: `${districtCode(n)}01`, name: `Council District ${n}`, level: 'street', parentCode: districtCode(n) }, geometry: null });
  }
  const grids: Feature[] = [];
  for (const nc of councils) {
    const geometry = nc.geometry as GridGeometry;
    const [x, y] = interiorPoint(polygonsOf(geometry));
    const host = districts.find((d) => polygonsOf(d.geometry as GridGeometry).some((p) => pointInRings(x, y, p))) ?? districts[0];
    const street = `${districtCode(Number(host.properties.name))}01`;
    const community = `${street}${String(nc.properties.nc_id).padStart(3, '0')}`;
    const name = String(nc.properties.name).trim();
    orgUnits.push({ type: 'Feature', properties: { code: community, name, level: 'community', parentCode: street, ncId: Number(nc.properties.nc_id) }, geometry });
    grids.push({ type: 'Feature', properties: { community, code: `${community}001`, name }, geometry });
  }
  return { orgUnits, grids };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dataDir = path.resolve(process.argv[2] ?? path.join(here, '../../../shared/data/la311'));
  const { orgUnits, grids } = buildLosAngeles(dataDir);
  const out = path.join(here, 'out');
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, 'org-units.geojson'), JSON.stringify({ type: 'FeatureCollection', features: orgUnits }));
  writeFileSync(path.join(out, 'grids.geojson'), JSON.stringify({ type: 'FeatureCollection', features: grids }));
  console.log(`examples/la/out: ${orgUnits.length} org units, ${grids.length} grids (from ${dataDir})`);
}
