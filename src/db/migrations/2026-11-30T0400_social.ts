import { PostgresAdapter, type CreateTableBuilder, type Kysely } from 'kysely';

// Frozen in time: must not import application code. Disputes (矛盾纠纷调解) and petitions (信访)
// become case types with their own flows: their categories (LMD*, LXF*) move off the urban flow
// (cases already open keep the flow they were opened in), and each case type gets its own tables:
// a dispute's details, parties (personal data sealed like reporters': masked display form,
// AES-GCM ciphertext, HMAC search hash), mediation sessions; a petition's chain of dates and its
// 积案 follow-ups.

const MEDIATION_LIMITS = '{"mediate":{"amount":30,"unit":"calendar_days"},"callback":{"amount":15,"unit":"calendar_days"},"close":{"amount":3,"unit":"work_days"}}';
const PETITION_LIMITS = '{"acceptance":{"amount":15,"unit":"calendar_days"},"conclude":{"amount":60,"unit":"calendar_days"},"review":{"amount":30,"unit":"calendar_days"},"recheck":{"amount":30,"unit":"calendar_days"}}';

export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const id = <T extends string>(t: CreateTableBuilder<T, never>) => (pg ? t.addColumn('id', 'serial', (c) => c.primaryKey()) : t.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement()));
  await db.updateTable('categories').set({ workflow: 'mediation', time_limits: MEDIATION_LIMITS }).where('class_code', '=', 'LMD').where('workflow', '=', 'urban').execute();
  await db.updateTable('categories').set({ workflow: 'petition', time_limits: PETITION_LIMITS }).where('class_code', '=', 'LXF').where('workflow', '=', 'urban').execute();

  await db.schema.createTable('disputes')
    .addColumn('case_id', 'integer', (c) => c.primaryKey().references('cases.id'))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('amount', 'double precision')
    .addColumn('people_count', 'integer', (c) => c.notNull().defaultTo(2))
    .addColumn('risk_level', 'text', (c) => c.notNull().defaultTo('general'))
    .addColumn('risk_warning', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('mediation_org', 'text')
    .addColumn('mediators', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('resolved_level', 'text')
    .addColumn('agreement_kind', 'text')
    .addColumn('agreement_summary', 'text')
    .addColumn('agreement_attachment_id', 'integer')
    .addColumn('agreement_at', 'text')
    .addColumn('confirm_deadline', 'text')
    .addColumn('confirm_applied', 'integer')
    .addColumn('confirm_applied_at', 'text')
    .addColumn('confirm_reminded_at', 'text')
    .addColumn('referral', 'text')
    .addColumn('referral_note', 'text')
    .addColumn('agreement_kept', 'integer')
    .addColumn('transferred_from_case_id', 'integer')
    .addColumn('parties_key', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('disputes_confirm_idx').on('disputes').columns(['confirm_deadline', 'confirm_reminded_at']).execute();
  await db.schema.createIndex('disputes_parties_key_idx').on('disputes').column('parties_key').execute();

  await id(db.schema.createTable('dispute_parties'))
    .addColumn('case_id', 'integer', (c) => c.notNull().references('cases.id'))
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('phone', 'text')
    .addColumn('phone_enc', 'text')
    .addColumn('phone_hash', 'text')
    .addColumn('id_number', 'text')
    .addColumn('id_enc', 'text')
    .addColumn('id_hash', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('dispute_parties_case_idx').on('dispute_parties').column('case_id').execute();

  await id(db.schema.createTable('dispute_sessions'))
    .addColumn('case_id', 'integer', (c) => c.notNull().references('cases.id'))
    .addColumn('held_at', 'text', (c) => c.notNull())
    .addColumn('place', 'text', (c) => c.notNull())
    .addColumn('attendees', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('recorded_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('dispute_sessions_case_idx').on('dispute_sessions').column('case_id').execute();

  await db.schema.createTable('petitions')
    .addColumn('case_id', 'integer', (c) => c.primaryKey().references('cases.id'))
    .addColumn('petitioners', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('addressed_to', 'text')
    .addColumn('skipped_level', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('petitioner_key', 'text')
    .addColumn('repeat_of_case_id', 'integer')
    .addColumn('final_case_id', 'integer')
    .addColumn('replied_at', 'text')
    .addColumn('review_requested_at', 'text')
    .addColumn('reviewed_at', 'text')
    .addColumn('recheck_requested_at', 'text')
    .addColumn('rechecked_at', 'text')
    .addColumn('backlog_since', 'text')
    .addColumn('backlog_resolved_at', 'text')
    .addColumn('lead_user_id', 'integer')
    .addColumn('lead_name', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('petitions_key_idx').on('petitions').column('petitioner_key').execute();

  await id(db.schema.createTable('petition_followups'))
    .addColumn('case_id', 'integer', (c) => c.notNull().references('cases.id'))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor_name', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('petition_followups_case_idx').on('petition_followups').column('case_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['petition_followups', 'petitions', 'dispute_sessions', 'dispute_parties', 'disputes']) await db.schema.dropTable(table).execute();
}
