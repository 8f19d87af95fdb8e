import { createReadStream, statSync } from 'node:fs';
import type { Insertable } from 'kysely';
import { parse } from 'csv-parse';
import { inTransaction, type Ctx } from '../context.js';
import type { CaseEventTable, CaseTable } from '../db/tables.js';
import { clockToJson, stageColumns } from '../cases/case.clock.js';
import { GENESIS, eventHash } from '../cases/case.audit.js';
import { getWorkflow } from '../cases/workflow/index.js';
import { catalogueRepository, type CategoryRow } from '../catalogue/catalogue.repository.js';
import { categoryTimeLimits } from '../catalogue/catalogue.service.js';
import { legacyRepository } from '../catalogue/legacy.repository.js';
import { locatePoint } from '../grids/grid.locate.js';
import { getWorkCalendar } from '../sla/calendar.loader.js';
import { stageDeadline, startStage } from '../sla/stage-clock.js';
import { localDate } from '../time/zoned-time.js';
import { ImportCounts, countLeftovers } from './history.counters.js';
import type { HistoryMapping } from './history.mapping.js';
import { historyRepository, type CountedCase } from './history.repository.js';
import { categoryCodeOf, readHistoryRow, type HistoryDraft, type RejectReason, type RowReader } from './history.row.js';
import { compileTimeFormat } from './history.time.js';

export interface ImportProgress {
  rows: number;
  imported: number;
  skipped: number;
  rejected: number;
  /** Share of the input read so far (0–1), when the size is known. */
  fraction: number | null;
}

export interface ImportCasesOptions {
  dryRun?: boolean;
  batchSize?: number;
  onProgress?(p: ImportProgress): void;
  onReject?(sourceId: string, reason: RejectReason): void;
}

export interface ImportCasesSummary {
  rows: number;
  imported: number;
  /** Rows whose source id was imported before (a rerun adds nothing). */
  skipped: number;
  rejected: number;
  reasons: Partial<Record<RejectReason, number>>;
  dryRun: boolean;
}

/** The SQLite page cache while an import runs (64 MiB; the connection's own setting is restored after). */
const IMPORT_CACHE_KIB = 65_536;
const HISTORY_ACTOR = { kind: 'system', id: 0, name: 'history import', role: 'system' } as const;
const KIND_ORDER: Record<string, number> = { matter: 0, local: 1, component: 2 };

/** Category lookups for a whole import: current codes (retired ones too: history may use them), then legacy codes. */
function categoryCache(ctx: Ctx) {
  const cache = new Map<string, { category: CategoryRow; legacyCode: string | null } | null>();
  return {
    async load(codes: Iterable<string>): Promise<void> {
      for (const code of codes) {
        if (cache.has(code)) continue;
        const rows = (await catalogueRepository.findAnyByCode(ctx.db, code)).sort((a, b) => b.active - a.active || KIND_ORDER[a.kind] - KIND_ORDER[b.kind]);
        if (rows[0]) {
          cache.set(code, { category: rows[0], legacyCode: null });
          continue;
        }
        const targets = [...new Set((await legacyRepository.findByCode(ctx.db, code)).map((l) => l.category_id))];
        const category = targets.length === 1 ? await catalogueRepository.findCategoryById(ctx.db, targets[0]) : undefined;
        cache.set(code, category ? { category, legacyCode: code } : null);
      }
    },
    get: (code: string) => cache.get(code) ?? null,
  };
}

const LIMITS = new WeakMap<CategoryRow, ReturnType<typeof categoryTimeLimits>>();
/** A category's time limits, parsed once per category row of the import (not per case). */
function limitsOf(category: CategoryRow): ReturnType<typeof categoryTimeLimits> {
  let limits = LIMITS.get(category);
  if (!limits) LIMITS.set(category, (limits = categoryTimeLimits(category)));
  return limits;
}

/** The case row and timeline of a draft (numbers and ids filled in by the caller). */
function caseOf(ctx: Ctx, d: HistoryDraft, departmentId: number | null): Insertable<CaseTable> & { overdue_stages: number } {
  const cfg = ctx.app.config;
  const cal = getWorkCalendar(ctx.app);
  const def = getWorkflow(d.category.workflow);
  const limits = limitsOf(d.category);
  const codeAt = (level: string) => d.located.chain.find((u) => u.level === level)?.code ?? null;
  const caseClock = limits.handle ? startStage(d.createdAt, limits.handle) : null;
  const deadline = d.dueAt ?? (caseClock ? stageDeadline(caseClock, cal) : null);
  const open = d.closedAt === null;
  const stage = open ? def.states[def.initial]?.stage ?? null : null;
  const stageLimit = stage ? limits[stage as keyof typeof limits] : undefined;
  const stageClock = stageLimit ? startStage(d.createdAt, stageLimit) : null;
  const created = d.createdAt.toISOString();
  return {
    number: '', city_code: codeAt('city') ?? cfg.cityCode, workflow: def.id, status: open ? def.initial : 'closed', previous_status: null,
    category_id: d.category.id, category_code: d.category.code, class_code: d.category.class_code, legacy_category_code: d.legacyCode, source_id: d.sourceId,
    channel: d.channel, description: d.description, address: d.address, lon: d.lon, lat: d.lat,
    grid_code: d.located.grid?.code ?? null, community_code: codeAt('community'), street_code: codeAt('street'), district_code: codeAt('district'),
    org_path: `/${d.located.chain.map((u) => u.code).join('/')}/`, department_id: departmentId, routing_rule_id: null, routing_explanation: 'history import',
    priority: d.category.priority, created_by: `${HISTORY_ACTOR.kind}:0:${HISTORY_ACTOR.name}`, private: d.category.workflow === 'hotline' ? 1 : 0,
    // Lights as at the report: the sweeper brings them up to date (cheap here, however old the case).
    stage, stage_started_at: stageClock ? created : null, ...stageColumns(stageClock, d.createdAt, cal, cfg.lights),
    case_clock: caseClock ? clockToJson(caseClock) : null, deadline: deadline ? deadline.toISOString() : null,
    overdue_stages: !open && deadline && d.closedAt && d.closedAt > deadline ? 1 : 0,
    registered_at: created, closed_at: d.closedAt ? d.closedAt.toISOString() : null,
    attributes: JSON.stringify({ sourceId: d.sourceId }), created_at: created, updated_at: (d.closedAt ?? d.createdAt).toISOString(),
  };
}

function timelineOf(caseId: number, row: Insertable<CaseTable>, d: HistoryDraft, initial: string): Insertable<CaseEventTable>[] {
  // One object per event, built whole (its hash hashes the same fields): copies per event showed
  // as the largest allocation of an import.
  const event = (seq: number, at: Date, action: string, from: string | null, to: string, data: string, previous: string) => {
    const e = { case_id: caseId, actor_kind: HISTORY_ACTOR.kind, actor_id: HISTORY_ACTOR.id, actor_name: HISTORY_ACTOR.name, actor_role: HISTORY_ACTOR.role, note: null, note_public: 0, seq, at: at.toISOString(), action, from_status: from, to_status: to, data, hash: '' };
    e.hash = eventHash(previous, e);
    return e;
  };
  const report = event(1, d.createdAt, 'report', null, initial, JSON.stringify({ channel: d.channel, grid: row.grid_code, sourceId: d.sourceId, imported: true }), GENESIS);
  if (!d.closedAt) return [report];
  return [report, event(2, d.closedAt, 'close', initial, 'closed', JSON.stringify({ sourceId: d.sourceId, imported: true }), report.hash)];
}

/** The columns the counters read of a case row just written (a copy of the whole row cost more than the rest of the counting). */
function countedOf(r: Insertable<CaseTable> & { overdue_stages: number }, id: number): CountedCase {
  return {
    id, org_path: r.org_path, category_code: r.category_code, class_code: r.class_code, department_id: r.department_id ?? null, channel: r.channel,
    created_at: r.created_at, closed_at: r.closed_at ?? null, deadline: r.deadline ?? null, stage_deadline: r.stage_deadline ?? null,
    registered_at: r.registered_at ?? null, dispatched_at: r.dispatched_at ?? null, overdue_stages: r.overdue_stages,
  };
}

/** Drafts written per statement group inside a batch's transaction: their row objects die young. */
const CHUNK = 500;

/**
 * Writes one batch of drafts in one transaction: numbers, cases, timelines, and the record that
 * their counters are pending; their counters go into `counts` (in memory: a failed batch fails the
 * import, whose gathered counters are then never written). Returns the pending record's id.
 */
async function writeBatch(ctx: Ctx, drafts: HistoryDraft[], departments: Map<string, number | null>, counts: ImportCounts): Promise<number> {
  const cfg = ctx.app.config;
  return inTransaction(ctx, async (trx) => {
    const days = drafts.map((d) => localDate(d.createdAt, cfg.timeZone));
    const perDay = new Map<string, number>();
    for (const day of days) perDay.set(day, (perDay.get(day) ?? 0) + 1);
    // The next serial of each day, numbers given in the drafts' order.
    const next = await historyRepository.reserveNumbers(trx.db, cfg.caseNumberPrefix, perDay);
    const ids: number[] = [];
    for (let i = 0; i < drafts.length; i += CHUNK) {
      const chunk = drafts.slice(i, i + CHUNK);
      const rows = chunk.map((d, k) => {
        const row = caseOf(trx, d, d.departmentCode ? departments.get(d.departmentCode) ?? null : null);
        const day = days[i + k];
        const serial = next.get(day) as number;
        next.set(day, serial + 1);
        row.number = `${cfg.caseNumberPrefix}${day.replace(/-/g, '')}${String(serial).padStart(6, '0')}`;
        return row;
      });
      const chunkIds = await historyRepository.insertCases(trx.db, rows);
      await historyRepository.insertEvents(trx.db, chunk.flatMap((d, k) => timelineOf(chunkIds[k], rows[k], d, getWorkflow(d.category.workflow).initial)));
      // Only the columns the counters read are needed; the row is what was just inserted.
      counts.count(rows.map((r, k) => ({ row: countedOf(r, chunkIds[k]), importClosedAt: r.closed_at ?? null })));
      for (const id of chunkIds) ids.push(id);
    }
    return historyRepository.addPendingCounts(trx.db, ids, ctx.now.toISOString());
  });
}

/**
 * Imports historical cases from parsed CSV records (streamed: one batch in memory at a time).
 * Each batch is read, checked and written in one transaction, so a crash leaves whole batches;
 * source ids already in the store are skipped, so a rerun continues where the last one stopped.
 * The KPI counters of all batches are gathered in one roll-up and written at the end (and in
 * between when it grows large: ImportCounts); cases an earlier run wrote but did not count are
 * counted first.
 * Rejected rows go to `onReject` with their reason. With dryRun nothing is written.
 */
export async function importCases(ctx: Ctx, records: AsyncIterable<Record<string, string>>, mapping: HistoryMapping, opts: ImportCasesOptions = {}, fraction: () => number | null = () => null): Promise<ImportCasesSummary> {
  const batchSize = opts.batchSize ?? 5000;
  const categories = categoryCache(ctx);
  const departments = new Map<string, number | null>();
  const reader: RowReader = {
    mapping,
    timeZone: mapping.timeZone ?? ctx.app.config.timeZone,
    timeFormat: mapping.timeFormat ? compileTimeFormat(mapping.timeFormat) : undefined,
    category: (code) => categories.get(code),
    locate: (lon, lat) => locatePoint(ctx.app, lon, lat),
  };
  const counts = new ImportCounts(ctx);
  // Cases an earlier import wrote but did not count: counted first, so the counters match the cases.
  if (!opts.dryRun) await countLeftovers(ctx);
  const s: ImportCasesSummary = { rows: 0, imported: 0, skipped: 0, rejected: 0, reasons: {}, dryRun: opts.dryRun ?? false };
  const reject = (sourceId: string, reason: RejectReason) => {
    s.rejected++;
    s.reasons[reason] = (s.reasons[reason] ?? 0) + 1;
    opts.onReject?.(sourceId, reason);
  };
  const flush = async (batch: Record<string, string>[]) => {
    await categories.load(new Set(batch.map((r) => categoryCodeOf(r, mapping)).filter((c): c is string => c !== null)));
    const drafts: HistoryDraft[] = [];
    const seen = new Set<string>();
    for (const record of batch) {
      const out = readHistoryRow(record, reader);
      if ('reject' in out) reject(out.sourceId, out.reject);
      else if (seen.has(out.draft.sourceId)) reject(out.draft.sourceId, 'duplicate_in_file');
      else {
        seen.add(out.draft.sourceId);
        drafts.push(out.draft);
      }
    }
    const existing = await historyRepository.existingSourceIds(ctx.db, drafts.map((d) => d.sourceId));
    const fresh = drafts.filter((d) => !existing.has(d.sourceId));
    s.skipped += drafts.length - fresh.length;
    for (const code of new Set(fresh.map((d) => d.departmentCode).filter((c): c is string => c !== null))) {
      if (!departments.has(code)) departments.set(code, (await catalogueRepository.findDepartmentByCode(ctx.db, code))?.id ?? null);
    }
    if (!s.dryRun && fresh.length > 0) {
      await counts.committed(await writeBatch(ctx, fresh, departments, counts));
    }
    s.imported += fresh.length;
    s.rows += batch.length;
    opts.onProgress?.({ rows: s.rows, imported: s.imported, skipped: s.skipped, rejected: s.rejected, fraction: fraction() });
  };
  const cache = s.dryRun ? null : await historyRepository.setPageCache(ctx.db, IMPORT_CACHE_KIB);
  try {
    let batch: Record<string, string>[] = [];
    for await (const record of records) {
      batch.push(record);
      if (batch.length >= batchSize) {
        await flush(batch);
        batch = [];
      }
    }
    if (batch.length > 0) await flush(batch);
    await counts.flush();
  } finally {
    await historyRepository.restorePageCache(ctx.db, cache);
  }
  return s;
}

/**
 * `import-cases FILE.csv`: streams the file through csv-parse (header row = column names; a BOM
 * is dropped) into importCases. Throws import_failed when the file cannot be read or parsed; the
 * batches written before a parse error stay (a rerun continues).
 */
export async function importCasesFromFile(ctx: Ctx, file: string, mapping: HistoryMapping, opts: ImportCasesOptions = {}): Promise<ImportCasesSummary> {
  const size = statSync(file).size;
  const stream = createReadStream(file);
  const records = stream.pipe(parse({ columns: true, bom: true, relax_column_count: true, skip_empty_lines: true }));
  return importCases(ctx, records, mapping, opts, () => (size > 0 ? Math.min(1, stream.bytesRead / size) : null));
}
