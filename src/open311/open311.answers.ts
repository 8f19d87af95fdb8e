import type { Problem } from './open311.errors.js';
import { MAX_ANSWER_LENGTH, type Question } from './open311.questions.js';
import { parseW3cDatetime } from '../time/zoned-time.js';

/** A validated answer: text, a number, or the keys chosen in a multivaluelist. */
export type Answer = string | number | string[];

const HTML = /<\s*\/?\s*[A-Za-z!?][^>]*>/;
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** Whether text looks like HTML or markup (the spec forbids HTML and code in descriptions). */
export function containsHtml(text: string): boolean {
  return HTML.test(text);
}

function textProblem(code: string, value: string, multiline: boolean): string | null {
  if (value.length > MAX_ANSWER_LENGTH) return `attribute[${code}] must be at most ${MAX_ANSWER_LENGTH} characters`;
  if (!multiline && /[\r\n]/.test(value)) return `attribute[${code}] is a string and must not contain line breaks (use a text attribute)`;
  if (containsHtml(value)) return `attribute[${code}] must not contain HTML`;
  return null;
}

function checkOne(q: Question, raw: string | string[], timeZone: string): { value?: Answer; problem?: string } {
  const keys = new Set((q.values ?? []).map((v) => v.key));
  if (q.datatype === 'multivaluelist') {
    const chosen = [...new Set((Array.isArray(raw) ? raw : [raw]).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean))];
    const unknown = chosen.filter((k) => !keys.has(k));
    if (unknown.length) return { problem: `attribute[${q.code}] has unknown keys ${unknown.join(', ')}; allowed: ${[...keys].join(', ')}` };
    return { value: chosen };
  }
  if (Array.isArray(raw) && raw.length > 1) return { problem: `attribute[${q.code}] takes one value (it is a ${q.datatype})` };
  const value = (Array.isArray(raw) ? raw[0] : raw).trim();
  switch (q.datatype) {
    case 'number':
      return NUMBER.test(value) && Number.isFinite(Number(value)) ? { value: Number(value) } : { problem: `attribute[${q.code}] must be a number, got "${value.slice(0, 40)}"` };
    case 'datetime':
      return parseW3cDatetime(value, timeZone) ? { value } : { problem: `attribute[${q.code}] must be an ISO 8601 datetime, got "${value.slice(0, 40)}"` };
    case 'singlevaluelist':
      return keys.has(value) ? { value } : { problem: `attribute[${q.code}] must be one of ${[...keys].join(', ')}, got "${value.slice(0, 40)}"` };
    case 'string':
    case 'text': {
      const problem = textProblem(q.code, value, q.datatype === 'text');
      return problem ? { problem } : { value };
    }
  }
}

function isEmpty(raw: string | string[] | undefined): boolean {
  if (raw === undefined) return true;
  return (Array.isArray(raw) ? raw : [raw]).every((v) => v.trim() === '');
}

/**
 * Checks submitted `attribute[CODE]` values against a service's questions: required ones present,
 * list keys known, numbers and datetimes well formed, no HTML. Attributes the service does not
 * define, and informational ones, are ignored. Returns the answers by code and every problem.
 */
export function validateAnswers(questions: Question[], submitted: Record<string, string | string[]>, timeZone: string): { answers: Record<string, Answer>; problems: Problem[] } {
  const answers: Record<string, Answer> = {};
  const problems: Problem[] = [];
  for (const q of questions) {
    if (q.variable === false) continue;
    const raw = submitted[q.code];
    if (isEmpty(raw)) {
      if (q.required) problems.push({ field: `attribute[${q.code}]`, message: `attribute[${q.code}] is required: ${q.description}` });
      continue;
    }
    const result = checkOne(q, raw as string | string[], timeZone);
    if (result.problem) problems.push({ field: `attribute[${q.code}]`, message: result.problem });
    else if (result.value !== undefined) answers[q.code] = result.value;
  }
  return { answers, problems };
}
