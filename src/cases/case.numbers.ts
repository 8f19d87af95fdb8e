import type { Ctx } from '../context.js';
import type { Db } from '../db/database.js';
import { localDate } from '../time/zoned-time.js';
import { caseRepository } from './case.repository.js';

/**
 * Case numbers: prefix, local date and a 6-digit serial of the day (WH20261130000042).
 *
 * SQLite: the serial comes from the day's row in case_number_counters, bumped inside the intake
 * transaction (SQLite serialises writers; a separate commit would cost a second fsync).
 *
 * PostgreSQL: the serial is a value of the sequence case_number_seq minus the day's base (the value
 * before the day's first number, recorded once in case_number_bases and kept in memory). nextval
 * takes no lock and is never rolled back, so intakes never queue on a counter row; a value taken
 * by an intake that then fails is lost: numbers may have gaps, which is acceptable (a number
 * identifies a case, it does not count them).
 *
 * Either way a counter behind the stored cases (a restore, a sequence reset) heals itself: an
 * insert that finds its number taken inserts nothing, `healSerials` moves the counter (or the
 * sequence) past the day's highest serial, and the intake takes the next one.
 */
export interface Numbering {
  prefix: string;
  day: string;
  /** The number without its serial: prefix and compact local date. */
  stem: string;
}

export function numberingOf(ctx: Ctx): Numbering {
  const prefix = ctx.app.config.caseNumberPrefix;
  const day = localDate(ctx.now, ctx.app.config.timeZone);
  return { prefix, day, stem: `${prefix}${day.replace(/-/g, '')}` };
}

export function caseNumber(n: Numbering, serial: number): string {
  return `${n.stem}${String(serial).padStart(6, '0')}`;
}

const bases = new WeakMap<object, Map<string, number>>();

async function dayBase(ctx: Ctx, db: Db, n: Numbering, candidate: number): Promise<number> {
  let known = bases.get(ctx.app.store);
  if (!known) bases.set(ctx.app.store, (known = new Map()));
  const key = `${n.prefix}|${n.day}`;
  const cached = known.get(key);
  if (cached !== undefined) return cached;
  const base = await caseRepository.dayBase(db, n.prefix, n.day, candidate);
  if (known.size > 1000) known.clear();
  known.set(key, base);
  return base;
}

/** The next serial of the day. Throws only what the store throws. */
export async function takeSerial(ctx: Ctx, db: Db, n: Numbering): Promise<number> {
  if (ctx.app.store.dialect !== 'postgres') return caseRepository.allocateSerial(db, n.prefix, n.day);
  for (;;) {
    const value = await caseRepository.nextSequenceValue(db);
    const base = await dayBase(ctx, db, n, value - 1);
    if (value > base) return value - base;
    // The sequence is behind the day's base (it was reset or restored): move it past the day's cases.
    await caseRepository.pushSequencePast(db, base + (await caseRepository.maxSerialUsed(db, n.stem)));
  }
}

/**
 * PostgreSQL: the next serial of the day and the id the new case will have, in one round trip;
 * null when the sequence is behind the day's base (then `takeSerial` heals it).
 */
export async function takeSerialAndCaseId(ctx: Ctx, n: Numbering): Promise<{ serial: number; caseId: number } | null> {
  const { value, caseId } = await caseRepository.nextSerialValueAndCaseId(ctx.db);
  const base = await dayBase(ctx, ctx.db, n, value - 1);
  return value > base ? { serial: value - base, caseId } : null;
}

/** Moves the day's counter (or the sequence) past the highest serial its stored cases use. */
export async function healSerials(ctx: Ctx, db: Db, n: Numbering): Promise<void> {
  const used = await caseRepository.maxSerialUsed(db, n.stem);
  if (ctx.app.store.dialect !== 'postgres') {
    if (used > 0) await caseRepository.raiseCounter(db, n.prefix, n.day, used);
    return;
  }
  const value = await caseRepository.nextSequenceValue(db);
  const base = await dayBase(ctx, db, n, value - 1);
  await caseRepository.pushSequencePast(db, base + used);
}
