import type { Updateable } from 'kysely';
import { Ajv } from 'ajv';
import { Type } from 'typebox';
import { CategoryIn } from './catalogue.schema.js';
import { inTransaction, type Ctx } from '../context.js';
import type { CategoryTable } from '../db/tables.js';
import { AppError } from '../errors.js';
import { WORKFLOW_IDS } from '../cases/workflow/index.js';
import { validateQuestions, type Question } from '../open311/open311.questions.js';
import { catalogueRepository, type CategoryRow } from './catalogue.repository.js';
import { LOCAL_STANDARD } from './catalogue.seed.js';
import { catalogueChanged, categoryTimeLimits } from './catalogue.service.js';
import { HOTLINE_DEFAULT_LIMITS, URBAN_DEFAULT_LIMITS, parseTimeLimits } from './time-limits.js';

/** Everything a city sets on a category it creates; PATCH takes any subset (plus `active`). */
export interface CategoryInput {
  code: string;
  name: string;
  nameEn?: string | null;
  classCode: string;
  className?: string;
  kind: CategoryRow['kind'];
  workflow: string;
  departmentCode?: string | null;
  priority?: number;
  timeLimits?: unknown;
  duplicateRadiusM?: number;
  duplicateWindowH?: number;
  keywords?: string;
  questions?: Question[];
}

export type CategoryPatchInput = Partial<CategoryInput> & { active?: boolean };

/** A local code: 2–20 letters, digits, "_", "." or "-" (GB codes are five digits and taken). */
const LOCAL_CODE = /^[A-Za-z0-9_.-]{2,20}$/;

async function checkReferences(ctx: Ctx, input: Partial<CategoryInput>): Promise<void> {
  if (input.code !== undefined && !LOCAL_CODE.test(input.code)) throw new AppError('validation_failed', 'code must be 2–20 letters, digits, "_", "." or "-"', { field: 'code' });
  if (input.workflow !== undefined && !WORKFLOW_IDS.includes(input.workflow)) throw new AppError('validation_failed', `workflow must be one of ${WORKFLOW_IDS.join(', ')}`, { field: 'workflow' });
  if (input.departmentCode && !(await catalogueRepository.findDepartmentByCode(ctx.db, input.departmentCode))) {
    throw new AppError('department_not_found', `department ${input.departmentCode} does not exist`, { field: 'departmentCode' });
  }
}

/** The class name of a class code: as given, else the one categories of that class already carry. */
async function classNameFor(ctx: Ctx, classCode: string, given: string | undefined): Promise<string> {
  if (given?.trim()) return given.trim();
  const known = await catalogueRepository.findClassName(ctx.db, classCode);
  if (!known) throw new AppError('validation_failed', `class ${classCode} is new: give its className`, { field: 'className' });
  return known;
}

/**
 * Creates a local category (standard "local") with every operational setting; its code must be
 * new across every standard, so intake, Open311 and legacy mappings resolve it unambiguously.
 * Returns the new row. Throws validation_failed, department_not_found, already_exists.
 */
export async function createCategory(ctx: Ctx, input: CategoryInput): Promise<CategoryRow> {
  await checkReferences(ctx, input);
  const defaults = input.workflow === 'hotline' ? HOTLINE_DEFAULT_LIMITS : URBAN_DEFAULT_LIMITS;
  const limits = { ...defaults, ...(input.timeLimits === undefined ? {} : parseTimeLimits(input.timeLimits)) };
  const questions = validateQuestions(input.questions ?? []);
  const className = await classNameFor(ctx, input.classCode, input.className);
  return inTransaction(ctx, async (trx) => {
    if ((await catalogueRepository.findAnyByCode(trx.db, input.code)).length > 0) {
      throw new AppError('already_exists', `a category with code ${input.code} exists already (retired ones keep their code)`, { field: 'code' });
    }
    const id = await catalogueRepository.insertCategory(trx.db, {
      code: input.code, kind: input.kind, standard: LOCAL_STANDARD, class_code: input.classCode, class_name: className, name: input.name.trim(), name_en: input.nameEn?.trim() || null,
      legacy_code: null, workflow: input.workflow, department_code: input.departmentCode ?? null, priority: input.priority ?? 3, time_limits: JSON.stringify(limits),
      duplicate_radius_m: input.duplicateRadiusM ?? 50, duplicate_window_h: input.duplicateWindowH ?? 24, questions: JSON.stringify(questions), keywords: input.keywords ?? '',
      retired_at: null, updated_at: trx.now.toISOString(),
    });
    await catalogueChanged(trx);
    return (await catalogueRepository.findCategoryById(trx.db, id)) as CategoryRow;
  });
}

/**
 * Edits any setting of a category, names included. `active: false` retires it (hidden from
 * intake and Open311; its cases keep pointing at it), `active: true` brings it back. The code
 * changes only while no case uses it. Throws category_not_found, validation_failed,
 * department_not_found, already_exists, conflict.
 */
export async function editCategory(ctx: Ctx, id: number, patch: CategoryPatchInput): Promise<CategoryRow> {
  await checkReferences(ctx, patch);
  const questions = patch.questions === undefined ? undefined : validateQuestions(patch.questions);
  return inTransaction(ctx, async (trx) => {
    const category = await catalogueRepository.findCategoryById(trx.db, id);
    if (!category) throw new AppError('category_not_found', `category ${id} does not exist`);
    if (patch.code !== undefined && patch.code !== category.code) {
      if (await catalogueRepository.categoryInUse(trx.db, id)) throw new AppError('conflict', `category ${category.code} has cases: its code stays (retire it and create a new one instead)`, { field: 'code' });
      if ((await catalogueRepository.findAnyByCode(trx.db, patch.code)).length > 0) throw new AppError('already_exists', `a category with code ${patch.code} exists already`, { field: 'code' });
    }
    const className = patch.classCode !== undefined && patch.classCode !== category.class_code ? await classNameFor(trx, patch.classCode, patch.className) : patch.className?.trim();
    const limits = patch.timeLimits === undefined ? undefined : JSON.stringify({ ...categoryTimeLimits(category), ...parseTimeLimits(patch.timeLimits) });
    const set: Updateable<CategoryTable> = {
      ...(patch.code !== undefined && { code: patch.code }),
      ...(patch.name !== undefined && { name: patch.name.trim() }),
      ...(patch.nameEn !== undefined && { name_en: patch.nameEn?.trim() || null }),
      ...(patch.classCode !== undefined && { class_code: patch.classCode }),
      ...(className && { class_name: className }),
      ...(patch.kind !== undefined && { kind: patch.kind }),
      ...(patch.workflow !== undefined && { workflow: patch.workflow }),
      ...(patch.departmentCode !== undefined && { department_code: patch.departmentCode }),
      ...(patch.priority !== undefined && { priority: patch.priority }),
      ...(limits !== undefined && { time_limits: limits }),
      ...(patch.duplicateRadiusM !== undefined && { duplicate_radius_m: patch.duplicateRadiusM }),
      ...(patch.duplicateWindowH !== undefined && { duplicate_window_h: patch.duplicateWindowH }),
      ...(patch.keywords !== undefined && { keywords: patch.keywords }),
      ...(questions !== undefined && { questions: JSON.stringify(questions) }),
      ...(patch.active !== undefined && { active: patch.active ? 1 : 0, retired_at: patch.active ? null : category.retired_at ?? trx.now.toISOString() }),
      updated_at: trx.now.toISOString(),
    };
    await catalogueRepository.updateCategory(trx.db, id, set);
    await catalogueChanged(trx);
    return (await catalogueRepository.findCategoryById(trx.db, id)) as CategoryRow;
  });
}

const checkCategoryIn = new Ajv({ allErrors: true, strict: false }).compile(Type.Array(CategoryIn) as object);

/**
 * Creates the local categories of a JSON array (each like a POST /categories body); codes already
 * taken are skipped, so running a file twice changes nothing. Throws validation_failed naming
 * every malformed entry, and what createCategory throws.
 */
export async function importCategoriesFile(ctx: Ctx, value: unknown): Promise<{ created: string[]; existing: string[] }> {
  if (!checkCategoryIn(value)) {
    throw new AppError('validation_failed', `not an array of categories: ${(checkCategoryIn.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`).join('; ')}`, { field: 'file' });
  }
  const created: string[] = [];
  const existing: string[] = [];
  for (const input of value as CategoryInput[]) {
    if ((await catalogueRepository.findAnyByCode(ctx.db, input.code)).length > 0) existing.push(input.code);
    else created.push((await createCategory(ctx, input)).code);
  }
  return { created, existing };
}
