import type { Db } from '../db/database.js';

/** Users, sessions and API keys. All SQL of the auth area lives here. */
export const authRepository = {
  findUserByUsername(db: Db, username: string) {
    return db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
  },

  findUserById(db: Db, id: number) {
    return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  },

  async insertUser(db: Db, row: { username: string; password_hash: string; display_name: string; role: string; org_code: string; department_id: number | null; phone: string | null; created_at: string }) {
    const { id } = await db.insertInto('users').values({ ...row, disabled: 0 }).returning('id').executeTakeFirstOrThrow();
    return id;
  },

  /** Users under an org path (the caller's scope), newest first. */
  async listUsers(db: Db, scope: { from: string; to: string }, page: { limit: number; offset: number }) {
    const base = db
      .selectFrom('users')
      .innerJoin('org_units', 'org_units.code', 'users.org_code')
      .where('org_units.path', '>=', scope.from)
      .where('org_units.path', '<', scope.to);
    const [items, count] = await Promise.all([
      base.select(['users.id', 'users.username', 'users.display_name', 'users.role', 'users.org_code', 'users.department_id', 'users.phone', 'users.disabled']).orderBy('users.id').limit(page.limit).offset(page.offset).execute(),
      base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items, total: Number(count.n) };
  },

  insertSession(db: Db, row: { token_hash: string; user_id: number; created_at: string; expires_at: string }) {
    return db.insertInto('sessions').values(row).execute();
  },

  findSession(db: Db, tokenHash: string) {
    return db.selectFrom('sessions').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
  },

  deleteSession(db: Db, tokenHash: string) {
    return db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
  },

  deleteExpiredSessions(db: Db, now: string) {
    return db.deleteFrom('sessions').where('expires_at', '<', now).execute();
  },

  async insertApiKey(db: Db, row: { name: string; key_hash: string; prefix: string; role: string; org_code: string; scopes: string; created_at: string }) {
    const { id } = await db.insertInto('api_keys').values(row).returning('id').executeTakeFirstOrThrow();
    return id;
  },

  findApiKey(db: Db, keyHash: string) {
    return db.selectFrom('api_keys').selectAll().where('key_hash', '=', keyHash).where('revoked_at', 'is', null).executeTakeFirst();
  },

  revokeApiKey(db: Db, id: number, at: string, scope: { from: string; to: string }) {
    return db
      .updateTable('api_keys')
      .set({ revoked_at: at })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .where('org_code', 'in', (eb) => eb.selectFrom('org_units').select('code').where('path', '>=', scope.from).where('path', '<', scope.to))
      .executeTakeFirst();
  },

  listApiKeys(db: Db, scope: { from: string; to: string }) {
    return db
      .selectFrom('api_keys')
      .innerJoin('org_units', 'org_units.code', 'api_keys.org_code')
      .where('org_units.path', '>=', scope.from)
      .where('org_units.path', '<', scope.to)
      .select(['api_keys.id', 'api_keys.name', 'api_keys.prefix', 'api_keys.role', 'api_keys.org_code', 'api_keys.scopes', 'api_keys.created_at', 'api_keys.revoked_at'])
      .orderBy('api_keys.id')
      .execute();
  },
};
