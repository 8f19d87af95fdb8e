import type { Db } from '../db/database.js';
import { caseRepository, type CaseEventRow } from './case.repository.js';
import { firstBrokenLink, type BrokenLink } from './case.audit.js';

export interface AuditReport {
  cases: number;
  events: number;
  /** The first broken link of each broken case, with the case number. */
  broken: (BrokenLink & { number: string | null })[];
}

const BATCH = 2000;

/**
 * Checks every case's timeline hash chain (`gridloop audit verify`), reading the events in keyset
 * batches so that memory follows the longest timeline, not the store.
 */
export async function verifyAuditTrail(db: Db): Promise<AuditReport> {
  const report: AuditReport = { cases: 0, events: 0, broken: [] };
  let current: CaseEventRow[] = [];
  const finish = async () => {
    if (current.length === 0) return;
    report.cases++;
    const broken = firstBrokenLink(current);
    if (broken) report.broken.push({ ...broken, number: (await caseRepository.findById(db, broken.caseId))?.number ?? null });
    current = [];
  };
  let after: { caseId: number; seq: number } | null = null;
  for (;;) {
    const rows = await caseRepository.eventsBatch(db, after, BATCH);
    for (const e of rows) {
      if (current.length && current[0].case_id !== e.case_id) await finish();
      current.push(e);
      report.events++;
    }
    if (rows.length < BATCH) break;
    const last = rows[rows.length - 1];
    after = { caseId: last.case_id, seq: last.seq };
  }
  await finish();
  return report;
}
