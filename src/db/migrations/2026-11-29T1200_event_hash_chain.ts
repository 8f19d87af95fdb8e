import { createHash } from 'node:crypto';
import { PostgresAdapter, sql, type Kysely } from 'kysely';

// Frozen in time: must not import application code. The timeline becomes tamper-evident: each
// event stores hash = sha256(previous event's hash + "\n" + canonical JSON of its fields), chained
// per case in seq order (the first event's "previous" is the empty string). New events get their
// hash at insert (cases/case.audit.ts, which must keep computing exactly what `link` computes here).
// Existing rows are backfilled below; the append-only trigger refuses UPDATE, so it is dropped for
// the backfill and recreated, unchanged, in the same migration.

function link(previous: string, e: any): string {
  const canonical = JSON.stringify(['gridloop-event-v1', Number(e.case_id), Number(e.seq), e.at, e.actor_kind, Number(e.actor_id), e.actor_name, e.actor_role, e.action, e.from_status, e.to_status, e.note, e.note_public ? 1 : 0, e.data]);
  return createHash('sha256').update(previous).update('\n').update(canonical).digest('hex');
}

export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema.alterTable('case_events').addColumn('hash', 'text').execute();
  if (pg) await sql`drop trigger case_events_no_update on case_events`.execute(db);
  else await sql`drop trigger case_events_no_update`.execute(db);
  let previous = '';
  let currentCase = -1;
  let after = { caseId: -1, seq: -1 };
  for (;;) {
    const rows = await db.selectFrom('case_events').selectAll()
      .where((eb) => eb.or([eb('case_id', '>', after.caseId), eb.and([eb('case_id', '=', after.caseId), eb('seq', '>', after.seq)])]))
      .orderBy('case_id').orderBy('seq').limit(1000).execute();
    for (const e of rows) {
      if (e.case_id !== currentCase) (currentCase = e.case_id), (previous = '');
      previous = link(previous, e);
      await db.updateTable('case_events').set({ hash: previous }).where('id', '=', e.id).execute();
    }
    if (rows.length < 1000) break;
    const last = rows[rows.length - 1];
    after = { caseId: last.case_id, seq: last.seq };
  }
  if (pg) await sql`create trigger case_events_no_update before update or delete on case_events for each row execute function case_events_append_only()`.execute(db);
  else await sql`create trigger case_events_no_update before update on case_events begin select raise(abort, 'case_events is append-only'); end`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('case_events').dropColumn('hash').execute();
}
