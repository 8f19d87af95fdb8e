import type { Insertable, Selectable, SelectQueryBuilder } from 'kysely';
import type { Db } from '../db/database.js';
import type { DialectHelper } from '../db/dialect.js';
import { likeContains, subtreeRange } from '../db/dialect.js';
import { whereCaseInScope, type CaseScope } from '../cases/case.scope.js';
import type { CaseEventTable, Database, Open311RequestTable, Open311ServiceTable, Open311TokenTable, Open311UpdateTable } from '../db/tables.js';

export type TokenRow = Selectable<Open311TokenTable>;
export type RequestMetaRow = Selectable<Open311RequestTable>;

/** Which cases a reader sees (cases/case.scope.ts). */
export type Open311Scope = CaseScope;

/** GET /requests filters, already parsed; `ids` overrides everything else (the caller decides). */
export interface RequestFilter {
  ids?: number[];
  serviceCodes?: string[];
  states?: { workflow: string; states: string[] }[];
  createdFrom?: string;
  createdTo?: string;
  updatedAfter?: string;
  updatedBefore?: string;
  bbox?: [number, number, number, number];
  text?: string;
}

type CaseQuery = SelectQueryBuilder<Database, 'cases', object>;

function filtered(q: CaseQuery, dialect: DialectHelper, f: RequestFilter): CaseQuery {
  let out = q;
  if (f.ids) out = out.where('cases.id', 'in', f.ids.length ? f.ids : [-1]);
  if (f.serviceCodes?.length) out = out.where('cases.category_code', 'in', f.serviceCodes);
  const states = f.states;
  if (states) {
    out = out.where((eb) => eb.or(states.filter((s) => s.states.length).map((s) => eb.and([eb('cases.workflow', '=', s.workflow), eb('cases.status', 'in', s.states)]))));
  }
  if (f.createdFrom) out = out.where('cases.created_at', '>=', f.createdFrom);
  if (f.createdTo) out = out.where('cases.created_at', '<=', f.createdTo);
  if (f.updatedAfter) out = out.where('cases.updated_at', '>', f.updatedAfter);
  if (f.updatedBefore) out = out.where('cases.updated_at', '<', f.updatedBefore);
  if (f.bbox) {
    const [minLon, minLat, maxLon, maxLat] = f.bbox;
    out = out.where('cases.lon', '>=', minLon).where('cases.lon', '<=', maxLon).where('cases.lat', '>=', minLat).where('cases.lat', '<=', maxLat);
  }
  if (f.text) {
    const pattern = likeContains(f.text);
    out = out.where((eb) => eb.or([dialect.ilike(eb.ref('cases.description'), pattern), dialect.ilike(eb.ref('cases.address'), pattern), dialect.ilike(eb.ref('cases.number'), pattern)]));
  }
  return out;
}

const REQUEST_COLUMNS = [
  'cases.id', 'cases.number', 'cases.workflow', 'cases.status', 'cases.category_code', 'cases.description', 'cases.address',
  'cases.lon', 'cases.lat', 'cases.channel', 'cases.grid_code', 'cases.community_code', 'cases.street_code', 'cases.district_code',
  'cases.parent_case_id', 'cases.deadline', 'cases.attributes', 'cases.created_at', 'cases.updated_at', 'cases.closed_at',
] as const;

/** Every piece of SQL of the Open311 adapter. */
export const open311Repository = {
  /** Top-level org units: each is a jurisdiction. */
  topLevelUnits(db: Db) {
    return db.selectFrom('org_units').select(['code', 'name', 'path']).where('parent_code', 'is', null).orderBy('code').execute();
  },

  /** Active categories with their Open311 settings, by code then kind. */
  serviceRows(db: Db, code?: string) {
    let q = db
      .selectFrom('categories')
      .leftJoin('open311_services', 'open311_services.category_id', 'categories.id')
      .select(['categories.id', 'categories.code', 'categories.kind', 'categories.standard', 'categories.name', 'categories.class_name', 'categories.keywords', 'categories.questions', 'categories.workflow', 'categories.updated_at'])
      .select(['open311_services.type', 'open311_services.service_notice'])
      .where('categories.active', '=', 1);
    if (code !== undefined) q = q.where('categories.code', '=', code);
    return q.orderBy('categories.code').orderBy('categories.kind').execute();
  },

  /** The latest change to any category or Open311 setting (the discovery changeset). */
  async lastCatalogueChange(db: Db): Promise<string | null> {
    const a = await db.selectFrom('categories').select((eb) => eb.fn.max('updated_at').as('m')).executeTakeFirst();
    const b = await db.selectFrom('open311_services').select((eb) => eb.fn.max('updated_at').as('m')).executeTakeFirst();
    const all = [a?.m, b?.m].filter((v): v is string => typeof v === 'string');
    return all.length ? all.sort()[all.length - 1] : null;
  },

  findSettings(db: Db, categoryId: number) {
    return db.selectFrom('open311_services').selectAll().where('category_id', '=', categoryId).executeTakeFirst();
  },

  async upsertSettings(db: Db, row: Insertable<Open311ServiceTable>): Promise<void> {
    await db.insertInto('open311_services').values(row)
      .onConflict((oc) => oc.column('category_id').doUpdateSet({ type: row.type, service_notice: row.service_notice, updated_at: row.updated_at }))
      .execute();
  },

  /** Inserts settings unless the category has some; returns whether it inserted. */
  async insertSettingsIfMissing(db: Db, row: Insertable<Open311ServiceTable>): Promise<boolean> {
    const result = await db.insertInto('open311_services').values(row).onConflict((oc) => oc.column('category_id').doNothing()).executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  },

  async setQuestions(db: Db, categoryId: number, questionsJson: string, at: string): Promise<void> {
    await db.updateTable('categories').set({ questions: questionsJson, updated_at: at }).where('id', '=', categoryId).execute();
  },

  categoryIdsByCode(db: Db, code: string) {
    return db.selectFrom('categories').select(['id', 'questions']).where('code', '=', code).execute();
  },

  /** Named units under a jurisdiction that an address may mention (district … community). */
  namedUnits(db: Db, rootPath: string) {
    const range = subtreeRange(rootPath);
    return db.selectFrom('org_units').select(['code', 'name', 'level', 'path', 'depth'])
      .where('path', '>=', range.from).where('path', '<', range.to)
      .where('level', 'in', ['district', 'street', 'community'])
      .execute();
  },

  /** Bounding boxes of the grids under a unit, by code. */
  gridBoxesUnder(db: Db, unitPath: string, limit: number) {
    const range = subtreeRange(unitPath);
    return db.selectFrom('org_units').innerJoin('grid_shapes', 'grid_shapes.code', 'org_units.code')
      .select(['org_units.code', 'grid_shapes.min_lon', 'grid_shapes.min_lat', 'grid_shapes.max_lon', 'grid_shapes.max_lat'])
      .where('org_units.path', '>=', range.from).where('org_units.path', '<', range.to)
      .orderBy('org_units.code').limit(limit).execute();
  },

  /** One page of requests in scope, newest first, with service name and agency; and the total. */
  async listRequests(db: Db, dialect: DialectHelper, scope: Open311Scope, filter: RequestFilter, page: { limit: number; offset: number }) {
    const base = filtered(whereCaseInScope(db.selectFrom('cases'), scope), dialect, filter);
    const [items, count] = await Promise.all([
      base
        .innerJoin('categories', 'categories.id', 'cases.category_id')
        .leftJoin('departments', 'departments.id', 'cases.department_id')
        .select(REQUEST_COLUMNS)
        .select(['categories.name as service_name', 'departments.name as agency'])
        .orderBy('cases.created_at', 'desc')
        .orderBy('cases.id', 'desc')
        .limit(page.limit)
        .offset(page.offset)
        .execute(),
      base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items, total: Number(count.n) };
  },

  /** Timeline events of these cases, in order. */
  eventsOf(db: Db, caseIds: number[]) {
    if (caseIds.length === 0) return Promise.resolve([]);
    return db.selectFrom('case_events').select(['id', 'case_id', 'seq', 'at', 'action', 'from_status', 'to_status', 'note', 'note_public'])
      .where('case_id', 'in', caseIds).orderBy('case_id').orderBy('seq').execute();
  },

  /** Image attachments of these cases, oldest first. */
  photosOf(db: Db, caseIds: number[]) {
    if (caseIds.length === 0) return Promise.resolve([]);
    return db.selectFrom('case_attachments').select(['id', 'case_id', 'mime', 'filename', 'phase', 'created_at'])
      .where('case_id', 'in', caseIds).where('mime', 'like', 'image/%').orderBy('id').execute();
  },

  /** One image attachment of a case the reader may see. */
  findPhoto(db: Db, scope: Open311Scope, caseId: number, attachmentId: number) {
    return whereCaseInScope(db.selectFrom('cases'), scope)
      .innerJoin('case_attachments', 'case_attachments.case_id', 'cases.id')
      .select(['case_attachments.sha256', 'case_attachments.mime', 'case_attachments.filename'])
      .where('cases.id', '=', caseId).where('case_attachments.id', '=', attachmentId).where('case_attachments.mime', 'like', 'image/%')
      .executeTakeFirst();
  },

  metaOf(db: Db, caseIds: number[]) {
    if (caseIds.length === 0) return Promise.resolve([]);
    return db.selectFrom('open311_requests').selectAll().where('case_id', 'in', caseIds).execute();
  },

  async insertMeta(db: Db, row: Insertable<Open311RequestTable>): Promise<void> {
    await db.insertInto('open311_requests').values(row).onConflict((oc) => oc.column('case_id').doNothing()).execute();
  },

  async insertToken(db: Db, row: Insertable<Open311TokenTable>): Promise<void> {
    await db.insertInto('open311_tokens').values(row).execute();
  },

  findToken(db: Db, token: string) {
    return db.selectFrom('open311_tokens').selectAll().where('token', '=', token).executeTakeFirst();
  },

  findTokenByClientId(db: Db, apiKeyId: number, clientRequestId: string) {
    return db.selectFrom('open311_tokens').selectAll().where('api_key_id', '=', apiKeyId).where('client_request_id', '=', clientRequestId).executeTakeFirst();
  },

  pendingTokens(db: Db, limit: number) {
    return db.selectFrom('open311_tokens').select('token').where('status', '=', 'pending').orderBy('created_at').orderBy('token').limit(limit).execute();
  },

  async finishToken(db: Db, token: string, patch: { status: 'done' | 'failed'; case_id: number | null; error: string | null; updated_at: string }): Promise<void> {
    await db.updateTable('open311_tokens').set(patch).where('token', '=', token).where('status', '=', 'pending').execute();
  },

  /**
   * Timeline events of cases in scope between two instants, oldest first, with the case's state
   * right after each event (`state_then`: the last state any event up to it moved to).
   */
  listUpdates(db: Db, scope: Open311Scope, q: { from: string; to: string; actions: readonly string[]; caseIds?: number[]; limit: number }) {
    let base = whereCaseInScope(db.selectFrom('cases'), scope);
    if (q.caseIds) base = base.where('cases.id', 'in', q.caseIds.length ? q.caseIds : [-1]);
    return base
      .innerJoin('case_events', 'case_events.case_id', 'cases.id')
      .leftJoin('open311_requests', 'open311_requests.case_id', 'cases.id')
      .leftJoin('open311_updates', 'open311_updates.event_id', 'case_events.id')
      .select(['open311_requests.fixmystreet_id', 'open311_updates.media_url as update_media_url'])
      .select(['case_events.id', 'case_events.case_id', 'case_events.at', 'case_events.action', 'case_events.to_status', 'case_events.note', 'case_events.note_public', 'case_events.data', 'cases.workflow', 'cases.number'])
      .select((eb) => eb.selectFrom('case_events as e2').select('e2.to_status')
        .whereRef('e2.case_id', '=', 'case_events.case_id').whereRef('e2.seq', '<=', 'case_events.seq').where('e2.to_status', 'is not', null)
        .orderBy('e2.seq', 'desc').limit(1).as('state_then'))
      .where('case_events.at', '>=', q.from).where('case_events.at', '<=', q.to)
      .where('case_events.action', 'in', [...q.actions])
      .orderBy('case_events.at').orderBy('case_events.id')
      .limit(q.limit)
      .execute();
  },

  findUpdate(db: Db, apiKeyId: number, clientUpdateId: string) {
    return db.selectFrom('open311_updates').selectAll().where('api_key_id', '=', apiKeyId).where('client_update_id', '=', clientUpdateId).executeTakeFirst();
  },

  async insertUpdate(db: Db, row: Insertable<Open311UpdateTable>): Promise<void> {
    await db.insertInto('open311_updates').values(row).execute();
  },

  /** The id of the case with this number (the `customer_reference` clients may send back), if any. */
  async caseIdByNumber(db: Db, number: string): Promise<number | undefined> {
    return (await db.selectFrom('cases').select('id').where('number', '=', number).executeTakeFirst())?.id;
  },

  /** The id of a case's latest timeline event. */
  async lastEventId(db: Db, caseId: number): Promise<number> {
    const row = await db.selectFrom('case_events').select('id').where('case_id', '=', caseId).orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
    return row.id;
  },
};
