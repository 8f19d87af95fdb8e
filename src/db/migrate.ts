import { Migrator, type MigrationProvider } from 'kysely';
import type { Db } from './database.js';
import { migrations } from './migrations/index.js';

// A static list rather than a folder scan: works the same under tsx, vitest and any bundler.
const provider: MigrationProvider = { getMigrations: async () => migrations };

// Unordered: work lands from parallel branches, so a store migrated at one commit may later meet a
// migration whose name sorts before its newest applied one. Each migration touches its own tables,
// so running the missing ones in name order is safe; Kysely's default would refuse to start.

/** Applies every pending migration in name order. Throws with the failing migration's name. */
export async function migrateToLatest(db: Db): Promise<string[]> {
  const migrator = new Migrator({ db, provider, allowUnorderedMigrations: true });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error) {
    throw new Error(`migration ${failed?.migrationName ?? '(unknown)'} failed: ${String((error as Error).message ?? error)}`, { cause: error });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
