import type { AppContext } from '../context.js';
import { blindIndex, decryptField, encryptField, type Keyring } from './crypto.js';
import { getKeyring } from './keyring.js';
import { maskIdNumber, maskPhone } from './mask.js';

/** A reporter's contact as given at intake, or as revealed to those allowed to see it. */
export interface Reporter {
  name: string | null;
  phone: string | null;
  idNumber: string | null;
}

/** The reporter columns of a case row as stored. */
export interface SealedReporter {
  reporter_name: string | null;
  reporter_phone: string | null;
  reporter_phone_enc: string | null;
  reporter_phone_hash: string | null;
  reporter_id_number: string | null;
  reporter_id_enc: string | null;
  reporter_id_hash: string | null;
}

/** A phone as digits only, without the +86 / 0086 prefix of a mainland mobile: what a search compares. */
export function normalisePhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  return /^(?:0086|86)1\d{10}$/.test(digits) ? digits.replace(/^(?:0086|86)/, '') : digits;
}

/** The search hash of a phone number (any spelling of one number gives one hash). */
export function phoneHash(ring: Keyring, phone: string): string {
  return blindIndex(ring, 'phone', normalisePhone(phone));
}

/** The search hash of an ID number. */
export function idNumberHash(ring: Keyring, id: string): string {
  return blindIndex(ring, 'id', id.trim().toUpperCase());
}

/**
 * The columns that store a reporter: the name as given, phone and ID number masked for display,
 * encrypted with the current key, and hashed for search.
 */
export function sealReporter(app: AppContext, r: Partial<Reporter> | undefined): SealedReporter {
  const ring = getKeyring(app);
  const phone = r?.phone?.trim() || null;
  const id = r?.idNumber?.trim().toUpperCase() || null;
  return {
    reporter_name: r?.name?.trim() || null,
    reporter_phone: phone ? maskPhone(phone) : null,
    reporter_phone_enc: phone ? encryptField(ring, phone) : null,
    reporter_phone_hash: phone ? phoneHash(ring, phone) : null,
    reporter_id_number: id ? maskIdNumber(id) : null,
    reporter_id_enc: id ? encryptField(ring, id) : null,
    reporter_id_hash: id ? idNumberHash(ring, id) : null,
  };
}

/**
 * The reporter of a case in clear, for those allowed to see it. A value whose key is no longer
 * configured (or that was altered) stays masked rather than failing the whole view.
 */
export function revealReporter(app: AppContext, row: Pick<SealedReporter, 'reporter_name' | 'reporter_phone' | 'reporter_phone_enc' | 'reporter_id_number' | 'reporter_id_enc'>): Reporter {
  const ring = getKeyring(app);
  const open = (enc: string | null, masked: string | null) => {
    if (!enc) return masked;
    try {
      return decryptField(ring, enc);
    } catch {
      return masked;
    }
  };
  return { name: row.reporter_name, phone: open(row.reporter_phone_enc, row.reporter_phone), idNumber: open(row.reporter_id_enc, row.reporter_id_number) };
}
