import { parseArgs } from 'node:util';
import type { AppContext } from './context.js';
import { makeCtx } from './context.js';
import { systemActor } from './auth/actor.js';
import { AppError } from './errors.js';
import { importGridsFromFile } from './grids/grid.import.js';
import { demoCommand } from './demo/demo.commands.js';
import { workflowsMarkdown } from './cases/workflow/workflow.docs.js';
import { sweepLights } from './cases/case.sweeper.js';

/**
 * CLI commands contributed by domain areas (import-grids, demo, sweep …), keyed by name.
 * Each returns the exit code.
 */
export const cliCommands: Record<string, (app: AppContext, args: string[]) => Promise<number>> = {
  demo: (app, args) => demoCommand(app, args),

  async 'import-grids'(app, args) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { replace: { type: 'boolean' }, property: { type: 'string' }, 'dry-run': { type: 'boolean' }, encoding: { type: 'string' } }, strict: true });
    const file = positionals[0];
    if (!file) throw new AppError('validation_failed', 'import-grids needs a file: gridloop import-grids <file.geojson|file.shp>', { field: 'file' });
    const report = await importGridsFromFile(makeCtx(app, systemActor()), file, {
      mode: values.replace ? 'replace' : 'add', communityProperty: values.property, dryRun: values['dry-run'], encoding: values.encoding,
    });
    console.log(JSON.stringify(report, null, 2));
    return 0;
  },

  /** One SLA sweep now (what `serve` runs every GRIDLOOP_SWEEP_SECONDS): prints what it changed. */
  async sweep(app) {
    const r = await sweepLights(app);
    console.log(`sweep: examined ${r.examined}, lights changed ${r.changed}, stages turned red ${r.overdue}, escalated ${r.escalated}`);
    return 0;
  },

  /** Prints docs/WORKFLOWS.md: the built-in flows as Mermaid diagrams. */
  async workflows() {
    process.stdout.write(workflowsMarkdown());
    return 0;
  },
};
