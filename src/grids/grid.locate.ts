import { refreshOutlines } from './grid.outlines.js';
import type { AppContext } from '../context.js';
import type { OrgLevel } from '../db/tables.js';
import { AppError } from '../errors.js';
import { orgRepository } from '../org/org.repository.js';
import { polygonsOf, type GridGeometry } from './geometry.js';
import { GridIndex } from './grid.index.js';
import { gridRepository, type GridShapeRow } from './grid.repository.js';

/** The key of the grid locator in `app.services`. */
export const GRID_INDEX = 'grids.locator';

export interface ChainLink {
  code: string;
  name: string;
  level: OrgLevel;
}

/** Where a point is: its grid (null outside every grid) and the chain city → … → grid. */
export interface LocateResult {
  grid: { code: string; name: string } | null;
  chain: readonly ChainLink[];
  /** True when no grid contains the point and none lies within the snap distance. */
  outside: boolean;
  /** Set when the point lay outside every grid and was snapped to the nearest one, this far away. */
  snappedMetres?: number;
}

const OUTSIDE: LocateResult = Object.freeze({ grid: null, chain: Object.freeze([]), outside: true });

/** The grid index plus what a lookup reports: names, parents and (cached) chains per grid. */
export class GridLocator {
  private readonly chains: (readonly ChainLink[] | undefined)[];

  constructor(
    readonly index: GridIndex,
    private readonly grids: Map<string, { name: string; path: string; parent: string | null }>,
    private readonly units: Map<string, ChainLink>,
  ) {
    this.chains = new Array(index.size);
  }

  /** Code and name of the grid with this ordinal. */
  gridAt(ordinal: number): { code: string; name: string } {
    const code = this.index.code(ordinal);
    return { code, name: this.grids.get(code)?.name ?? code };
  }

  /** The community code of the grid with this ordinal. */
  communityOf(ordinal: number): string | null {
    return this.grids.get(this.index.code(ordinal))?.parent ?? null;
  }

  /** The chain city → … → grid of a grid, built once and frozen. */
  chainOf(ordinal: number): readonly ChainLink[] {
    const cached = this.chains[ordinal];
    if (cached) return cached;
    const code = this.index.code(ordinal);
    const grid = this.grids.get(code);
    const links = (grid?.path ?? '').split('/').filter(Boolean).map((c) => (c === code ? { code, name: grid?.name ?? code, level: 'grid' as const } : this.units.get(c)));
    const chain = Object.freeze(links.filter((l): l is ChainLink => l !== undefined).map((l) => Object.freeze({ ...l })));
    this.chains[ordinal] = chain;
    return chain;
  }

  /** Locates a point: the containing grid, else the nearest within `snapMetres`, else outside. */
  locate(lon: number, lat: number, snapMetres: number): LocateResult {
    const inside = this.index.containing(lon, lat);
    if (inside >= 0) return { grid: this.gridAt(inside), chain: this.chainOf(inside), outside: false };
    const near = this.index.nearest(lon, lat, snapMetres);
    if (!near) return OUTSIDE;
    return { grid: this.gridAt(near.ordinal), chain: this.chainOf(near.ordinal), outside: false, snappedMetres: Math.round(near.metres * 10) / 10 };
  }
}

function parseGeometry(text: string): GridGeometry | null {
  try {
    const g = JSON.parse(text) as GridGeometry;
    return (g.type === 'Polygon' || g.type === 'MultiPolygon') && Array.isArray(g.coordinates) ? g : null;
  } catch {
    return null;
  }
}

/** Builds a locator from stored grid rows and the units above them (pure; rows with unreadable shapes are left out). */
export function buildGridLocator(rows: GridShapeRow[], ancestors: ChainLink[]): GridLocator {
  const shapes = [];
  const grids = new Map<string, { name: string; path: string; parent: string | null }>();
  for (const row of rows) {
    const geometry = parseGeometry(row.geometry);
    if (!geometry) continue;
    shapes.push({ code: row.code, polygons: polygonsOf(geometry) });
    grids.set(row.code, { name: row.name, path: row.path, parent: row.parent_code });
  }
  const units = new Map(ancestors.map((u) => [u.code, { code: u.code, name: u.name, level: u.level }]));
  return new GridLocator(GridIndex.build(shapes), grids, units);
}

// Loads can overlap (two imports committing close together): only a newer load may replace the index.
const installed = new WeakMap<Map<string, unknown>, number>();
let loads = 0;

/**
 * Boot step (and post-import refresh): reads every grid with its shape and the units above it,
 * builds the locator and stores it in `app.services` under GRID_INDEX.
 */
export async function loadGridIndex(app: AppContext): Promise<void> {
  const generation = ++loads;
  const db = app.store.db;
  const rows = await gridRepository.listShapes(db, '/');
  const codes = [...new Set(rows.flatMap((r) => r.path.split('/').filter((c) => c && c !== r.code)))];
  const ancestors: ChainLink[] = [];
  for (let i = 0; i < codes.length; i += 500) ancestors.push(...(await orgRepository.findManyByCode(db, codes.slice(i, i + 500))));
  const locator = buildGridLocator(rows, ancestors);
  if ((installed.get(app.services) ?? 0) > generation) return;
  installed.set(app.services, generation);
  app.services.set(GRID_INDEX, locator);
  await refreshOutlines(app, rows);
}

const EMPTY = buildGridLocator([], []);

/** The app's grid locator; an empty one (everything outside) until loadGridIndex has run. */
export function getGridLocator(app: AppContext): GridLocator {
  const locator = app.services.get(GRID_INDEX);
  return locator instanceof GridLocator ? locator : EMPTY;
}

/** Throws invalid_coordinates naming the field unless lon/lat are finite and in range. */
export function checkCoordinates(lon: number, lat: number): void {
  if (typeof lon !== 'number' || !Number.isFinite(lon) || lon < -180 || lon > 180) {
    throw new AppError('invalid_coordinates', 'lon must be a number between -180 and 180', { field: 'lon' });
  }
  if (typeof lat !== 'number' || !Number.isFinite(lat) || lat < -90 || lat > 90) {
    throw new AppError('invalid_coordinates', 'lat must be a number between -90 and 90', { field: 'lat' });
  }
}

/**
 * Locates a WGS84 point in memory: the grid containing it (shared edges: smallest code wins),
 * else the nearest grid within `config.locateSnapMetres` (with `snappedMetres`), else outside.
 * The chain runs city → district → street → community → grid. Throws invalid_coordinates.
 */
export function locatePoint(app: AppContext, lon: number, lat: number): LocateResult {
  checkCoordinates(lon, lat);
  return getGridLocator(app).locate(lon, lat, app.config.locateSnapMetres);
}
