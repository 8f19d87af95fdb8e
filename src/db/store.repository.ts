import type { Db } from './database.js';

/** Queries about the store itself rather than a domain. */
export const storeRepository = {
  /** A cheap read that fails when the store does not answer (the health check). */
  async ping(db: Db): Promise<void> {
    await db.selectFrom('org_units').select('code').limit(1).execute();
  },
};
