import { Type, type Static } from 'typebox';
import { StringEnum, Nullable } from '../http/schemas.js';
import { AppError } from '../errors.js';
import type { Problem } from './open311.errors.js';

/** The six GeoReport v2 attribute datatypes. */
export const DATATYPES = ['string', 'number', 'datetime', 'text', 'singlevaluelist', 'multivaluelist'] as const;
export type Datatype = (typeof DATATYPES)[number];

/** mySociety's `automated`: the client must not ask the user for such an attribute. */
export const AUTOMATED = ['server_set', 'hidden_field'] as const;


/**
 * An extra question of a category (stored as JSON in categories.questions), published as a
 * service-definition attribute. `variable: false` marks an informational notice with no input.
 */
export const QuestionSchema = Type.Object({
  code: Type.String({ minLength: 1, maxLength: 64 }),
  datatype: StringEnum(DATATYPES),
  required: Type.Boolean(),
  datatype_description: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
  order: Type.Integer({ minimum: 1, maximum: 1000 }),
  description: Type.String({ minLength: 1, maxLength: 1000 }),
  values: Type.Optional(Type.Array(Type.Object({ key: Type.String({ minLength: 1, maxLength: 100 }), name: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }), { maxItems: 200 })),
  variable: Type.Optional(Type.Boolean()),
  automated: Type.Optional(StringEnum(AUTOMATED)),
}, { additionalProperties: false });
export type Question = Static<typeof QuestionSchema>;

const CODE = /^[A-Za-z0-9_.-]{1,64}$/;
const LIST_TYPES: readonly string[] = ['singlevaluelist', 'multivaluelist'];
export const MAX_ANSWER_LENGTH = 2000;

function questionProblems(q: Question, i: number): Problem[] {
  const at = (name: string) => `questions[${i}].${name}`;
  const problems: Problem[] = [];
  if (!CODE.test(q.code)) problems.push({ field: at('code'), message: `${at('code')} must be 1–64 letters, digits, "_", "." or "-"` });
  if (!(DATATYPES as readonly string[]).includes(q.datatype)) problems.push({ field: at('datatype'), message: `${at('datatype')} must be one of ${DATATYPES.join(', ')}` });
  if (!Number.isInteger(q.order) || q.order < 1) problems.push({ field: at('order'), message: `${at('order')} must be a positive integer` });
  if (!q.description?.trim()) problems.push({ field: at('description'), message: `${at('description')} must not be empty` });
  const isList = LIST_TYPES.includes(q.datatype);
  if (isList && !q.values?.length) problems.push({ field: at('values'), message: `${at('values')} must list the options of a ${q.datatype}` });
  if (!isList && q.values?.length) problems.push({ field: at('values'), message: `${at('values')} is only for singlevaluelist and multivaluelist` });
  const keys = (q.values ?? []).map((v) => v.key);
  if (keys.some((k) => !k || k.includes(','))) problems.push({ field: at('values'), message: `${at('values')} keys must be non-empty and contain no comma` });
  if (new Set(keys).size !== keys.length) problems.push({ field: at('values'), message: `${at('values')} keys must be unique` });
  if (q.variable === false && q.required) problems.push({ field: at('required'), message: `${at('required')}: an informational attribute (variable false) cannot be required` });
  return problems;
}

/**
 * Checks a category's question list: each question's shape, list options, and codes and orders
 * unique within the category. Returns the list normalised (sorted by order, optional fields
 * filled). Throws validation_failed listing every problem.
 */
export function validateQuestions(questions: Question[]): Question[] {
  const problems = questions.flatMap(questionProblems);
  const codes = questions.map((q) => q.code);
  const orders = questions.map((q) => q.order);
  if (new Set(codes).size !== codes.length) problems.push({ field: 'questions', message: 'question codes must be unique within a category' });
  if (new Set(orders).size !== orders.length) problems.push({ field: 'questions', message: 'question orders must be unique within a category' });
  if (problems.length > 0) throw new AppError('validation_failed', problems[0].message, { field: problems[0].field, problems });
  return [...questions].sort((a, b) => a.order - b.order).map(normaliseQuestion);
}

/** A question with its optional fields settled: no description padding, null datatype_description, only meaningful flags. */
export function normaliseQuestion(q: Question): Question {
  return {
    code: q.code,
    datatype: q.datatype,
    required: q.required,
    datatype_description: q.datatype_description ?? null,
    order: q.order,
    description: q.description.trim(),
    ...(q.values?.length ? { values: q.values.map((v) => ({ key: v.key, name: v.name })) } : {}),
    ...(q.variable === false ? { variable: false } : {}),
    ...(q.automated ? { automated: q.automated } : {}),
  };
}

/** Reads a category's stored question list; an unreadable value counts as no questions. */
export function parseQuestions(json: string): Question[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? (value as Question[]) : [];
  } catch {
    return [];
  }
}
