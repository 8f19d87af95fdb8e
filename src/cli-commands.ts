import type { AppContext } from './context.js';

/**
 * CLI commands contributed by domain areas (import-grids, demo, sweep …), keyed by name.
 * Each returns the exit code.
 */
export const cliCommands: Record<string, (app: AppContext, args: string[]) => Promise<number>> = {};
