import { noteRawWrite } from '../db/write-watch.js';
import { CompiledQuery, sql, type Insertable, type Selectable, type SelectQueryBuilder, type Updateable } from 'kysely';
import type { Db } from '../db/database.js';
import type { DialectHelper } from '../db/dialect.js';
import { likeContains, subtreeRange } from '../db/dialect.js';
import type { CaseEventTable, CaseTable, Database } from '../db/tables.js';
import { eventHash, GENESIS } from './case.audit.js';
import { runShaped } from '../db/query-shapes.js';
import { whereCaseInScope, type CaseScope } from './case.scope.js';

export type CaseRow = Selectable<CaseTable>;

/**
 * The columns a list row needs (presentCaseSummary and every list order): about half of a case
 * row. Reading a row into a JavaScript object costs per column, and was most of a list page's
 * time with `select *`.
 */
export const SUMMARY_COLUMNS = [
  'id', 'number', 'workflow', 'status', 'version', 'category_code', 'class_code', 'channel', 'description', 'address', 'lon', 'lat',
  'grid_code', 'community_code', 'street_code', 'district_code', 'department_id', 'priority', 'deadline', 'stage', 'stage_deadline',
  'light', 'supervised', 'private', 'escalation_level', 'parent_case_id', 'rework_count', 'reporter_name', 'reporter_phone',
  'reporter_id_number', 'created_at', 'updated_at', 'closed_at',
] as const satisfies readonly (keyof CaseRow)[];
export type CaseSummaryRow = Pick<CaseRow, (typeof SUMMARY_COLUMNS)[number]>;
export type CaseEventRow = Selectable<CaseEventTable>;
/** A timeline event as a writer gives it: seq and hash are the repository's to assign. */
export type NewEvent = Omit<Insertable<CaseEventTable>, 'seq' | 'hash' | 'id'>;

/** Texts of combined statements by the texts of their parts (a trie: the parts' strings are hashed once). */
const combined = new Map<string, unknown>();
let combinedCount = 0;

/**
 * `with w0 as (parts[0]), w1 as (parts[1]), … select * from w0`, every $n of a part moved past the
 * parameters of the parts before it. Kept per shape: the same parts give the same text.
 */
function combinedWith(parts: readonly string[]): string {
  let node = combined;
  for (const part of parts) {
    let next = node.get(part) as Map<string, unknown> | undefined;
    if (!next) node.set(part, (next = new Map()));
    node = next;
  }
  const known = node.get('') as string | undefined;
  if (known) return known;
  let offset = 0;
  const ctes = parts.map((part, i) => {
    const before = offset;
    const text = part.replace(/\$(\d+)/g, (_, n: string) => {
      offset = Math.max(offset, before + Number(n));
      return `$${Number(n) + before}`;
    });
    return `w${i} as (${text})`;
  });
  const text = `with ${ctes.join(', ')} select * from w0`;
  if (++combinedCount > 2_000) {
    combined.clear();
    combinedCount = 0;
  }
  node.set('', text);
  return text;
}

/** The first event of a case as stored: seq 1, chained to the genesis hash. */
function firstEventRow(event: NewEvent) {
  const row = { ...event, seq: 1, from_status: event.from_status ?? null, to_status: event.to_status ?? null, note: event.note ?? null, note_public: event.note_public ?? 0, data: event.data ?? '{}' };
  return { ...row, hash: eventHash(GENESIS, row) };
}

export type { CaseScope } from './case.scope.js';

/** A list order: one sortable column of cases, ties broken by id in the same direction. */
export interface CaseOrder {
  column: 'created_at' | 'updated_at' | 'deadline' | 'stage_deadline' | 'number' | 'priority';
  descending: boolean;
}

export interface CaseFilter {
  /** The search hash of a reporter phone (privacy/reporter.ts `phoneHash`). */
  reporterPhoneHash?: string;
  status?: string[];
  /** Only disputes whose risk level is one of these. */
  riskLevel?: string[];
  org?: string;
  orgPath?: string;
  categoryCode?: string;
  classCode?: string;
  supervised?: boolean;
  channel?: string;
  light?: string[];
  overdue?: boolean;
  from?: string;
  to?: string;
  text?: string;
  /**
   * SQLite: the cases_fts match expression that narrows `text` by index (`textIndexMatch`), false
   * when the index says nothing can match; absent: LIKE alone decides.
   */
  textMatch?: string | false;
  /**
   * SQLite, with textMatch: how many cases the index lets through at most and how many cases
   * there are. A page reads every case the index lets through before sorting them; when that is
   * more than walking the list order and testing LIKE on each row until the page is full
   * (candidates² > rows needed × cases, for evenly spread matches), the page walks instead.
   */
  textMatchSize?: { candidates: number; cases: number };
  ids?: number[];
  /** Only cases this user reported ("my reports"). */
  reporterUserId?: number;
  updatedAfter?: string;
  updatedBefore?: string;
  bbox?: [number, number, number, number];
  nowIso?: string;
}

/** List orders whose column may be null (those sort last). */
const NULLABLE_ORDER = new Set<CaseOrder['column']>(['deadline', 'stage_deadline']);

/** Cases, their timeline, numbers and notifications. All case SQL lives here. */
export const caseRepository = {
  async insert(db: Db, row: Insertable<CaseTable>): Promise<number> {
    const { id } = await db.insertInto('cases').values(row).returning('id').executeTakeFirstOrThrow();
    return id;
  },

  /** One case inside the scope, or undefined (also when it exists outside the scope). */
  async findInScope(db: Db, id: number, scope: CaseScope): Promise<CaseRow | undefined> {
    // Every case page reads one: the query is compiled once per scope.
    const [row] = await runShaped(db, `cases.findInScope ${JSON.stringify(scope)}`, [id], ([caseId]) => whereCaseInScope(db.selectFrom('cases').selectAll(), scope).where('id', '=', caseId as never));
    return row;
  },

  findById(db: Db, id: number): Promise<CaseRow | undefined> {
    return db.selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirst();
  },

  /** A case by its public number (the citizen's tracking number), in no scope: callers check ownership. */
  findByNumber(db: Db, number: string): Promise<CaseRow | undefined> {
    return db.selectFrom('cases').selectAll().where('number', '=', number).executeTakeFirst();
  },

  findByIdempotencyKey(db: Db, key: string): Promise<CaseRow | undefined> {
    return db.selectFrom('cases').selectAll().where('idempotency_key', '=', key).executeTakeFirst();
  },

  /** Updates a case only if it is still at `version`; returns whether it was. */
  async updateAtVersion(db: Db, id: number, version: number, patch: Updateable<CaseTable>): Promise<boolean> {
    const result = await db.updateTable('cases').set({ ...patch, version: version + 1 }).where('id', '=', id).where('version', '=', version).executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  },

  /** Marks a case as updated (no version change): a related record was added to it. */
  touch(db: Db, id: number, at: string) {
    return db.updateTable('cases').set({ updated_at: at }).where('id', '=', id).execute();
  },

  /** Moves a case's next light check without changing its version (nothing a user sees changed). */
  async rescheduleAtVersion(db: Db, id: number, version: number, nextLightAt: string | null): Promise<boolean> {
    const result = await db.updateTable('cases').set({ next_light_at: nextLightAt }).where('id', '=', id).where('version', '=', version).executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  },

  /** A page of the list at an offset with the exact count of matching cases. */
  async list(db: Db, dialect: DialectHelper, scope: CaseScope, filter: CaseFilter, page: { limit: number; offset: number }, order: CaseOrder = { column: 'created_at', descending: true }) {
    const [items, total] = await Promise.all([this.listPage(db, dialect, scope, filter, page, order), this.count(db, dialect, scope, filter)]);
    return { items, total };
  },

  /**
   * One page of the list in `order` (missing values last, ties by id in the same direction):
   * after a keyset position (`after`: the last row of the previous page) or at an offset. The
   * page's ids are found first and only their rows read (a sort then moves ids, not whole rows).
   */
  listPage(db: Db, dialect: DialectHelper, scope: CaseScope, filter: CaseFilter, page: { limit: number; offset: number; after?: { value: string | number | null; id: number } }, order: CaseOrder = { column: 'created_at', descending: true }): Promise<CaseSummaryRow[]> {
    const after = page.after;
    const size = filter.textMatchSize;
    const walk = size !== undefined && size.candidates ** 2 > ((after ? 0 : page.offset) + page.limit) * size.cases;
    let q = applyFilter(whereCaseInScope(db.selectFrom('cases'), scope), dialect, walk ? { ...filter, textMatch: undefined } : filter);
    const direction = order.descending ? 'desc' : 'asc';
    if (after) {
      const beyond = order.descending ? '<' : '>';
      const col = order.column;
      q = after.value === null
        ? q.where(col, 'is', null).where('id', beyond, after.id)
        : !NULLABLE_ORDER.has(col)
          ? q.where((eb) => eb.or([eb(col, beyond, after.value as never), eb.and([eb(col, '=', after.value as never), eb('id', beyond, after.id)])]))
          : q.where((eb) => eb.or([
            eb.and([eb(col, 'is not', null), eb.or([eb(col, beyond, after.value as never), eb.and([eb(col, '=', after.value as never), eb('id', beyond, after.id)])])]),
            eb(col, 'is', null),
          ]));
    }
    // Missing deadlines sort last on both stores (SQLite and PostgreSQL disagree on NULLs by default).
    // Columns that are never null skip that term, so the order can come from an index.
    const ordered = <Q extends CaseQuery>(qb: Q): Q => {
      const nullsLast = NULLABLE_ORDER.has(order.column) ? qb.orderBy(sql`${sql.ref(order.column)} is null`) : qb;
      return nullsLast.orderBy(order.column, direction).orderBy('id', direction) as Q;
    };
    const ids = ordered(q).select('cases.id').limit(page.limit);
    return ordered(db.selectFrom('cases').select(SUMMARY_COLUMNS).where('id', 'in', after ? ids : ids.offset(page.offset))).execute();
  },

  /**
   * How many cases match, counted exactly up to `cap`; beyond it an estimate (`exact: false`):
   * the cap scaled by how much of the matching cases' time span the first `cap` (newest) cover.
   * Counting a million rows per page view was most of the list's cost at scale.
   */
  async countUpTo(db: Db, dialect: DialectHelper, scope: CaseScope, filter: CaseFilter, cap: number): Promise<{ total: number; exact: boolean }> {
    const base = () => applyFilter(whereCaseInScope(db.selectFrom('cases'), scope), dialect, filter);
    const capped = await db.selectFrom(base().select(sql<number>`1`.as('one')).limit(cap + 1).as('m')).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const n = Number(capped.n);
    if (n <= cap) return { total: n, exact: true };
    // Each an index walk along created_at that stops at its first matching row.
    const at = async (direction: 'asc' | 'desc', offset: number) => Date.parse(String((await base().select('created_at').orderBy('created_at', direction).limit(1).offset(offset).executeTakeFirst())?.created_at));
    const newest = await at('desc', 0);
    const edge = await at('desc', cap - 1);
    const oldest = await at('asc', 0);
    const covered = newest - edge;
    const estimate = covered > 0 ? Math.round((cap * (newest - oldest)) / covered) : cap + 1;
    return { total: Math.max(cap + 1, estimate), exact: false };
  },

  /**
   * SQLite: how the FTS5 trigram index (migration 2026-11-30T0102) narrows a text search. Three or
   * more characters are a phrase of trigrams. One or two characters (井盖) start some indexed
   * trigram (fields are stored between spaces): the index's terms that begin with them, OR-ed;
   * more than `maxTerms` such terms and LIKE alone is cheaper. false: nothing can match.
   * PostgreSQL: undefined (ILIKE is served by pg_trgm indexes there).
   */
  async textIndexMatch(db: Db, dialect: DialectHelper, text: string, maxTerms = 200): Promise<string | false | undefined> {
    return (await this.textIndexPlan(db, dialect, text, maxTerms)).match;
  },

  /**
   * textIndexMatch with how many cases it lets through at most (the index's document counts: the
   * sum over a short word's terms, the rarest trigram of a longer one) and how many cases there
   * are, for CaseFilter.textMatchSize. The counts only choose a plan; the answer stays exact.
   */
  async textIndexPlan(db: Db, dialect: DialectHelper, text: string, maxTerms = 200): Promise<{ match: string | false | undefined; size?: { candidates: number; cases: number } }> {
    if (dialect.name !== 'sqlite') return { match: undefined };
    const folded = text.toLowerCase();
    const quote = (t: string) => `"${t.replace(/"/g, '""')}"`;
    const chars = [...folded];
    let match: string;
    let candidates: number;
    if (chars.length >= 3) {
      const grams = [...new Set(chars.slice(2).map((_, i) => chars.slice(i, i + 3).join('')))];
      const { rows } = await sql<{ doc: number }>`select doc from cases_fts_vocab where term in (${sql.join(grams)})`.execute(db);
      match = quote(folded);
      // A trigram the vocabulary lacks (or folds otherwise): the index lets little through.
      candidates = rows.length < grams.length ? 0 : Math.min(...rows.map((r) => Number(r.doc)));
    } else {
      const { rows } = await sql<{ term: string; doc: number }>`select term, doc from cases_fts_vocab where term >= ${folded} and term < ${`${folded}\u{10FFFF}`} limit ${maxTerms + 1}`.execute(db);
      if (rows.length === 0) return { match: false };
      if (rows.length > maxTerms) return { match: undefined };
      match = rows.map((r) => quote(r.term)).join(' OR ');
      candidates = rows.reduce((n, r) => n + Number(r.doc), 0);
    }
    const top = await db.selectFrom('cases').select((eb) => eb.fn.max('id').as('n')).executeTakeFirst();
    return { match, size: { candidates, cases: Number(top?.n ?? 0) } };
  },

  /** How many cases in the scope match the filter. */
  async count(db: Db, dialect: DialectHelper, scope: CaseScope, filter: CaseFilter): Promise<number> {
    const row = await applyFilter(whereCaseInScope(db.selectFrom('cases'), scope), dialect, filter).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  },

  /**
   * One keyset batch of the list, newest first: the `limit` cases after `after` (the last row of
   * the previous batch) in (created_at desc, id desc) order. Exports walk the whole filtered set
   * with it in constant memory, without OFFSET's growing cost or its skips when rows are added.
   */
  listBatch(db: Db, dialect: DialectHelper, scope: CaseScope, filter: CaseFilter, after: { createdAt: string; id: number } | null, limit: number) {
    let q = applyFilter(whereCaseInScope(db.selectFrom('cases'), scope), dialect, filter);
    // The plain `created_at <=` bounds the index range; under the OR alone SQLite scans the
    // created_at index from the newest row, so each batch would pass over every row exported before.
    if (after) q = q.where('created_at', '<=', after.createdAt).where((eb) => eb.or([eb('created_at', '<', after.createdAt), eb('id', '<', after.id)]));
    return q.selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  },

  /** Open cases of the same category (or class) near a point in a time window: duplicate candidates. */
  duplicateCandidates(db: Db, q: { categoryCode: string; since: string; bbox: [number, number, number, number]; excludeId?: number; scope: CaseScope; terminalStates: string[] }) {
    let query = whereCaseInScope(db.selectFrom('cases'), q.scope)
      .selectAll()
      .where('category_code', '=', q.categoryCode)
      .where('created_at', '>=', q.since)
      .where('lon', '>=', q.bbox[0]).where('lon', '<=', q.bbox[2])
      .where('lat', '>=', q.bbox[1]).where('lat', '<=', q.bbox[3]);
    if (q.terminalStates.length) query = query.where('status', 'not in', q.terminalStates);
    if (q.excludeId !== undefined) query = query.where('id', '!=', q.excludeId);
    return query.orderBy('created_at', 'desc').limit(20).execute();
  },

  children(db: Db, parentId: number) {
    return db.selectFrom('cases').selectAll().where('parent_case_id', '=', parentId).execute();
  },

  /** Cases whose light changes at or before `now`, oldest first, at most `limit`. */
  dueForSweep(db: Db, now: string, limit: number) {
    return db.selectFrom('cases').selectAll().where('next_light_at', '<=', now).orderBy('next_light_at').orderBy('id').limit(limit).execute();
  },

  /**
   * Appends an event to a case's timeline, inside the caller's transaction: locks the case row
   * first (a no-op UPDATE: PostgreSQL holds the row lock until commit; SQLite writers are already
   * serialised by BEGIN IMMEDIATE), so two writers cannot both read the same last event; then
   * takes the next seq and chains the event's hash to the previous event's (case.audit.ts).
   * Returns the new event's id and seq.
   */
  async appendEvent(db: Db, event: NewEvent): Promise<{ id: number; seq: number }> {
    await db.updateTable('cases').set((eb) => ({ version: eb.ref('version') })).where('id', '=', event.case_id).execute();
    const last = await db.selectFrom('case_events').select(['seq', 'hash']).where('case_id', '=', event.case_id).orderBy('seq', 'desc').limit(1).executeTakeFirst();
    const row = { ...event, seq: Number(last?.seq ?? 0) + 1, from_status: event.from_status ?? null, to_status: event.to_status ?? null, note: event.note ?? null, note_public: event.note_public ?? 0, data: event.data ?? '{}' };
    const hash = eventHash(last?.hash ?? GENESIS, row);
    const { id } = await db.insertInto('case_events').values({ ...row, hash }).returning('id').executeTakeFirstOrThrow();
    return { id, seq: row.seq };
  },

  /** One keyset batch of every timeline event, in (case_id, seq) order: for the audit check. */
  eventsBatch(db: Db, after: { caseId: number; seq: number } | null, limit: number) {
    let q = db.selectFrom('case_events').selectAll();
    if (after) q = q.where((eb) => eb.or([eb('case_id', '>', after.caseId), eb.and([eb('case_id', '=', after.caseId), eb('seq', '>', after.seq)])]));
    return q.orderBy('case_id').orderBy('seq').limit(limit).execute();
  },

  timeline(db: Db, caseId: number) {
    return db.selectFrom('case_events').selectAll().where('case_id', '=', caseId).orderBy('seq').execute();
  },

  /**
   * SQLite numbering: takes the next serial of a prefix and day in one statement (an upsert
   * returning the new value), inside the intake's transaction (SQLite writers are serialised anyway).
   */
  async allocateSerial(db: Db, prefix: string, day: string): Promise<number> {
    const row = await db
      .insertInto('case_number_counters')
      .values({ prefix, day, last: 1 })
      .onConflict((oc) => oc.columns(['prefix', 'day']).doUpdateSet((eb) => ({ last: eb('case_number_counters.last', '+', 1) })))
      .returning('last')
      .executeTakeFirstOrThrow();
    return Number(row.last);
  },

  /** The highest serial the stored cases use under `stem` (a number without its 6-digit serial), 0 when none. */
  async maxSerialUsed(db: Db, stem: string): Promise<number> {
    const top = await db.selectFrom('cases').select((eb) => eb.fn.max('number').as('n')).where('number', '>=', `${stem}000000`).where('number', '<=', `${stem}999999`).executeTakeFirst();
    const used = top?.n ? Number(String(top.n).slice(stem.length)) : 0;
    return Number.isFinite(used) ? used : 0;
  },

  /** Moves a day's counter up to `used` when it is behind (SQLite numbering). */
  raiseCounter(db: Db, prefix: string, day: string, used: number) {
    return db
      .insertInto('case_number_counters')
      .values({ prefix, day, last: used })
      .onConflict((oc) => oc.columns(['prefix', 'day']).doUpdateSet((eb) => ({ last: sql<number>`case when ${eb.ref('case_number_counters.last')} < ${used} then ${used} else ${eb.ref('case_number_counters.last')} end` })))
      .execute();
  },

  /** PostgreSQL: the next value of the case number sequence (no row lock, never rolled back). */
  async nextSequenceValue(db: Db): Promise<number> {
    const { rows } = await sql<{ v: number }>`select nextval('case_number_seq') as v`.execute(db);
    return Number(rows[0].v);
  },

  /** PostgreSQL: moves the case number sequence so that its next value is above `value` (never back). */
  async pushSequencePast(db: Db, value: number): Promise<void> {
    await sql`select setval('case_number_seq', greatest(${value}::bigint, (select last_value from case_number_seq)))`.execute(db);
  },

  /** The base of a prefix and day: `candidate` if this is the first ask, else the one recorded first. */
  async dayBase(db: Db, prefix: string, day: string, candidate: number): Promise<number> {
    await db.insertInto('case_number_bases').values({ prefix, day, base: candidate }).onConflict((oc) => oc.columns(['prefix', 'day']).doNothing()).execute();
    const row = await db.selectFrom('case_number_bases').select('base').where('prefix', '=', prefix).where('day', '=', day).executeTakeFirstOrThrow();
    return Number(row.base);
  },

  /** Inserts a new case and returns it, or undefined when its number is taken (nothing written). */
  insertUnlessNumberTaken(db: Db, row: Insertable<CaseTable>): Promise<CaseRow | undefined> {
    return db.insertInto('cases').values(row).onConflict((oc) => oc.column('number').doNothing()).returningAll().executeTakeFirst();
  },

  /** The first event of a case created in this transaction: seq 1, chained to the genesis hash, no lock or read needed. */
  async appendFirstEvent(db: Db, event: NewEvent): Promise<{ id: number; seq: number }> {
    const { id } = await db.insertInto('case_events').values(firstEventRow(event)).returning('id').executeTakeFirstOrThrow();
    return { id, seq: 1 };
  },

  /**
   * PostgreSQL: a new case (its id and number taken beforehand), its first event and `alongside`
   * (statements that read nothing back, e.g. its counters, from capturePostgresWrites) as one
   * statement, a data-modifying WITH: one round trip and no BEGIN/COMMIT, atomic as any statement.
   * Throws the driver's error when anything fails (a taken number: 23505 on `number`).
   */
  async insertCaseAtOnce(db: Db, row: Insertable<CaseTable> & { id: number }, event: NewEvent, alongside: readonly CompiledQuery[]): Promise<CaseRow> {
    const parts = [db.insertInto('cases').values(row).returningAll().compile(), db.insertInto('case_events').values(firstEventRow(event)).compile(), ...alongside];
    const params = parts.flatMap((p) => p.parameters);
    const { rows } = await db.executeQuery<CaseRow>(CompiledQuery.raw(combinedWith(parts.map((p) => p.sql)), params));
    if (rows.length !== 1) throw new Error(`case ${row.number}: the combined insert returned ${rows.length} rows`);
    noteRawWrite(db, ['cases', 'case_events']);
    return rows[0];
  },

  /** PostgreSQL: the next case number sequence value and the next case id, in one round trip. */
  async nextSerialValueAndCaseId(db: Db): Promise<{ value: number; caseId: number }> {
    const { rows } = await sql<{ v: number; id: number }>`select nextval('case_number_seq') as v, nextval(pg_get_serial_sequence('cases', 'id')) as id`.execute(db);
    return { value: Number(rows[0].v), caseId: Number(rows[0].id) };
  },

  insertNotification(db: Db, row: { case_id: number; org_code: string; role: string; kind: string; message: string; created_at: string }) {
    return db.insertInto('notifications').values(row).execute();
  },

  listNotifications(db: Db, orgPath: string, limit: number) {
    const range = subtreeRange(orgPath);
    return db
      .selectFrom('notifications')
      .innerJoin('org_units', 'org_units.code', 'notifications.org_code')
      .where('org_units.path', '>=', range.from)
      .where('org_units.path', '<', range.to)
      .select(['notifications.id', 'notifications.case_id', 'notifications.org_code', 'notifications.role', 'notifications.kind', 'notifications.message', 'notifications.created_at', 'notifications.read_at'])
      .orderBy('notifications.id', 'desc')
      .limit(limit)
      .execute();
  },
};

// Any select over cases, whatever it selects: the filters below only add WHERE clauses.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the selection type is irrelevant to a WHERE
type CaseQuery = SelectQueryBuilder<Database, 'cases', any>;

function applyFilter<Q extends CaseQuery>(q: Q, dialect: DialectHelper, f: CaseFilter): Q {
  let out = q;
  if (f.ids?.length) out = out.where('id', 'in', f.ids) as Q;
  if (f.status?.length) out = out.where('status', 'in', f.status) as Q;
  if (f.reporterUserId !== undefined) out = out.where('reporter_user_id', '=', f.reporterUserId) as Q;
  if (f.reporterPhoneHash) out = out.where('reporter_phone_hash', '=', f.reporterPhoneHash) as Q;
  // The `org` filter narrows within the scope already applied; it reuses the subtree rule only.
  if (f.orgPath) out = whereCaseInScope(out, { orgPath: f.orgPath, includePrivate: true });
  if (f.categoryCode) out = out.where('category_code', '=', f.categoryCode) as Q;
  if (f.classCode) out = out.where('class_code', '=', f.classCode) as Q;
  if (f.supervised !== undefined) out = out.where('supervised', '=', f.supervised ? 1 : 0) as Q;
  if (f.channel) out = out.where('channel', '=', f.channel) as Q;
  if (f.light?.length) out = out.where('light', 'in', f.light) as Q;
  if (f.riskLevel?.length) out = out.where('cases.id', 'in', (eb) => eb.selectFrom('disputes').select('disputes.case_id').where('disputes.risk_level', 'in', f.riskLevel ?? [])) as Q;
  if (f.overdue !== undefined) out = (f.overdue ? out.where('light', 'in', ['red', 'severe']) : out.where('light', 'not in', ['red', 'severe'])) as Q;
  if (f.from) out = out.where('created_at', '>=', f.from) as Q;
  if (f.to) out = out.where('created_at', '<', f.to) as Q;
  if (f.updatedAfter) out = out.where('updated_at', '>', f.updatedAfter) as Q;
  if (f.updatedBefore) out = out.where('updated_at', '<', f.updatedBefore) as Q;
  if (f.bbox) out = out.where('lon', '>=', f.bbox[0]).where('lat', '>=', f.bbox[1]).where('lon', '<=', f.bbox[2]).where('lat', '<=', f.bbox[3]) as Q;
  if (f.textMatch === false) out = out.where(sql<boolean>`1 = 0`) as Q;
  else if (f.textMatch) out = out.where(sql<boolean>`cases.id in (select rowid from cases_fts where cases_fts match ${f.textMatch})`) as Q;
  if (f.text) {
    // Exact in every case: the index only narrows the rows LIKE looks at.
    const pattern = likeContains(f.text);
    out = out.where((eb) => eb.or([dialect.ilike(eb.ref('description'), pattern) as never, dialect.ilike(eb.ref('number'), pattern) as never, dialect.ilike(eb.ref('address'), pattern) as never])) as Q;
  }
  return out;
}

/** A case's attributes (set at intake), for guarded workflow transitions. Unreadable text reads as none. */
export function caseAttributes(row: { attributes: string }): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(row.attributes);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
