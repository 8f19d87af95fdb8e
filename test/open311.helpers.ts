import { readdirSync, readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { XMLParser } from 'fast-xml-parser';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { Ctx } from '../src/context.js';
import type { OrgLevel } from '../src/db/tables.js';
import { orgRepository, type OrgUnitRow } from '../src/org/org.repository.js';
import { buildOrgUnit } from '../src/org/org.service.js';
import { XML_ITEM_NAMES } from '../src/open311/open311.xml.js';

/** The project's own GeoReport v2 JSON Schemas (src/open311/schemas), compiled once. */
const SCHEMA_DIR = new URL('../src/open311/schemas/', import.meta.url);
const ajv = new Ajv({ allErrors: true, strict: false });
for (const file of readdirSync(SCHEMA_DIR).filter((f) => f.endsWith('.json'))) ajv.addSchema(JSON.parse(readFileSync(new URL(file, SCHEMA_DIR), 'utf8')));

export type SchemaName =
  | 'discovery' | 'services' | 'service-definition' | 'requests' | 'post-response' | 'tokens' | 'errors' | 'request-updates' | 'post-update-response';

/** Asserts that `value` satisfies one of the schemas, showing Ajv's errors when it does not. */
export function expectSchema(name: SchemaName, value: unknown): void {
  const validate = ajv.getSchema(`https://gridloop.example/schemas/open311/${name}.json`);
  if (!validate) throw new Error(`no schema ${name}`);
  const ok = validate(value);
  expect(ok, `${name}: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(value).slice(0, 600)}`).toBe(true);
}

const parser = new XMLParser({ ignoreAttributes: true, parseTagValue: false, trimValues: false, ignoreDeclaration: true });

type Tree = string | { [key: string]: Tree | Tree[] };

/** An XML value read back by the spec's conversion rules: wrappers become arrays, empty elements null. */
function fromXml(name: string, node: Tree | Tree[]): unknown {
  const item = XML_ITEM_NAMES[name];
  if (item) {
    if (node === '' ) return [];
    const inner = (node as Record<string, Tree | Tree[]>)[item];
    const items = Array.isArray(inner) ? inner : inner === undefined ? [] : [inner];
    return items.map((v) => fromXml(item, v));
  }
  if (typeof node === 'string') return node === '' ? null : node;
  if (Array.isArray(node)) throw new Error(`unexpected repeated element <${name}>`);
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, fromXml(k, v)]));
}

/** Parses an XML document into `{root, value}` by the conversion rules. */
export function parseXml(xml: string): { root: string; value: unknown } {
  expect(xml.startsWith('<?xml version="1.0" encoding="utf-8"?>'), xml.slice(0, 80)).toBe(true);
  const tree = parser.parse(xml) as Record<string, Tree>;
  const [root] = Object.keys(tree);
  return { root, value: fromXml(root, tree[root]) };
}

/** JSON values as XML carries them: text everywhere, '' and null alike. */
export function asXmlText(value: unknown): unknown {
  if (value === null || value === undefined || value === '') return null;
  if (Array.isArray(value)) return value.map(asXmlText);
  if (typeof value === 'object') return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, asXmlText(v)]));
  return String(value);
}

export interface Twin {
  status: number;
  json: unknown;
  xml: unknown;
  root: string;
  jsonRes: LightMyRequestResponse;
  xmlRes: LightMyRequestResponse;
}

/**
 * Calls one resource as `.json` and `.xml` with the same arguments and checks what every Open311
 * response must satisfy: the same status, the exact content types, the XML declaration, the JSON
 * valid against `schema`, and the XML carrying the same data as the JSON.
 */
export async function twin(http: FastifyInstance, opts: { method?: 'GET' | 'POST'; path: string; query?: string; body?: string; headers?: Record<string, string>; schema: SchemaName; root: string }): Promise<Twin> {
  const call = (ext: string) => http.inject({
    method: opts.method ?? 'GET',
    url: `${opts.path}${ext}${opts.query ? `?${opts.query}` : ''}`,
    payload: opts.body,
    headers: { ...(opts.body !== undefined ? { 'content-type': 'application/x-www-form-urlencoded' } : {}), ...opts.headers },
  });
  const jsonRes = await call('.json');
  const xmlRes = await call('.xml');
  expect(jsonRes.statusCode, jsonRes.body).toBe(xmlRes.statusCode);
  expect(jsonRes.headers['content-type']).toBe('application/json');
  expect(xmlRes.headers['content-type']).toBe('text/xml');
  const json: unknown = jsonRes.json();
  expectSchema(opts.schema, json);
  const { root, value } = parseXml(xmlRes.body);
  expect(root).toBe(opts.root);
  return { status: jsonRes.statusCode, json, xml: value, root, jsonRes, xmlRes };
}

/** Like `twin`, and also asserts the XML says what the JSON says (for idempotent calls). */
export async function sameInBoth(http: FastifyInstance, opts: Parameters<typeof twin>[1]): Promise<Twin> {
  const t = await twin(http, opts);
  expect(t.xml).toEqual(asXmlText(t.json));
  return t;
}

/** A form-urlencoded body from pairs (names may repeat: `attribute[CODE][]`). */
export function form(pairs: [string, string | number][]): string {
  return pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`).join('&');
}

/** A 1×1 PNG. */
export const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

/** A multipart/form-data body with text fields and one file. */
export function multipart(fields: [string, string][], file: { field: string; filename: string; type: string; bytes: Buffer }): { body: Buffer; contentType: string } {
  const boundary = '----gridloop-open311-test';
  const parts: Buffer[] = fields.map(([k, v]) => Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${file.field}"; filename="${file.filename}"\r\nContent-Type: ${file.type}\r\n\r\n`), file.bytes, Buffer.from(`\r\n--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** Adds a synthetic chain of org units, each the parent of the next (city → … → community). */
export async function addUnitChain(ctx: Ctx, chain: readonly (readonly [code: string, name: string, level: OrgLevel])[]): Promise<void> {
  const rows: (OrgUnitRow & { created_at: string })[] = [];
  let parent: OrgUnitRow | null = null;
  for (const [code, name, level] of chain) {
    const row = buildOrgUnit(ctx, { code, name, level }, parent);
    rows.push(row);
    parent = row;
  }
  await orgRepository.insertMissing(ctx.db, rows);
}
