import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

/**
 * Field encryption of personal data at rest: AES-256-GCM with a fresh 96-bit IV per value, the key
 * id stored with the ciphertext (`enc1:<keyId>:<base64url(iv | tag | ciphertext)>`) so keys can
 * rotate: new values use the current key, older values stay readable while their key is listed.
 * Searching uses a keyed hash (HMAC-SHA-256) of the normalised value under a separate key that
 * does not rotate with the encryption keys.
 */
export interface Keyring {
  /** The key new values are encrypted with. */
  currentId: string;
  /** Every key that may still be needed to decrypt, by id (32 bytes each). */
  keys: ReadonlyMap<string, Buffer>;
  /** The key of the search hashes (32 bytes). */
  hmacKey: Buffer;
}

const PREFIX = 'enc1';

/** Encrypts a value with the keyring's current key. */
export function encryptField(ring: Keyring, plaintext: string): string {
  const key = ring.keys.get(ring.currentId);
  if (!key) throw new Error(`the current personal-data key "${ring.currentId}" is not in the keyring`);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(ring.currentId));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return `${PREFIX}:${ring.currentId}:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
}

/** The key id a stored value was encrypted with, or null when it is not an encrypted value. */
export function keyIdOf(stored: string): string | null {
  const parts = stored.split(':');
  return parts.length === 3 && parts[0] === PREFIX ? parts[1] : null;
}

/**
 * Decrypts a value written by `encryptField`. Throws when its key is no longer in the keyring or
 * the value was altered (the GCM tag does not match).
 */
export function decryptField(ring: Keyring, stored: string): string {
  const keyId = keyIdOf(stored);
  if (keyId === null) throw new Error('not an encrypted personal-data value');
  const key = ring.keys.get(keyId);
  if (!key) throw new Error(`personal-data key "${keyId}" is not configured: add it to GRIDLOOP_PII_KEYS to read older values`);
  const raw = Buffer.from(stored.split(':')[2], 'base64url');
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
  decipher.setAAD(Buffer.from(keyId));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
}

/** The search hash of a normalised value, under a purpose label (phone and ID hashes never collide). */
export function blindIndex(ring: Keyring, purpose: string, normalised: string): string {
  return createHmac('sha256', ring.hmacKey).update(`${purpose}\u0000${normalised}`).digest('hex');
}
