import type { LocalParts } from '../time/zoned-time.js';

/** A routing rule as the matcher sees it. Null fields match anything. */
export interface RoutingRule {
  id: number;
  position: number;
  name: string;
  categoryCode: string | null;
  classCode: string | null;
  /** Org unit whose subtree the case must lie in. */
  orgCode: string | null;
  channel: string | null;
  /** ISO weekdays (1 = Monday … 7 = Sunday) the rule applies on. */
  weekdays: number[] | null;
  /** Local time window "HH:MM"; may wrap midnight (22:00–06:00). */
  timeFrom: string | null;
  timeTo: string | null;
  departmentCode: string;
}

/** What routing needs to know about a case. */
export interface RoutingInput {
  categoryCode: string;
  classCode: string;
  /** Materialised path of the case's grid (or deepest known unit). */
  orgPath: string;
  channel: string;
  local: Pick<LocalParts, 'weekday' | 'hour' | 'minute'>;
}

export interface RuleVerdict {
  ruleId: number;
  name: string;
  matched: boolean;
  /** Why the rule did (all conditions) or did not (the first failing condition) match. */
  reasons: string[];
}

const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Checks one rule against a case and says why, condition by condition. */
export function evaluateRule(rule: RoutingRule, input: RoutingInput): RuleVerdict {
  const reasons: string[] = [];
  const fail = (why: string): RuleVerdict => ({ ruleId: rule.id, name: rule.name, matched: false, reasons: [why] });
  if (rule.categoryCode !== null) {
    if (rule.categoryCode !== input.categoryCode) return fail(`category ${input.categoryCode} ≠ ${rule.categoryCode}`);
    reasons.push(`category = ${rule.categoryCode}`);
  }
  if (rule.classCode !== null) {
    if (rule.classCode !== input.classCode) return fail(`class ${input.classCode} ≠ ${rule.classCode}`);
    reasons.push(`class = ${rule.classCode}`);
  }
  if (rule.orgCode !== null) {
    if (!input.orgPath.includes(`/${rule.orgCode}/`)) return fail(`location is not under org unit ${rule.orgCode}`);
    reasons.push(`location under ${rule.orgCode}`);
  }
  if (rule.channel !== null) {
    if (rule.channel !== input.channel) return fail(`channel ${input.channel} ≠ ${rule.channel}`);
    reasons.push(`channel = ${rule.channel}`);
  }
  if (rule.weekdays !== null) {
    if (!rule.weekdays.includes(input.local.weekday)) return fail(`weekday ${input.local.weekday} not in ${rule.weekdays.join(',')}`);
    reasons.push(`weekday ${input.local.weekday} in ${rule.weekdays.join(',')}`);
  }
  if (rule.timeFrom !== null && rule.timeTo !== null) {
    const now = input.local.hour * 60 + input.local.minute;
    const from = minutes(rule.timeFrom);
    const to = minutes(rule.timeTo);
    const inside = from <= to ? now >= from && now < to : now >= from || now < to;
    const hhmm = `${String(input.local.hour).padStart(2, '0')}:${String(input.local.minute).padStart(2, '0')}`;
    if (!inside) return fail(`time ${hhmm} outside ${rule.timeFrom}–${rule.timeTo}`);
    reasons.push(`time ${hhmm} within ${rule.timeFrom}–${rule.timeTo}`);
  }
  if (reasons.length === 0) reasons.push('rule has no conditions (catch-all)');
  return { ruleId: rule.id, name: rule.name, matched: true, reasons };
}

/**
 * First-match-wins routing over rules ordered by position. Returns the matched rule (or null) and
 * the verdict of every rule evaluated up to and including the match ("explain").
 */
export function matchRoute(rules: RoutingRule[], input: RoutingInput): { rule: RoutingRule | null; trace: RuleVerdict[] } {
  const trace: RuleVerdict[] = [];
  const ordered = [...rules].sort((a, b) => a.position - b.position || a.id - b.id);
  for (const rule of ordered) {
    const verdict = evaluateRule(rule, input);
    trace.push(verdict);
    if (verdict.matched) return { rule, trace };
  }
  return { rule: null, trace };
}
