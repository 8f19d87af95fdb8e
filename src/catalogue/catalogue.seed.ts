import { readFileSync } from 'node:fs';
import type { AppContext } from '../context.js';
import { HANDLE_LIMITS, LOCAL_CATEGORIES, URGENT_CODES } from './data/defaults.js';
import { HAZARD_DEFAULT_LIMITS, HOTLINE_DEFAULT_LIMITS, MEDIATION_DEFAULT_LIMITS, PETITION_DEFAULT_LIMITS, URBAN_DEFAULT_LIMITS } from './time-limits.js';
import { catalogueRepository, type NewCategory } from './catalogue.repository.js';

export const GBT_47678_5 = 'GB/T 47678.5-2026';
export const LOCAL_STANDARD = 'local';

/** The shipped GB/T 47678.5-2026 catalogue: 153 管理部件 + 250 管理事项, 5-digit codes. */
export function readStandardCatalogue(): { kind: 'component' | 'matter'; code: string; classCode: string; className: string; name: string }[] {
  const text = readFileSync(new URL('./data/gbt47678-5-2026.csv', import.meta.url), 'utf8');
  return text
    .trim()
    .split(/\r?\n/)
    .slice(1)
    .map((line) => {
      const [kind, code, classCode, className, name] = line.split(',');
      if ((kind !== 'component' && kind !== 'matter') || !/^\d{5}$/.test(code) || !name) throw new Error(`bad catalogue line: ${line}`);
      return { kind, code, classCode, className, name };
    });
}

/** Every category the platform ships: the standard catalogue plus the local extensions. */
export function shippedCategories(now: string): NewCategory[] {
  const standard = readStandardCatalogue().map((c): NewCategory => ({
    code: c.code,
    kind: c.kind,
    standard: GBT_47678_5,
    class_code: c.classCode,
    class_name: c.className,
    name: c.name,
    legacy_code: null,
    workflow: 'urban',
    department_code: null,
    priority: URGENT_CODES.has(c.code) ? 1 : 3,
    time_limits: JSON.stringify({ ...URBAN_DEFAULT_LIMITS, handle: HANDLE_LIMITS[c.code] ?? URBAN_DEFAULT_LIMITS.handle }),
    keywords: c.className.replace(/类$/, ''),
    updated_at: now,
  }));
  const local = LOCAL_CATEGORIES.map((c): NewCategory => ({
    code: c.code,
    kind: 'local',
    standard: LOCAL_STANDARD,
    class_code: c.classCode,
    class_name: c.className,
    name: c.name,
    legacy_code: null,
    workflow: c.workflow,
    department_code: null,
    priority: c.priority,
    time_limits: JSON.stringify(localLimits(c)),
    keywords: c.keywords,
    updated_at: now,
  }));
  return [...standard, ...local];
}

function localLimits(c: (typeof LOCAL_CATEGORIES)[number]) {
  if (c.workflow === 'mediation') return MEDIATION_DEFAULT_LIMITS;
  if (c.workflow === 'petition') return PETITION_DEFAULT_LIMITS;
  if (c.workflow === 'hazard') return { ...HAZARD_DEFAULT_LIMITS, handle: c.handle };
  return { ...(c.workflow === 'hotline' ? HOTLINE_DEFAULT_LIMITS : URBAN_DEFAULT_LIMITS), handle: c.handle };
}

/** Boot step: inserts shipped categories that are missing; never overwrites a city's edits. */
export async function seedCatalogue(app: AppContext): Promise<void> {
  await catalogueRepository.insertMissingCategories(app.store.db, shippedCategories(app.clock().toISOString()));
}
