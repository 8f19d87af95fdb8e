import createClient from 'openapi-fetch';
import type { paths, components } from './schema';

/** The one typed client over /api/v1, generated from the server's OpenAPI document. */
export const api = createClient<paths>({ baseUrl: '', credentials: 'same-origin' });

export type Schemas = components['schemas'];

/** A failed API call: the HTTP status and the catalogue's stable code and message. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

interface Result<D> {
  data?: D;
  error?: unknown;
  response: Response;
}

/** Awaits an openapi-fetch call and returns its data, or throws an ApiFailure `{status, code, message}`. */
export async function unwrap<D>(request: Promise<Result<D>>): Promise<D> {
  let result: Result<D>;
  try {
    result = await request;
  } catch {
    throw new ApiFailure(0, 'network_error', 'network error');
  }
  if (!result.response.ok) {
    const body = (result.error ?? {}) as { error?: string; message?: string; details?: unknown };
    throw new ApiFailure(result.response.status, body.error ?? `http_${result.response.status}`, body.message ?? result.response.statusText, body.details);
  }
  return result.data as D;
}
