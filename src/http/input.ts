import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';

/**
 * Guards every request passes before its schema, one mechanism for every route and both stores:
 * text must be valid UTF-8 (raw body bytes and the percent-escapes of the URL and of form bodies:
 * never silently turned into U+FFFD) and no string, key or value may hold a NUL character
 * (PostgreSQL text cannot store it; SQLite would keep it where PostgreSQL fails).
 */

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const ESCAPE_RUNS = /(?:%[0-9A-Fa-f]{2})+/g;

function notUtf8(part: string): AppError {
  return new AppError('validation_failed', `the ${part} is not valid UTF-8`, { in: part, rule: 'utf8' });
}

/** Decodes body bytes as UTF-8, refusing invalid sequences. Throws validation_failed. */
export function decodeUtf8(bytes: Uint8Array, part = 'body'): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    throw notUtf8(part);
  }
}

/**
 * Refuses URL-encoded text (a query string, a path, a form body) whose percent-escapes do not
 * decode to valid UTF-8, e.g. `q=%FF`. Throws validation_failed.
 */
export function checkUrlEncodedUtf8(text: string, part: string): void {
  if (!text.includes('%')) return;
  // A multi-byte character is either written raw or fully escaped, so each run of escapes must decode alone.
  for (const run of text.match(ESCAPE_RUNS) ?? []) {
    try {
      strictUtf8.decode(Buffer.from(run.replace(/%/g, ''), 'hex'));
    } catch {
      throw notUtf8(part);
    }
  }
}

/**
 * The dotted path of the first string (or object key) in `value` holding a NUL character, or
 * null. Walks iteratively, so a deeply nested body cannot overflow the stack.
 */
export function findNul(value: unknown): string | null {
  const stack: [unknown, string][] = [[value, '']];
  while (stack.length > 0) {
    const [v, path] = stack.pop() as [unknown, string];
    if (typeof v === 'string') {
      if (v.includes('\u0000')) return path;
    } else if (v !== null && typeof v === 'object') {
      for (const [key, child] of Object.entries(v)) {
        const childPath = path ? `${path}.${key}` : key;
        if (key.includes('\u0000')) return childPath;
        stack.push([child, childPath]);
      }
    }
  }
  return null;
}

/** Throws validation_failed naming the field when `value` (a body, query or params) holds a NUL. */
export function refuseNul(value: unknown, part: string): void {
  const at = findNul(value);
  if (at === null) return;
  const field = at || part;
  throw new AppError('validation_failed', `${part} field "${field}" must not contain a NUL character`, { field, in: part, rule: 'nul' });
}

type ParserDone = (err: Error | null, body?: unknown) => void;

/**
 * A content-type parser for a text body: reads the bytes, decodes them strictly as UTF-8 and hands
 * the text to `parse`. Every text parser of the app is built with it (JSON, GeoJSON, iCalendar,
 * forms), so no body is decoded leniently.
 */
export function utf8BodyParser(parse: (request: FastifyRequest, text: string, done: ParserDone) => void) {
  return (request: FastifyRequest, body: string | Buffer, done: ParserDone): void => {
    let text: string;
    try {
      text = typeof body === 'string' ? body : decodeUtf8(body);
    } catch (err) {
      done(err as Error);
      return;
    }
    parse(request, text, done);
  };
}

/** Installs the guards on the root instance (before any route plugin is registered). */
export function installInputGuards(fastify: FastifyInstance): void {
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', { parseAs: 'buffer' }, utf8BodyParser(fastify.getDefaultJsonParser('error', 'error')));
  fastify.addHook('onRequest', async (request) => {
    const url = request.raw.url ?? '';
    const q = url.indexOf('?');
    checkUrlEncodedUtf8(q < 0 ? url : url.slice(0, q), 'path');
    if (q >= 0) checkUrlEncodedUtf8(url.slice(q + 1), 'query');
  });
  fastify.addHook('preValidation', async (request) => {
    refuseNul(request.params, 'params');
    refuseNul(request.query, 'query');
    refuseNul(request.body, 'body');
  });
}
