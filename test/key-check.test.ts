import { readFileSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from './helpers.js';
import { loadConfig } from '../src/config.js';
import { createAppContext } from '../src/boot.js';
import { checkKeysAgainstStore } from '../src/privacy/key-check.js';
import { KEY_FILE } from '../src/privacy/keyring.js';

// Several instances (or a restart) on one store must use the keys the store was written with:
// `serve` compares fingerprints and refuses other keys instead of writing phones nobody can read.

describe('personal-data keys checked against the store', () => {
  let env: TestEnv;
  let file: { current: string; keys: Record<string, string>; hmac: string };

  beforeAll(async () => {
    env = await createTestEnv();
    file = JSON.parse(readFileSync(path.join(env.config.dataDir, KEY_FILE), 'utf8'));
    await checkKeysAgainstStore(env.app);
  });
  afterAll(async () => env?.close());

  /** Another process on the same store, with keys given in the environment. */
  async function withKeys(keys: string, hmac: string) {
    return createAppContext(loadConfig({
      GRIDLOOP_DATA_DIR: env.config.dataDir, DATABASE_URL: env.config.databaseUrl, GRIDLOOP_DEMO: '0', GRIDLOOP_PII_KEYS: keys, GRIDLOOP_PII_HMAC_KEY: hmac,
    }));
  }
  const fresh = () => randomBytes(32).toString('base64');
  const stored = async () => (await env.app.store.db.selectFrom('key_checks').select('name').orderBy('name').execute()).map((r) => r.name);

  it('records the fingerprints of the keys of the first start, never the keys', async () => {
    expect(await stored()).toEqual(['hmac', 'key:k1']);
    const rows = await env.app.store.db.selectFrom('key_checks').select('fingerprint').execute();
    for (const r of rows) expect([file.hmac, file.keys.k1]).not.toContain(r.fingerprint);
  });

  it('refuses an instance whose generated key file differs (same key id, other bytes, other search key)', async () => {
    const other = await withKeys(`k1:${fresh()}`, fresh());
    try {
      await expect(checkKeysAgainstStore(other)).rejects.toMatchObject({ code: 'config_invalid', message: expect.stringContaining('hmac, key:k1') });
    } finally {
      await other.close();
    }
  });

  it('refuses a different search-hash key alone', async () => {
    const other = await withKeys(`k1:${file.keys.k1}`, fresh());
    try {
      await expect(checkKeysAgainstStore(other)).rejects.toMatchObject({ code: 'config_invalid', message: expect.stringContaining('(hmac)') });
    } finally {
      await other.close();
    }
  });

  it('accepts the same keys, and a rotation that adds a new current key', async () => {
    const same = await withKeys(`k1:${file.keys.k1}`, file.hmac);
    const rotated = await withKeys(`k2:${fresh()},k1:${file.keys.k1}`, file.hmac);
    try {
      await expect(checkKeysAgainstStore(same)).resolves.toBeUndefined();
      await expect(checkKeysAgainstStore(rotated)).resolves.toBeUndefined();
      expect(await stored()).toEqual(['hmac', 'key:k1', 'key:k2']);
    } finally {
      await same.close();
      await rotated.close();
    }
  });
});
