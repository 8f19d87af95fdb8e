import { createHash } from 'node:crypto';

/** The fields of a timeline event that its hash covers, in their canonical order. */
export interface HashedEvent {
  case_id: number;
  seq: number;
  at: string;
  actor_kind: string;
  actor_id: number;
  actor_name: string;
  actor_role: string;
  action: string;
  from_status: string | null;
  to_status: string | null;
  note: string | null;
  note_public: number | boolean;
  data: string;
}

/** The hash "before" a case's first event. */
export const GENESIS = '';

/**
 * The canonical serialisation of an event: a JSON array of its fields in a fixed order, numbers as
 * numbers, `note_public` as 0/1, so that SQLite and PostgreSQL rows of the same event agree.
 * (The database id is left out: it is not part of what happened, and a restore may renumber it.)
 */
export function canonicalEvent(e: HashedEvent): string {
  return JSON.stringify(['gridloop-event-v1', Number(e.case_id), Number(e.seq), e.at, e.actor_kind, Number(e.actor_id), e.actor_name, e.actor_role, e.action, e.from_status, e.to_status, e.note, e.note_public ? 1 : 0, e.data]);
}

/** SHA-256 (hex) of the previous event's hash and this event's canonical form: the chain link. */
export function eventHash(previous: string, e: HashedEvent): string {
  return createHash('sha256').update(previous).update('\n').update(canonicalEvent(e)).digest('hex');
}

export interface BrokenLink {
  caseId: number;
  seq: number;
  reason: 'hash_mismatch' | 'missing_hash' | 'seq_gap';
}

/**
 * Checks one case's events (in seq order): seq runs 1, 2, 3 … and each stored hash equals the
 * hash of its predecessor's hash and its own fields. Returns the first broken link, or null.
 */
export function firstBrokenLink(events: (HashedEvent & { hash: string | null })[]): BrokenLink | null {
  let previous = GENESIS;
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    if (Number(e.seq) !== i + 1) return { caseId: e.case_id, seq: Number(e.seq), reason: 'seq_gap' };
    if (!e.hash) return { caseId: e.case_id, seq: e.seq, reason: 'missing_hash' };
    if (eventHash(previous, e) !== e.hash) return { caseId: e.case_id, seq: e.seq, reason: 'hash_mismatch' };
    previous = e.hash;
  }
  return null;
}
