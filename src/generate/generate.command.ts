import { parseArgs } from 'node:util';
import type { AppContext } from '../context.js';
import { AppError } from '../errors.js';
import { generateHistory } from './generate.service.js';

/** `gridloop generate --cases N [--seed S] [--days D] [--batch B]`: writes N cases of history ending now. */
export async function generateCommand(app: AppContext, args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { cases: { type: 'string' }, seed: { type: 'string' }, days: { type: 'string' }, batch: { type: 'string' } }, strict: true });
  const int = (name: string, text: string | undefined, fallback: number, max: number) => {
    const n = text === undefined ? fallback : Number(text);
    if (!Number.isInteger(n) || n < 1 || n > max) throw new AppError('validation_failed', `--${name} must be a whole number from 1 to ${max}`, { field: name });
    return n;
  };
  if (values.cases === undefined) throw new AppError('validation_failed', 'generate needs --cases N', { field: 'cases' });
  const cases = int('cases', values.cases, 0, 100_000_000);
  const opts = { cases, seed: int('seed', values.seed, 1503, 2 ** 31), days: int('days', values.days, Math.min(3650, Math.max(30, Math.ceil(cases / 1000))), 3660), batch: int('batch', values.batch, 5000, 100_000), end: app.clock() };
  const started = performance.now();
  let last = 0;
  const result = await generateHistory(app, {
    ...opts,
    onProgress: (done, total) => {
      const now = performance.now();
      if (now - last < 2000 && done < total) return;
      last = now;
      const rate = done / ((now - started) / 1000);
      process.stderr.write(`generate: ${done}/${total} cases, ${Math.round(rate)} cases/s, ETA ${Math.round((total - done) / rate)} s\n`);
    },
  });
  const seconds = (performance.now() - started) / 1000;
  console.log(`generate: ${result.cases} cases, ${result.events} timeline events over ${opts.days} days in ${seconds.toFixed(1)} s (${Math.round(result.cases / seconds)} cases/s)`);
  return 0;
}
