import { Type, type TSchema } from 'typebox';

/** The error body every 4xx/5xx response has. */
export const ErrorBody = Type.Object({
  error: Type.String(),
  message: Type.String(),
  details: Type.Optional(Type.Unknown()),
});

/**
 * The largest `offset` a list accepts: deep enough for any real paging, small enough that no store
 * overflows (PostgreSQL refuses OFFSET beyond bigint; a test checks every list declares it).
 */
export const MAX_OFFSET = 10_000_000;

/** Standard paging parameters for list endpoints. */
export const PageQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_OFFSET, default: 0 })),
};

/** A calendar date 'YYYY-MM-DD' that exists (the `date` format of http/formats.ts). */
export const IsoDate = (options: { description?: string } = {}) => Type.String({ format: 'date', ...options });

/** A city date 'YYYY-MM-DD' or an instant with Z or an offset; impossible dates are refused. */
export const DateOrDateTime = (options: { description?: string } = {}) => Type.String({ format: 'date-or-date-time', ...options });

/** A paged list response: `{items, total, limit, offset}`. */
export function Page<T extends TSchema>(item: T) {
  return Type.Object({ items: Type.Array(item), total: Type.Integer(), limit: Type.Integer(), offset: Type.Integer() });
}

/** Error responses shared by authenticated endpoints, for the OpenAPI document. */
export const commonErrors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

/** A string schema restricted to `values`, typed as their union. */
export function StringEnum<const T extends readonly string[]>(values: T, options: { description?: string } = {}) {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });
}

/** `T` or null. */
export const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
