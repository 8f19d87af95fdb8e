import type { AppContext, Ctx } from '../context.js';
import { inTransaction } from '../context.js';
import { AppError } from '../errors.js';
import { catalogueRepository } from '../catalogue/catalogue.repository.js';
import { SERVICE_DEFAULTS } from './open311.defaults.js';
import { parseQuestions, validateQuestions, type Question } from './open311.questions.js';
import { open311Repository } from './open311.repository.js';
import type { ServiceType } from './open311.services.js';

/** A category's Open311 settings as the admin API shows them. */
export interface ServiceSettings {
  categoryId: number;
  code: string;
  type: ServiceType;
  serviceNotice: string | null;
  questions: Question[];
}

async function categoryOrThrow(ctx: Ctx, categoryId: number) {
  const category = await catalogueRepository.findCategoryById(ctx.db, categoryId);
  if (!category) throw new AppError('category_not_found', `category ${categoryId} does not exist`);
  return category;
}

/** A category's Open311 type, notice and questions. Throws category_not_found. */
export async function getServiceSettings(ctx: Ctx, categoryId: number): Promise<ServiceSettings> {
  const category = await categoryOrThrow(ctx, categoryId);
  const settings = await open311Repository.findSettings(ctx.db, categoryId);
  return { categoryId, code: category.code, type: settings?.type ?? 'realtime', serviceNotice: settings?.service_notice ?? null, questions: parseQuestions(category.questions) };
}

/**
 * Replaces a category's questions (its service definition). Questions are validated as a whole
 * (shape, list options, unique codes and orders). Throws category_not_found, validation_failed.
 */
export async function setServiceQuestions(ctx: Ctx, categoryId: number, questions: Question[]): Promise<ServiceSettings> {
  await categoryOrThrow(ctx, categoryId);
  const normalised = validateQuestions(questions);
  await inTransaction(ctx, async (trx) => {
    await open311Repository.setQuestions(trx.db, categoryId, JSON.stringify(normalised), trx.now.toISOString());
    // A settings row marks the category as configured, so the boot seed leaves it alone.
    await open311Repository.insertSettingsIfMissing(trx.db, { category_id: categoryId, type: 'realtime', service_notice: null, updated_at: trx.now.toISOString() });
  });
  return getServiceSettings(ctx, categoryId);
}

/** Sets a category's service type and notice. Throws category_not_found. */
export async function setServiceType(ctx: Ctx, categoryId: number, input: { type: ServiceType; serviceNotice?: string | null }): Promise<ServiceSettings> {
  await categoryOrThrow(ctx, categoryId);
  await open311Repository.upsertSettings(ctx.db, { category_id: categoryId, type: input.type, service_notice: input.serviceNotice?.trim() || null, updated_at: ctx.now.toISOString() });
  return getServiceSettings(ctx, categoryId);
}

/**
 * Boot step: applies the shipped defaults (sensor alarms as batch services, demo questions) to
 * categories that have no Open311 settings yet. Idempotent; never overwrites a city's edits.
 */
export async function seedOpen311Defaults(app: AppContext): Promise<void> {
  const db = app.store.db;
  const now = app.clock().toISOString();
  for (const d of SERVICE_DEFAULTS) {
    for (const category of await open311Repository.categoryIdsByCode(db, d.code)) {
      const inserted = await open311Repository.insertSettingsIfMissing(db, { category_id: category.id, type: d.type, service_notice: d.notice ?? null, updated_at: now });
      if (inserted && d.questions && parseQuestions(category.questions).length === 0) {
        await open311Repository.setQuestions(db, category.id, JSON.stringify(validateQuestions(d.questions)), now);
      }
    }
  }
}
