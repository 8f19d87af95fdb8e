import { createHmac } from 'node:crypto';
import type { AppContext } from '../context.js';
import { AppError } from '../errors.js';
import { keyCheckRepository } from './key-check.repository.js';
import { getKeyring } from './keyring.js';

const fingerprint = (key: Buffer) => createHmac('sha256', key).update('gridloop personal-data key check v1').digest('hex').slice(0, 32);

/**
 * Start hook of `serve`: compares this instance's personal-data keys with the fingerprints stored
 * by the instances (and starts) before it; records the keys not seen yet (a new key id after a
 * rotation). Throws config_invalid when the search-hash key or a key id's bytes differ: another
 * instance's data directory generated its own key file, or GRIDLOOP_PII_KEYS is wrong; starting
 * would write phones that the other instances cannot read, and search them with other hashes.
 */
export async function checkKeysAgainstStore(app: AppContext): Promise<void> {
  const ring = getKeyring(app);
  const mine = new Map([['hmac', fingerprint(ring.hmacKey)], ...[...ring.keys].map(([id, key]): [string, string] => [`key:${id}`, fingerprint(key)])]);
  const stored = await keyCheckRepository.list(app.store.db);
  const at = app.clock().toISOString();
  await keyCheckRepository.addMissing(app.store.db, [...mine].filter(([name]) => !stored.has(name)).map(([name, fp]) => ({ name, fingerprint: fp, created_at: at })));
  // Read again: an instance booting at the same moment may have recorded other keys first.
  const now = await keyCheckRepository.list(app.store.db);
  const wrong = [...mine].filter(([name, fp]) => now.get(name) !== fp).map(([name]) => name);
  if (wrong.length > 0) {
    throw new AppError('config_invalid', `the personal-data keys (${wrong.join(', ')}) differ from those this database was written with: give every instance the same GRIDLOOP_PII_KEYS and GRIDLOOP_PII_HMAC_KEY (or the pii-keys.json of the data directory that wrote it; see docs/SCALING.md)`);
  }
}
