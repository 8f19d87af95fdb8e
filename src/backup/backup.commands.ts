import type { Config } from '../config.js';
import type { AppContext } from '../context.js';
import { AppError } from '../errors.js';
import { backupStore } from './backup.js';
import { restoreStore } from './restore.js';

/** `gridloop backup DIR`: prints what it wrote. */
export async function backupCommand(app: AppContext, args: string[]): Promise<number> {
  if (args.length !== 1) throw new AppError('validation_failed', 'usage: gridloop backup <new directory>', { field: 'dir' });
  const m = await backupStore(app, args[0]);
  const rows = Object.entries(m.counts).filter(([t]) => !t.startsWith('kysely_')).reduce((s, [, n]) => s + n, 0);
  console.log(`backup: ${args[0]} (${m.store}, ${m.database}): ${Object.keys(m.counts).length} tables, ${rows} rows, ${m.counts.cases ?? 0} cases, ${m.counts.case_events ?? 0} events, ${m.attachments} attachment files`);
  return 0;
}

/**
 * `gridloop restore DIR`: restores into the empty store of the configuration and checks it.
 * Exit 0 when every count matches, every chain is intact and every attachment is there; else 1.
 */
export async function restoreCommand(config: Config, args: string[]): Promise<number> {
  if (args.length !== 1) throw new AppError('validation_failed', 'usage: gridloop restore <backup directory>', { field: 'dir' });
  const r = await restoreStore(config, args[0]);
  for (const [table, expected, found] of r.countMismatches) console.log(`restore: table ${table} has ${found} rows, the backup had ${expected}`);
  for (const b of r.audit.broken) console.log(`restore: case ${b.number ?? b.caseId}: chain broken at event seq ${b.seq} (${b.reason})`);
  for (const sha of r.missingAttachments) console.log(`restore: attachment ${sha} is missing`);
  const ok = r.countMismatches.length === 0 && r.audit.broken.length === 0 && r.missingAttachments.length === 0;
  console.log(`restore: ${ok ? 'verified' : 'FAILED'}: ${Object.keys(r.manifest.counts).length} tables with the backup's row counts${ok ? '' : ' (see above)'}, ${r.audit.cases} cases and ${r.audit.events} events with intact chains, ${r.manifest.attachments} attachment files`);
  return ok ? 0 : 1;
}
