import { Ajv, type ErrorObject } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';
import { AppError } from '../errors.js';
import { addDateFormats } from './formats.js';

// ajv-formats is CommonJS; under NodeNext its default export is the module object.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

// Bodies are validated strictly: no type coercion, unknown fields are an error, not silently dropped.
const bodyAjv = addDateFormats(addFormats(new Ajv({ coerceTypes: false, removeAdditional: false, useDefaults: true, allErrors: false, strict: false })));
// Query strings and path params arrive as text: coerce them to the declared types.
const paramAjv = addDateFormats(addFormats(new Ajv({ coerceTypes: 'array', removeAdditional: false, useDefaults: true, allErrors: false, strict: false })));

/** Fastify validator compiler: strict for bodies, coercing for query strings, params and headers. */
export const validatorCompiler: FastifySchemaCompiler<unknown> = ({ schema, httpPart }) => {
  const ajv = httpPart === 'body' ? bodyAjv : paramAjv;
  return ajv.compile(schema as object) as ReturnType<FastifySchemaCompiler<unknown>>;
};

/** Turns the first Ajv error into an AppError that names the offending field. */
export function validationError(errors: ErrorObject[] | readonly { instancePath?: string; keyword?: string; params?: Record<string, unknown>; message?: string }[], part: string): AppError {
  const first = errors[0] as ErrorObject | undefined;
  const base = first?.instancePath ? first.instancePath.replace(/^\//, '').replace(/\//g, '.') : '';
  if (first?.keyword === 'additionalProperties') {
    const extra = String(first.params.additionalProperty);
    const field = base ? `${base}.${extra}` : extra;
    return new AppError('unknown_field', `${part} field "${field}" is not allowed`, { field, in: part });
  }
  if (first?.keyword === 'required') {
    const missing = String(first.params.missingProperty);
    const field = base ? `${base}.${missing}` : missing;
    return new AppError('validation_failed', `${part} field "${field}" is required`, { field, in: part });
  }
  const field = base || part;
  return new AppError('validation_failed', `${part} field "${field}" ${first?.message ?? 'is invalid'}`, { field, in: part, rule: first?.keyword });
}
