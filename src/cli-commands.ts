import { parseArgs } from 'node:util';
import type { AppContext } from './context.js';
import { makeCtx } from './context.js';
import { systemActor } from './auth/actor.js';
import { AppError } from './errors.js';
import { importGridsFromFile } from './grids/grid.import.js';
import { readGridFile } from './grids/grid.file.js';
import { importOrgUnits } from './org/org.import.js';
import { demoCommand } from './demo/demo.commands.js';
import { generateCommand } from './generate/generate.command.js';
import { workflowsMarkdown } from './cases/workflow/workflow.docs.js';
import { sweepLights } from './cases/case.sweeper.js';
import { verifyAuditTrail } from './cases/case.audit.verify.js';
import { backupCommand } from './backup/backup.commands.js';
import { runRetention } from './privacy/retention.js';
import { readFile } from 'node:fs/promises';
import { importLegacyCsv } from './catalogue/legacy.service.js';
import { importCategoriesFile } from './catalogue/category.admin.js';
import { importCasesCommand } from './history/history.commands.js';
import { importDevicesCsv } from './sensors/device.import.js';
import { simulateSensorsCommand } from './demo/simulate.command.js';

/**
 * CLI commands contributed by domain areas (import-grids, demo, sweep …), keyed by name.
 * Each returns the exit code.
 */
export const cliCommands: Record<string, (app: AppContext, args: string[]) => Promise<number>> = {
  demo: (app, args) => demoCommand(app, args),
  generate: (app, args) => generateCommand(app, args),
  backup: (app, args) => backupCommand(app, args),
  'import-cases': (app, args) => importCasesCommand(app, args),
  'simulate-sensors': (app, args) => simulateSensorsCommand(app, args),

  async 'import-grids'(app, args) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { replace: { type: 'boolean' }, property: { type: 'string' }, 'dry-run': { type: 'boolean' }, encoding: { type: 'string' }, repair: { type: 'boolean' } }, strict: true });
    const file = positionals[0];
    if (!file) throw new AppError('validation_failed', 'import-grids needs a file: gridloop import-grids <file.geojson|file.shp>', { field: 'file' });
    const report = await importGridsFromFile(makeCtx(app, systemActor()), file, {
      mode: values.replace ? 'replace' : 'add', communityProperty: values.property, dryRun: values['dry-run'], encoding: values.encoding, repair: values.repair,
    });
    const { grids, ...rest } = report;
    console.log(JSON.stringify({ ...rest, grids: grids.length > 50 ? `${grids.length} grids` : grids }, null, 2));
    for (const c of report.repairs) console.log(`repaired feature ${c.feature}: ${c.message}`);
    console.log(`import-grids: ${report.imported} grids imported (${report.created} new, ${report.updated} updated)${report.dryRun ? ' (dry run: nothing written)' : ''}${report.repairs.length ? `, ${report.repairs.length} repairs` : ''}`);
    return 0;
  },

  /**
   * `import-org-units FILE [--repair] [--replace] [--dry-run]`: districts, streets, communities and
   * their outlines; `--replace` also deletes units absent from the file when nothing points at them.
   */
  async 'import-org-units'(app, args) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { repair: { type: 'boolean' }, replace: { type: 'boolean' }, 'dry-run': { type: 'boolean' }, encoding: { type: 'string' }, tolerance: { type: 'string' } }, strict: true });
    const file = positionals[0];
    if (!file) throw new AppError('validation_failed', 'import-org-units needs a file: gridloop import-org-units <file.geojson|file.shp> [--repair]', { field: 'file' });
    const toleranceM2 = values.tolerance === undefined ? undefined : Number(values.tolerance);
    if (toleranceM2 !== undefined && !(toleranceM2 >= 0)) throw new AppError('validation_failed', '--tolerance is a number of m²', { field: 'tolerance' });
    const r = await importOrgUnits(makeCtx(app, systemActor()), await readGridFile(file, { encoding: values.encoding }), { repair: values.repair, replace: values.replace, dryRun: values['dry-run'], toleranceM2 });
    for (const c of r.repairs) console.log(`repaired feature ${c.feature}: ${c.message}`);
    console.log(`import-org-units: ${r.imported} units imported (${r.added} new, ${r.updated} updated, ${r.outlines} outlines${values.replace ? `, ${r.removed.length} removed` : ''})${r.dryRun ? ' (dry run: nothing written)' : ''}${r.repairs.length ? `, ${r.repairs.length} repairs` : ''}`);
    return 0;
  },

  /**
   * `import-categories FILE.json`: local categories from a JSON array of POST /categories bodies;
   * codes already present are left alone (so the file can be run again). Prints one line each.
   */
  async 'import-categories'(app, args) {
    const file = args[0];
    if (!file) throw new AppError('validation_failed', 'import-categories needs a file: gridloop import-categories <categories.json>', { field: 'file' });
    const r = await importCategoriesFile(makeCtx(app, systemActor()), JSON.parse(await readFile(file, 'utf8')) as unknown);
    console.log(`import-categories: ${r.created.length} categories created, ${r.existing.length} already there`);
    return 0;
  },

  /** `import-legacy-codes FILE.csv`: legacy category codes → current categories (one transaction; every bad line listed). */
  async 'import-legacy-codes'(app, args) {
    const file = args[0];
    if (!file) throw new AppError('validation_failed', 'import-legacy-codes needs a file: gridloop import-legacy-codes <mapping.csv>', { field: 'file' });
    const r = await importLegacyCsv(makeCtx(app, systemActor()), await readFile(file, 'utf8'));
    console.log(`import-legacy-codes: ${r.imported} mappings imported`);
    return 0;
  },

  /**
   * `import-devices <file.csv>`: registers (or updates) devices from a CSV with a header naming
   * id, kind, lon, lat and optionally name, department (code), status. Exit 1 when a line failed.
   */
  async 'import-devices'(app, args) {
    const { positionals } = parseArgs({ args, allowPositionals: true, options: {}, strict: true });
    if (!positionals[0]) throw new AppError('validation_failed', 'import-devices needs a file: gridloop import-devices <devices.csv>', { field: 'file' });
    const r = await importDevicesCsv(makeCtx(app, systemActor()), positionals[0]);
    for (const f of r.failed) console.log(`line ${f.line}: ${f.error}`);
    console.log(`import-devices: ${r.created} registered, ${r.updated} updated, ${r.failed.length} failed`);
    return r.failed.length === 0 ? 0 : 1;
  },

  /** One SLA sweep now (what `serve` runs every GRIDLOOP_SWEEP_SECONDS): prints what it changed. */
  async sweep(app) {
    const r = await sweepLights(app);
    console.log(`sweep: examined ${r.examined}, lights changed ${r.changed}, stages turned red ${r.overdue}, escalated ${r.escalated}`);
    return 0;
  },

  /**
   * `retention [--days N]`: anonymises the reporters of cases closed more than N days ago
   * (GRIDLOOP_RETENTION_DAYS by default; 0 = off) and prints how many.
   */
  async retention(app, args) {
    const { values } = parseArgs({ args, options: { days: { type: 'string' } }, allowPositionals: false });
    const days = values.days === undefined ? app.config.privacy.retentionDays : Number(values.days);
    if (!Number.isInteger(days) || days < 0) throw new AppError('validation_failed', '--days must be a whole number of days (0 = off)', { field: 'days' });
    const r = await runRetention(app, days);
    console.log(r.cutoff ? `retention: anonymised the reporters of ${r.anonymised} cases closed before ${r.cutoff} (${r.days} days)` : 'retention: off (set GRIDLOOP_RETENTION_DAYS or pass --days N)');
    return 0;
  },

  /**
   * `audit verify`: checks every case's timeline hash chain. Exit 0 when all are intact; 1, with
   * one line per broken case naming its number and first broken event, when any is not.
   */
  async audit(app, args) {
    if (args[0] !== 'verify') throw new AppError('validation_failed', 'usage: gridloop audit verify', { field: 'subcommand' });
    const r = await verifyAuditTrail(app.store.db);
    for (const b of r.broken) console.log(`audit: case ${b.number ?? '(missing)'} (id ${b.caseId}): chain broken at event seq ${b.seq} (${b.reason.replace('_', ' ')})`);
    console.log(r.broken.length === 0 ? `audit: ${r.cases} cases, ${r.events} events: every chain intact` : `audit: ${r.broken.length} of ${r.cases} cases have a broken chain`);
    return r.broken.length === 0 ? 0 : 1;
  },

  /** Prints docs/WORKFLOWS.md: the built-in flows as Mermaid diagrams. */
  async workflows() {
    process.stdout.write(workflowsMarkdown());
    return 0;
  },
};
