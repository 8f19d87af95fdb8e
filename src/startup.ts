import type { AppContext } from './context.js';
import { seedCatalogue } from './catalogue/catalogue.seed.js';

/**
 * Steps run on every boot after migrations, in order: seed reference data that must always be
 * there (catalogue, calendar) and build in-memory indexes (grid locator). Each must be idempotent.
 */
export const bootSteps: ((app: AppContext) => Promise<void>)[] = [
  seedCatalogue,
];
