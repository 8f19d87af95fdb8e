import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { AppContext } from '../context.js';
import type { Config } from '../config.js';
import { AppError } from '../errors.js';
import type { Keyring } from './crypto.js';

/** The generated key file, used when no key is configured (so `npm start` needs no setup). */
export const KEY_FILE = 'pii-keys.json';

function key32(text: string, what: string): Buffer {
  const key = Buffer.from(text, 'base64');
  if (key.length !== 32) throw new AppError('config_invalid', `${what} must be 32 bytes in base64 (e.g. \`openssl rand -base64 32\`)`);
  return key;
}

/**
 * Parses `GRIDLOOP_PII_KEYS` ("id:base64,id:base64", the first is current) and
 * `GRIDLOOP_PII_HMAC_KEY`. Throws config_invalid.
 */
export function parseKeyring(keys: string, hmacKey: string | undefined): Keyring {
  const entries = keys.split(',').map((s) => s.trim()).filter(Boolean).map((entry) => {
    const at = entry.indexOf(':');
    const id = entry.slice(0, at);
    if (at < 1 || !/^[A-Za-z0-9_-]{1,32}$/.test(id)) throw new AppError('config_invalid', 'GRIDLOOP_PII_KEYS must be a list of id:base64-key, e.g. k2:…,k1:…');
    return [id, key32(entry.slice(at + 1), `GRIDLOOP_PII_KEYS key "${id}"`)] as const;
  });
  if (entries.length === 0) throw new AppError('config_invalid', 'GRIDLOOP_PII_KEYS names no key');
  if (!hmacKey) throw new AppError('config_invalid', 'GRIDLOOP_PII_HMAC_KEY is required with GRIDLOOP_PII_KEYS (it keeps phone searches working across key rotations)');
  return { currentId: entries[0][0], keys: new Map(entries), hmacKey: key32(hmacKey, 'GRIDLOOP_PII_HMAC_KEY') };
}

/** Reads the data dir's key file, creating it (mode 0600) with fresh random keys on first use. */
async function keyFile(dataDir: string): Promise<Keyring> {
  const file = path.join(dataDir, KEY_FILE);
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    await fs.mkdir(dataDir, { recursive: true });
    const fresh = { current: 'k1', keys: { k1: randomBytes(32).toString('base64') }, hmac: randomBytes(32).toString('base64') };
    // 'wx': two processes starting at once cannot both write one; the loser reads the winner's.
    await fs.writeFile(file, `${JSON.stringify(fresh, null, 2)}\n`, { mode: 0o600, flag: 'wx' }).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'EEXIST') throw e;
    });
    text = await fs.readFile(file, 'utf8');
  }
  const parsed = JSON.parse(text) as { current: string; keys: Record<string, string>; hmac: string };
  const ordered = [parsed.current, ...Object.keys(parsed.keys).filter((id) => id !== parsed.current)];
  return parseKeyring(ordered.map((id) => `${id}:${parsed.keys[id]}`).join(','), parsed.hmac);
}

/** The keyring from configuration, else from the data dir's key file. Throws config_invalid. */
export function loadKeyring(config: Pick<Config, 'dataDir' | 'privacy'>): Promise<Keyring> {
  if (config.privacy.keys) return Promise.resolve(parseKeyring(config.privacy.keys, config.privacy.hmacKey));
  return keyFile(config.dataDir);
}

const KEYRING = 'privacy.keyring';

/** Boot step: loads the keyring into the app (every command that opens the store has it). */
export async function keyringBootStep(app: AppContext): Promise<void> {
  app.services.set(KEYRING, await loadKeyring(app.config));
}

/** The app's keyring (loaded at boot). */
export function getKeyring(app: AppContext): Keyring {
  const ring = app.services.get(KEYRING) as Keyring | undefined;
  if (!ring) throw new Error('the personal-data keyring is not loaded (keyringBootStep)');
  return ring;
}
