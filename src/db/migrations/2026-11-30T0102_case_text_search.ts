import { PostgresAdapter, sql, type Kysely } from 'kysely';

// Frozen in time: must not import application code. Text search of the case list (`q=`) from an
// index instead of LIKE '%…%' over every row.
//
// SQLite: an FTS5 table with the trigram tokenizer over number, description and address, kept by
// triggers (so every writer keeps it, bulk generators included). It is contentless (the text lives
// in cases) with contentless_delete so a row can be replaced. Each field is written between spaces,
// so every occurrence of a one- or two-character word (井盖) is the start of some trigram: the
// search finds those through cases_fts_vocab (the index's terms, in order) and matches any of them.
//
// PostgreSQL: pg_trgm GIN indexes on the three columns serve ILIKE '%…%'. When the extension cannot
// be created (not installed, no right), the migration goes on without them and search scans.

const BODY = (row: string) => sql.raw(`' ' || ${row}.number || ' ' || ${row}.description || ' ' || coalesce(${row}.address, '') || ' '`);

export async function up(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    if (await createExtension(db)) {
      for (const column of ['number', 'description', 'address']) {
        await sql`create index ${sql.raw(`cases_${column}_trgm_idx`)} on cases using gin (${sql.ref(column)} gin_trgm_ops)`.execute(db);
      }
    }
    return;
  }
  await sql`create virtual table cases_fts using fts5(body, tokenize = 'trigram', content = '', contentless_delete = 1)`.execute(db);
  await sql`create virtual table cases_fts_vocab using fts5vocab(cases_fts, 'row')`.execute(db);
  await sql`insert into cases_fts (rowid, body) select id, ${BODY('cases')} from cases`.execute(db);
  await sql`create trigger cases_fts_insert after insert on cases begin insert into cases_fts (rowid, body) values (new.id, ${BODY('new')}); end`.execute(db);
  await sql`create trigger cases_fts_update after update of number, description, address on cases begin delete from cases_fts where rowid = old.id; insert into cases_fts (rowid, body) values (new.id, ${BODY('new')}); end`.execute(db);
  await sql`create trigger cases_fts_delete after delete on cases begin delete from cases_fts where rowid = old.id; end`.execute(db);
}

/** Creates pg_trgm if it can; inside the migration's transaction a failure must not abort it. */
async function createExtension(db: Kysely<any>): Promise<boolean> {
  const inTransaction = db.isTransaction;
  if (inTransaction) await sql`savepoint gridloop_pg_trgm`.execute(db);
  try {
    await sql`create extension if not exists pg_trgm`.execute(db);
    if (inTransaction) await sql`release savepoint gridloop_pg_trgm`.execute(db);
    return true;
  } catch (err) {
    if (inTransaction) await sql`rollback to savepoint gridloop_pg_trgm`.execute(db);
    console.warn(`pg_trgm is not available (${(err as Error).message}): case text search scans without an index`);
    return false;
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    for (const column of ['number', 'description', 'address']) await sql`drop index if exists ${sql.raw(`cases_${column}_trgm_idx`)}`.execute(db);
    return;
  }
  for (const t of ['cases_fts_insert', 'cases_fts_update', 'cases_fts_delete']) await sql`drop trigger if exists ${sql.raw(t)}`.execute(db);
  await sql`drop table if exists cases_fts_vocab`.execute(db);
  await sql`drop table if exists cases_fts`.execute(db);
}
