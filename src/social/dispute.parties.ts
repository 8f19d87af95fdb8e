import type { AppContext } from '../context.js';
import { AppError } from '../errors.js';
import { validIdCheckDigit } from '../privacy/scrub.js';
import { maskIdNumber, maskName, maskPhone } from '../privacy/mask.js';
import { revealReporter, sealReporter } from '../privacy/reporter.js';
import { isIsoDate } from '../time/local-date.js';
import type { PartyRow } from './social.repository.js';
import type { PartyIn } from './social.schema.js';

/**
 * Whether `id` is a valid 18-character resident ID number (GB 11643-1999): a real birth date in
 * characters 7–14 and the ISO 7064 MOD 11-2 check character.
 */
export function validIdNumber(id: string): boolean {
  if (!validIdCheckDigit(id)) return false;
  const birth = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
  return isIsoDate(birth);
}

/** Throws validation_failed naming `field` when a party's ID number is not a valid GB 11643 number. */
export function assertParty(p: PartyIn, field: string): void {
  if (p.idNumber && !validIdNumber(p.idNumber.trim().toUpperCase())) {
    throw new AppError('validation_failed', `${field}.idNumber is not a valid resident ID number (GB 11643 check digit or birth date)`, { field: `${field}.idNumber` });
  }
}

/** A party's columns: name as given, phone and ID number masked, encrypted and hashed (like reporters'). */
export function sealParty(app: AppContext, caseId: number, p: PartyIn, now: string) {
  const s = sealReporter(app, { name: p.name, phone: p.phone ?? null, idNumber: p.idNumber ?? null });
  return {
    case_id: caseId, role: p.role, name: p.name.trim(),
    phone: s.reporter_phone, phone_enc: s.reporter_phone_enc, phone_hash: s.reporter_phone_hash,
    id_number: s.reporter_id_number, id_enc: s.reporter_id_enc, id_hash: s.reporter_id_hash,
    created_at: now,
  };
}

/** Who the parties are, for 回流: their ID (else phone) hashes, sorted; null when none is known. */
export function partiesKey(parties: { id_hash: string | null; phone_hash: string | null }[]): string | null {
  const keys = parties.map((p) => p.id_hash ?? p.phone_hash).filter((k): k is string => !!k).sort();
  return keys.length ? keys.join('|') : null;
}

/** A party as shown: in clear to those allowed to see personal data, masked (name too) otherwise. */
export function presentParty(app: AppContext, row: PartyRow, personal: boolean) {
  if (personal) {
    const r = revealReporter(app, { reporter_name: row.name, reporter_phone: row.phone, reporter_phone_enc: row.phone_enc, reporter_id_number: row.id_number, reporter_id_enc: row.id_enc });
    return { id: row.id, role: row.role, name: row.name, phone: r.phone, idNumber: r.idNumber };
  }
  return { id: row.id, role: row.role, name: maskName(row.name) ?? '', phone: maskPhone(row.phone), idNumber: maskIdNumber(row.id_number) };
}
