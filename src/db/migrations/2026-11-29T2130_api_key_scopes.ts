import type { Kysely } from 'kysely';

// Frozen in time: must not import application code. API keys get scopes (space-separated names,
// see auth/scopes.ts). Keys that existed before keep what they could do then (Open311, reading
// and writing cases, org units), so running integrations do not break; new keys default to
// the narrowest set, chosen by the application. An empty list grants nothing.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('api_keys').addColumn('scopes', 'text', (c) => c.notNull().defaultTo('')).execute();
  await db.updateTable('api_keys').set({ scopes: 'open311 cases:read cases:write org:read' }).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('api_keys').dropColumn('scopes').execute();
}
