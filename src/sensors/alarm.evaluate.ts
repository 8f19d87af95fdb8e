/**
 * Alarm rules as a pure state machine. A rule's condition for one device is true or false at each
 * reading; `forMinutes` asks for it to hold that long (in the readings' own time) before firing.
 *
 *   normal ──cond──▶ pending ──cond, held forMinutes──▶ firing ──¬cond──▶ normal (clear)
 *      └──cond, forMinutes = 0──────────────────────────▶ firing
 *   pending ──¬cond──▶ normal (nothing happened)
 */

export const ALARM_OPS = ['>', '>=', '<', '<='] as const;
export type AlarmOp = (typeof ALARM_OPS)[number];
export const ALARM_TYPES = ['threshold', 'rate', 'offline'] as const;
export type AlarmType = (typeof ALARM_TYPES)[number];
export type AlarmPhase = 'normal' | 'pending' | 'firing';

export interface AlarmSnapshot {
  state: AlarmPhase;
  /** When the condition became true (pending or firing); null when normal. */
  since: string | null;
}

export interface AlarmStep {
  next: AlarmSnapshot;
  /** fire: the alarm starts (open or attach to a case); clear: it ends; null: nothing to record. */
  event: 'fire' | 'clear' | null;
}

export function compare(value: number, op: AlarmOp, threshold: number): boolean {
  switch (op) {
    case '>': return value > threshold;
    case '>=': return value >= threshold;
    case '<': return value < threshold;
    case '<=': return value <= threshold;
  }
}

/** One step of the machine: the condition's truth at instant `at`, with the rule's `forMinutes`. */
export function stepAlarm(current: AlarmSnapshot, holds: boolean, at: string, forMinutes: number): AlarmStep {
  if (!holds) {
    if (current.state === 'firing') return { next: { state: 'normal', since: null }, event: 'clear' };
    return { next: { state: 'normal', since: null }, event: null };
  }
  if (current.state === 'firing') return { next: current, event: null };
  const since = current.state === 'pending' && current.since ? current.since : at;
  const heldMs = Date.parse(at) - Date.parse(since);
  if (heldMs >= forMinutes * 60_000) return { next: { state: 'firing', since }, event: 'fire' };
  return { next: { state: 'pending', since }, event: null };
}

/** Change per minute between two readings (rate-of-change rules); null when they share an instant. */
export function ratePerMinute(prev: { ts: string; value: number }, cur: { ts: string; value: number }): number | null {
  const minutes = (Date.parse(cur.ts) - Date.parse(prev.ts)) / 60_000;
  return minutes > 0 ? (cur.value - prev.value) / minutes : null;
}

/** Whether a device is offline for a rule: no reading (or, never seen, no registration) for `forMinutes`. */
export function isOffline(lastSeenAt: string | null, createdAt: string, now: Date, forMinutes: number): boolean {
  return now.getTime() - Date.parse(lastSeenAt ?? createdAt) >= forMinutes * 60_000;
}
