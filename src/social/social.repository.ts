import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Db } from '../db/database.js';
import { whereCaseInScope, type CaseScope } from '../cases/case.scope.js';
import type { DisputePartyTable, DisputeSessionTable, DisputeTable, PetitionFollowupTable, PetitionTable } from './social.tables.js';

export type DisputeRow = Selectable<DisputeTable>;
export type PartyRow = Selectable<DisputePartyTable>;
export type SessionRow = Selectable<DisputeSessionTable>;
export type PetitionRow = Selectable<PetitionTable>;
export type FollowupRow = Selectable<PetitionFollowupTable>;

/** Disputes, their parties and sessions; petitions and their follow-ups. All their SQL lives here. */
export const socialRepository = {
  insertDispute(db: Db, row: Insertable<DisputeTable>) {
    return db.insertInto('disputes').values(row).execute();
  },
  findDispute(db: Db, caseId: number) {
    return db.selectFrom('disputes').selectAll().where('case_id', '=', caseId).executeTakeFirst();
  },
  updateDispute(db: Db, caseId: number, patch: Updateable<DisputeTable>) {
    return db.updateTable('disputes').set(patch).where('case_id', '=', caseId).execute();
  },
  insertParty(db: Db, row: Insertable<DisputePartyTable>) {
    return db.insertInto('dispute_parties').values(row).execute();
  },
  parties(db: Db, caseId: number) {
    return db.selectFrom('dispute_parties').selectAll().where('case_id', '=', caseId).orderBy('id').execute();
  },
  insertSession(db: Db, row: Insertable<DisputeSessionTable>) {
    return db.insertInto('dispute_sessions').values(row).execute();
  },
  sessions(db: Db, caseId: number) {
    return db.selectFrom('dispute_sessions').selectAll().where('case_id', '=', caseId).orderBy('held_at').orderBy('id').execute();
  },
  /** Earlier disputes of the same parties and category created since `since` (回流). */
  priorDisputes(db: Db, partiesKey: string, categoryCode: string, since: string, excludeId: number) {
    return db.selectFrom('disputes').innerJoin('cases', 'cases.id', 'disputes.case_id')
      .select(['cases.id', 'cases.number', 'cases.created_at'])
      .where('disputes.parties_key', '=', partiesKey).where('cases.category_code', '=', categoryCode)
      .where('cases.created_at', '>=', since).where('cases.id', '!=', excludeId)
      .orderBy('cases.created_at', 'desc').execute();
  },
  /** Agreements whose 司法确认 window is still open at `now` and closes by `by`, not applied for and not yet reminded. */
  dueConfirmationReminders(db: Db, now: string, by: string, limit: number) {
    return db.selectFrom('disputes').innerJoin('cases', 'cases.id', 'disputes.case_id')
      .select(['disputes.case_id', 'disputes.confirm_deadline', 'cases.number', 'cases.org_path', 'cases.community_code', 'cases.street_code', 'cases.city_code'])
      .where('disputes.confirm_deadline', '>=', now).where('disputes.confirm_deadline', '<=', by)
      .where('disputes.confirm_applied', 'is', null).where('disputes.confirm_reminded_at', 'is', null)
      .orderBy('disputes.confirm_deadline').limit(limit).execute();
  },

  /** A case's free-form attributes (JSON), written by intake rules; no version change. */
  setCaseAttributes(db: Db, caseId: number, attributes: string) {
    return db.updateTable('cases').set({ attributes }).where('id', '=', caseId).execute();
  },

  insertPetition(db: Db, row: Insertable<PetitionTable>) {
    return db.insertInto('petitions').values(row).execute();
  },
  findPetition(db: Db, caseId: number) {
    return db.selectFrom('petitions').selectAll().where('case_id', '=', caseId).executeTakeFirst();
  },
  updatePetition(db: Db, caseId: number, patch: Updateable<PetitionTable>) {
    return db.updateTable('petitions').set(patch).where('case_id', '=', caseId).execute();
  },
  /** Earlier petitions of the same petitioner on the same matter (category), newest first. */
  priorPetitions(db: Db, key: string, categoryCode: string, excludeId: number) {
    return db.selectFrom('petitions').innerJoin('cases', 'cases.id', 'petitions.case_id')
      .select(['cases.id', 'cases.number', 'cases.status', 'cases.created_at'])
      .where('petitions.petitioner_key', '=', key).where('cases.category_code', '=', categoryCode).where('cases.id', '!=', excludeId)
      .orderBy('cases.created_at', 'desc').limit(50).execute();
  },
  insertFollowup(db: Db, row: Insertable<PetitionFollowupTable>) {
    return db.insertInto('petition_followups').values(row).execute();
  },
  followups(db: Db, caseId: number) {
    return db.selectFrom('petition_followups').selectAll().where('case_id', '=', caseId).orderBy('at').orderBy('id').execute();
  },
  /** Disputes in a subtree reported before `end`, with what their KPIs need. */
  disputeFacts(db: Db, scope: CaseScope, end: string) {
    return whereCaseInScope(db.selectFrom('cases').innerJoin('disputes', 'disputes.case_id', 'cases.id'), scope)
      .select(['cases.id', 'cases.created_at', 'cases.handled_at', 'cases.category_code', 'disputes.source', 'disputes.resolved_level', 'disputes.agreement_at', 'disputes.agreement_kept', 'disputes.referral', 'disputes.parties_key'])
      .where('cases.workflow', '=', 'mediation').where('cases.created_at', '<', end).execute();
  },
  /** Later disputes of the given parties (any area: parties come back wherever they live). */
  disputesOfParties(db: Db, keys: string[]) {
    if (keys.length === 0) return Promise.resolve([]);
    return db.selectFrom('disputes').innerJoin('cases', 'cases.id', 'disputes.case_id')
      .select(['cases.id', 'cases.created_at', 'cases.category_code', 'disputes.parties_key']).where('disputes.parties_key', 'in', keys).execute();
  },
  /** Petitions in a subtree registered before `end`, with what their KPIs need. */
  petitionFacts(db: Db, scope: CaseScope, end: string) {
    return whereCaseInScope(db.selectFrom('cases').innerJoin('petitions', 'petitions.case_id', 'cases.id'), scope)
      .select(['cases.id', 'cases.created_at', 'cases.registered_at', 'cases.closed_at', 'cases.status', 'cases.callback_satisfaction', 'petitions.replied_at', 'petitions.conclude_due', 'petitions.rated_at', 'petitions.repeat_of_case_id', 'petitions.skipped_level', 'petitions.backlog_since', 'petitions.backlog_resolved_at'])
      .where('cases.workflow', '=', 'petition').where('cases.created_at', '<', end).execute();
  },

  /** 积案 in scope: petitions flagged as backlog and not yet resolved, oldest first. */
  backlog(db: Db, scope: CaseScope, page: { limit: number; offset: number }) {
    return whereCaseInScope(db.selectFrom('cases').innerJoin('petitions', 'petitions.case_id', 'cases.id'), scope)
      .selectAll('cases').select(['petitions.backlog_since', 'petitions.lead_name', 'petitions.lead_user_id', 'petitions.repeat_of_case_id'])
      .where('petitions.backlog_since', 'is not', null).where('petitions.backlog_resolved_at', 'is', null)
      .orderBy('petitions.backlog_since').orderBy('cases.id').limit(page.limit).offset(page.offset).execute();
  },
  /** Open petitions past their stage deadline and not yet flagged: they become 积案. */
  overduePetitionsNotInBacklog(db: Db, now: string, limit: number) {
    return db.selectFrom('cases').innerJoin('petitions', 'petitions.case_id', 'cases.id')
      .select(['cases.id']).where('cases.workflow', '=', 'petition').where('cases.stage_deadline', '<', now)
      .where('cases.closed_at', 'is', null).where('cases.suspended_at', 'is', null).where('petitions.backlog_since', 'is', null)
      .limit(limit).execute();
  },
};
