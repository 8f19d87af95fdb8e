import type { FastifyReply, FastifyRequest } from 'fastify';
import { toXmlDocument, type XmlValue } from './open311.xml.js';

export type Format = 'xml' | 'json';

/** Bare types: strict clients (the SeeClickFix validator) compare Content-Type exactly. */
export const CONTENT_TYPES: Record<Format, string> = { xml: 'text/xml', json: 'application/json' };

/**
 * The response format of a request: the path's `.xml` / `.json` suffix; without one, JSON when the
 * Accept header asks for it and XML (the format the spec requires) otherwise.
 */
export function formatOf(request: FastifyRequest): Format {
  const path = request.url.split('?')[0];
  if (path.endsWith('.json')) return 'json';
  if (path.endsWith('.xml')) return 'xml';
  return /json/i.test(request.headers.accept ?? '') ? 'json' : 'xml';
}

/** Splits a path segment like "033.json" into its id and format; null for another suffix. */
export function splitSuffix(segment: string, request: FastifyRequest): { id: string; format: Format } | null {
  const m = /^(.*)\.(json|xml)$/.exec(segment);
  if (m) return { id: m[1], format: m[2] as Format };
  if (/\.[A-Za-z0-9]{1,5}$/.test(segment)) return null;
  return { id: segment, format: formatOf(request) };
}

/**
 * Sends one resource in the chosen format. `root` is the XML root element; the JSON body is
 * `value` itself (the wrapper disappears, so a list is a top-level array).
 */
export function sendResource(reply: FastifyReply, format: Format, root: string, value: XmlValue): FastifyReply {
  const body = format === 'json' ? JSON.stringify(value) : toXmlDocument(root, value);
  // A Buffer keeps the bare content type (Fastify appends a charset to string JSON bodies).
  return reply.header('content-type', CONTENT_TYPES[format]).send(Buffer.from(body, 'utf8'));
}
