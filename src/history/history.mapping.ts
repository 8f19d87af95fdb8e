import { Type, type Static } from 'typebox';
import { Ajv } from 'ajv';
import { AppError } from '../errors.js';
import { CHANNELS } from '../cases/case.channels.js';
import { compileTimeFormat } from './history.time.js';

const Column = Type.String({ minLength: 1, maxLength: 200 });

/**
 * How a history CSV maps onto cases (`import-cases --mapping`): which column holds what, the
 * zone its times are in, free-text types → category codes, which statuses mean closed. Every key
 * is checked; unknown keys are refused.
 */
export const HistoryMappingSchema = Type.Object({
  columns: Type.Object({
    sourceId: Column,
    createdAt: Column,
    closedAt: Type.Optional(Column),
    status: Type.Optional(Column),
    /** A free-text type mapped through `types`. */
    type: Type.Optional(Column),
    /** A category code (current or legacy); wins over `type` when the row has one. */
    category: Type.Optional(Column),
    lon: Type.Optional(Column),
    lat: Type.Optional(Column),
    address: Type.Optional(Column),
    description: Type.Optional(Column),
    channel: Type.Optional(Column),
    /** A department code of this store. */
    department: Type.Optional(Column),
    /** The due date the old system set; on-time closure is judged against it. */
    dueAt: Type.Optional(Column),
  }, { additionalProperties: false }),
  timeZone: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
  timeFormat: Type.Optional(Type.String({ minLength: 4, maxLength: 60 })),
  types: Type.Optional(Type.Record(Type.String(), Type.String({ minLength: 1, maxLength: 40 }))),
  closedStatuses: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 60 }), { maxItems: 50 })),
  /** Source channel values → our channels; a value neither mapped nor one of ours becomes `defaultChannel`. */
  channels: Type.Optional(Type.Record(Type.String(), Type.Union(CHANNELS.map((c) => Type.Literal(c))))),
  defaultChannel: Type.Optional(Type.Union(CHANNELS.map((c) => Type.Literal(c)))),
}, { additionalProperties: false });

export type HistoryMapping = Static<typeof HistoryMappingSchema>;

const check = new Ajv({ allErrors: true, strict: false }).compile(HistoryMappingSchema as object);

function validZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * Checks a mapping (parsed JSON): shape, no unknown key, a real time zone, a usable timeFormat,
 * and a way to find the category (`type` with `types`, or `category`). Throws validation_failed
 * listing every problem by its JSON path.
 */
export function parseHistoryMapping(value: unknown): HistoryMapping {
  const problems = check(value) ? [] : (check.errors ?? []).map((e) => {
    const extra = (e.params as { additionalProperty?: string }).additionalProperty;
    return `${e.instancePath || '/'}: ${e.message}${extra ? ` "${extra}"` : ''}`;
  });
  if (problems.length > 0) throw new AppError('validation_failed', `the mapping is not valid: ${problems.join('; ')}`, { field: 'mapping', problems });
  const mapping = value as HistoryMapping;
  if (mapping.timeZone && !validZone(mapping.timeZone)) problems.push(`/timeZone: unknown time zone ${mapping.timeZone}`);
  if (mapping.timeFormat) {
    try {
      compileTimeFormat(mapping.timeFormat);
    } catch (err) {
      problems.push(`/timeFormat: ${(err as Error).message}`);
    }
  }
  if (!mapping.columns.category && !mapping.columns.type) problems.push('/columns: name a category or a type column');
  if (mapping.columns.type && !mapping.types && !mapping.columns.category) problems.push('/types: a type column needs the types table (source type → category code)');
  if ((mapping.columns.lon === undefined) !== (mapping.columns.lat === undefined)) problems.push('/columns: lon and lat go together');
  if (problems.length > 0) throw new AppError('validation_failed', `the mapping is not valid: ${problems.join('; ')}`, { field: 'mapping', problems });
  return mapping;
}
