// Child process of test/loop-race.test.ts: `node --import tsx test/support/race-writer.ts`.
// Opens the store named by GRIDLOOP_DATA_DIR / DATABASE_URL on its own connection(s) and, for each
// case id in RACE_CASES, dispatches it as RACE_ACTOR to department RACE_DEPARTMENT at the version
// in RACE_VERSION, each round when the parent says `begin <id>`. A barrier sits between the
// transition's read of the case and its write: after the read the child prints `read <id> <version>` and waits for the parent's `go <id>` on stdin, so
// both children have read the same version before either writes (on PostgreSQL; on SQLite the
// parent lets the first go once both have started, see the test). Before each transition it prints
// `start <id>`; after it, one JSON result.
import { createInterface } from 'node:readline';
import { loadConfig } from '../../src/config.js';
import { createAppContext } from '../../src/boot.js';
import { makeCtx } from '../../src/context.js';
import type { Actor } from '../../src/auth/actor.js';
import { caseRepository } from '../../src/cases/case.repository.js';
import { transitionCase } from '../../src/cases/case.transition.js';
import { translateDbError } from '../../src/db/errors.js';

const caseIds = (process.env.RACE_CASES ?? '').split(',').map(Number);
const version = Number(process.env.RACE_VERSION);
const departmentId = Number(process.env.RACE_DEPARTMENT);
const actor = JSON.parse(process.env.RACE_ACTOR ?? '{}') as Actor;

/** One-shot signals from the parent's stdin: `begin <id>` (start that round) and `go <id>` (write). */
const signals = new Map<string, { promise: Promise<void>; fire: () => void }>();
function signal(name: string): Promise<void> {
  if (!signals.has(name)) {
    let fire: () => void = () => {};
    const promise = new Promise<void>((resolve) => (fire = resolve));
    signals.set(name, { promise, fire });
  }
  return signals.get(name)!.promise; // set just above
}
createInterface({ input: process.stdin }).on('line', (line) => {
  void signal(line);
  signals.get(line)?.fire();
});

// The barrier: the first read of each raced case inside the transition waits for the parent.
const read = caseRepository.findInScope.bind(caseRepository);
const waited = new Set<number>();
caseRepository.findInScope = async (...args: Parameters<typeof read>) => {
  const row = await read(...args);
  if (row && caseIds.includes(row.id) && !waited.has(row.id)) {
    waited.add(row.id);
    process.stdout.write(`read ${row.id} ${row.version}\n`);
    await signal(`go ${row.id}`);
  }
  return row;
};

const config = loadConfig({ GRIDLOOP_DATA_DIR: process.env.GRIDLOOP_DATA_DIR, DATABASE_URL: process.env.DATABASE_URL || undefined, GRIDLOOP_DEMO: '0' });
const app = await createAppContext(config);
process.stdout.write('ready\n');
for (const id of caseIds) {
  // Rounds run in lockstep: the parent says `begin` once both racers are ready (the store's boot
  // writes are done) or have finished the previous round.
  await signal(`begin ${id}`);
  process.stdout.write(`start ${id}\n`);
  try {
    const row = await transitionCase(makeCtx(app, actor), id, { action: 'dispatch', version, departmentId });
    process.stdout.write(`${JSON.stringify({ id, ok: true, version: row.version, departmentId: row.department_id })}\n`);
  } catch (err) {
    // Report what the HTTP layer would see: driver errors pass through the same translation.
    const e = translateDbError(err) as { code?: string; message?: string };
    process.stdout.write(`${JSON.stringify({ id, ok: false, code: e.code ?? 'unknown', message: e.message ?? String(err) })}\n`);
  }
}
await app.close();
process.exit(0);
