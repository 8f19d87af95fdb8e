import type { AppContext } from '../context.js';
import type { Db } from '../db/database.js';
import { locatePoint } from '../grids/grid.locate.js';
import type { Jurisdiction } from './open311.jurisdiction.js';
import { open311Repository } from './open311.repository.js';

const LEVEL_RANK: Record<string, number> = { district: 1, street: 2, community: 3 };
// Official community names end in their committee ("和平社区居委会"); addresses say "和平社区".
const COMMITTEE = /(居民委员会|村民委员会|居委会|村委会)$/;

function mentions(address: string, name: string): boolean {
  const short = name.replace(COMMITTEE, '');
  return (name.length >= 2 && address.includes(name)) || (short.length >= 2 && address.includes(short));
}

/**
 * A point for a request that gave only `address_string`: the most specific district, street or
 * community of the jurisdiction whose name the address contains (the longest name wins a tie),
 * then a point inside one of its grids. There is no street-level geocoder, so the point stands for
 * that area, not the building. Returns null when the address names no known area.
 */
export async function locateAddress(app: AppContext, db: Db, jurisdiction: Jurisdiction, address: string): Promise<{ lon: number; lat: number; areaCode: string } | null> {
  const units = (await open311Repository.namedUnits(db, jurisdiction.path)).filter((u) => mentions(address, u.name));
  units.sort((a, b) => (LEVEL_RANK[b.level] ?? 0) - (LEVEL_RANK[a.level] ?? 0) || b.name.length - a.name.length || a.code.localeCompare(b.code));
  for (const unit of units.slice(0, 5)) {
    for (const box of await open311Repository.gridBoxesUnder(db, unit.path, 5)) {
      // A 3 × 3 lattice inside the grid's box: the first point the locator puts in this unit wins.
      for (const fy of [0.5, 0.25, 0.75]) {
        for (const fx of [0.5, 0.25, 0.75]) {
          const lon = box.min_lon + (box.max_lon - box.min_lon) * fx;
          const lat = box.min_lat + (box.max_lat - box.min_lat) * fy;
          const located = locatePoint(app, lon, lat);
          if (located.grid && located.chain.some((link) => link.code === unit.code)) return { lon, lat, areaCode: unit.code };
        }
      }
    }
  }
  return null;
}
