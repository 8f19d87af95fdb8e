#!/usr/bin/env node
// `npm run bench` runs the quick suite; `npm run bench -- <name> [args]` runs one benchmark of
// bench/benches.ts in its own Node process (`--full`: large sizes; `--prof`: a CPU profile under
// bench/results/profiles). Benchmarks print their method, inputs and ratios against a baseline of
// the same run, and write JSON under bench/results/.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

const unregister = register();
const { BENCHES } = await import('../bench/benches.ts');
await unregister();

const args = process.argv.slice(2);
const prof = args.includes('--prof');
const rest = args.filter((a) => a !== '--prof');
const name = rest[0] && !rest[0].startsWith('-') ? rest.shift() : undefined;

function run(entry, benchArgs) {
  const file = fileURLToPath(new URL(`../bench/${entry.file}`, import.meta.url));
  const profile = prof ? ['--cpu-prof', '--cpu-prof-dir', fileURLToPath(new URL('../bench/results/profiles', import.meta.url))] : [];
  console.log(`\n== bench ${entry.name}: ${entry.summary}`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', ...profile, file, ...benchArgs], { stdio: 'inherit' });
  return result.status ?? 1;
}

if (name) {
  const entry = BENCHES.find((b) => b.name === name);
  if (!entry) {
    console.error(`unknown benchmark "${name}"; known: ${BENCHES.map((b) => b.name).join(', ')}`);
    process.exit(2);
  }
  process.exit(run(entry, rest));
}
let failed = 0;
for (const entry of BENCHES.filter((b) => b.quick)) failed += run(entry, rest) === 0 ? 0 : 1;
process.exit(failed ? 1 : 0);
