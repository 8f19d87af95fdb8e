import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The shared reference folder beside the repository (`../shared`): reference texts and data sets. */
export const SHARED_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../shared');

export interface SharedFiles {
  /** Whether every requested file exists. */
  present: boolean;
  /** Absolute paths of the requested files, in the order asked. */
  paths: string[];
}

/**
 * Locates files under ../shared for a test (paths relative to it). When one is missing the test is
 * to be skipped with a message, except under CI=true, where a missing file is an error: this throws,
 * so the test file fails instead of passing silently with nothing tested. Use the result with
 * `describe.skipIf(!files.present)` or `it.skipIf(...)`.
 */
export function sharedFiles(...relative: string[]): SharedFiles {
  const paths = relative.map((r) => path.join(SHARED_DIR, r));
  const missing = paths.filter((p) => !existsSync(p));
  if (missing.length > 0) {
    const message = `missing from ../shared (${SHARED_DIR}): ${missing.map((p) => path.relative(SHARED_DIR, p)).join(', ')}`;
    if (isCi(process.env.CI)) throw new Error(`${message}; under CI=true the tests that need it fail instead of skipping`);
    console.warn(`${message}: skipping the tests that need it`);
  }
  return { present: missing.length === 0, paths };
}

/** Whether a CI variable's value means "running in CI" (anything but unset, empty, 0 or false). */
export function isCi(value: string | undefined): boolean {
  return value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';
}
