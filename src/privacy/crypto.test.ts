import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decryptField, encryptField, keyIdOf } from './crypto.js';
import { loadKeyring, parseKeyring } from './keyring.js';
import { normalisePhone, phoneHash } from './reporter.js';

const b64 = () => randomBytes(32).toString('base64');

describe('field encryption', () => {
  const k1 = b64();
  const hmac = b64();
  const ring1 = parseKeyring(`k1:${k1}`, hmac);

  it('round-trips, with a fresh IV each time and the key id stored with the value', () => {
    const a = encryptField(ring1, '13912345678');
    const b = encryptField(ring1, '13912345678');
    expect(a).not.toBe(b);
    expect(a).not.toContain('13912345678');
    expect(keyIdOf(a)).toBe('k1');
    expect(decryptField(ring1, a)).toBe('13912345678');
  });

  it('refuses an altered value', () => {
    const a = encryptField(ring1, '11010519491231002X');
    const raw = Buffer.from(a.split(':')[2], 'base64url');
    raw[raw.length - 1] ^= 1;
    expect(() => decryptField(ring1, `enc1:k1:${raw.toString('base64url')}`)).toThrow();
  });

  it('rotates: a new current key encrypts, the old one still decrypts, a dropped one says which key is missing', () => {
    const old = encryptField(ring1, '13700001111');
    const ring2 = parseKeyring(`k2:${b64()},k1:${k1}`, hmac);
    const fresh = encryptField(ring2, '13700001111');
    expect(keyIdOf(fresh)).toBe('k2');
    expect(decryptField(ring2, old)).toBe('13700001111');
    expect(() => decryptField(parseKeyring(`k2:${b64()}`, hmac), old)).toThrow(/"k1"/);
    // The search hash does not rotate with the encryption keys.
    expect(phoneHash(ring2, '13700001111')).toBe(phoneHash(ring1, '13700001111'));
  });

  it('hashes every spelling of one phone alike, and different phones differently', () => {
    expect(normalisePhone('+86 137-0000-1111')).toBe('13700001111');
    expect(phoneHash(ring1, '+86 137-0000-1111')).toBe(phoneHash(ring1, '13700001111'));
    expect(phoneHash(ring1, '13700001112')).not.toBe(phoneHash(ring1, '13700001111'));
  });

  it('refuses malformed key configuration', () => {
    expect(() => parseKeyring('k1:short', hmac)).toThrow(/32 bytes/);
    expect(() => parseKeyring(`k1:${k1}`, undefined)).toThrow(/GRIDLOOP_PII_HMAC_KEY/);
    expect(() => parseKeyring(`:${k1}`, hmac)).toThrow(/id:base64/);
  });
});

describe('the generated key file', () => {
  it('is created once, readable only by its owner, and read back the same', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'gridloop-keys-'));
    const first = await loadKeyring({ dataDir, privacy: { retentionDays: 0 } });
    const file = path.join(dataDir, 'pii-keys.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const second = await loadKeyring({ dataDir, privacy: { retentionDays: 0 } });
    const value = encryptField(first, '13912345678');
    expect(decryptField(second, value)).toBe('13912345678');
    expect(JSON.parse(readFileSync(file, 'utf8')).current).toBe('k1');
  });
});
