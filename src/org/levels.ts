import type { OrgLevel } from '../db/tables.js';
import type { Config } from '../config.js';
import { AppError } from '../errors.js';

export const LEVELS: OrgLevel[] = ['city', 'district', 'street', 'community', 'grid'];

/** The level a child of `level` has, or null for a grid. */
export function childLevel(level: OrgLevel): OrgLevel | null {
  const i = LEVELS.indexOf(level);
  return i < LEVELS.length - 1 ? LEVELS[i + 1] : null;
}

/**
 * Checks that `code` has the shape of its level under the configured code layout
 * (default 6 + 3 + 3 + 3: GB/T 2260 district, street, community, grid serial) and starts with its
 * parent's code where the layout nests. Throws validation_failed naming the problem.
 */
export function validateOrgCode(layout: Config['gridCode'], level: OrgLevel, code: string, parentCode: string | null): void {
  const widths: Record<OrgLevel, number> = {
    city: layout.district,
    district: layout.district,
    street: layout.district + layout.street,
    community: layout.district + layout.street + layout.community,
    grid: layout.district + layout.street + layout.community + layout.serial,
  };
  const width = widths[level];
  if (!new RegExp(`^\\d{${width}}$`).test(code)) {
    throw new AppError('validation_failed', `${level} code "${code}" must be ${width} digits`, { field: 'code', level, width });
  }
  if (parentCode && level !== 'district' && level !== 'city' && !code.startsWith(parentCode)) {
    throw new AppError('validation_failed', `${level} code "${code}" must start with its parent's code "${parentCode}"`, { field: 'code', parentCode });
  }
}
