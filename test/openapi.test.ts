import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultOperationId } from '../src/http/openapi.js';
import { createTestEnv, type TestEnv } from './helpers.js';

// Client generators (openapi-typescript, openapi-generator) need a unique operationId per
// operation and path templates that differ in more than their parameter names (OpenAPI 3.1:
// such templates are identical and must not both exist). Every route the app documents is held
// to both, so a new route without an operationId fails here.

type Operation = { operationId?: string; parameters?: { in: string; name: string }[] };
type Doc = { paths: Record<string, Record<string, Operation>> };
const METHODS = new Set(['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace']);

let env: TestEnv;
let doc: Doc;

beforeAll(async () => {
  env = await createTestEnv();
  const res = await env.http.inject({ url: '/api/openapi.json' });
  expect(res.statusCode).toBe(200);
  doc = res.json();
});
afterAll(async () => env?.close());

const operations = () => Object.entries(doc.paths).flatMap(([path, item]) =>
  Object.entries(item).filter(([method]) => METHODS.has(method)).map(([method, op]) => ({ where: `${method.toUpperCase()} ${path}`, op })));

describe('the OpenAPI document', () => {
  it('documents the REST API and the Open311 adapter', () => {
    const where = operations().map((o) => o.where);
    expect(where).toEqual(expect.arrayContaining(['GET /api/v1/health', 'POST /api/v1/cases', 'GET /api/v1/cases/{id}', 'GET /open311/v2/requests.json', 'POST /open311/v2/requests.json']));
  });

  it('gives every operation an operationId, camelCase and unique', () => {
    const missing = operations().filter((o) => !o.op.operationId).map((o) => o.where);
    expect(missing, 'operations without an operationId').toEqual([]);
    const notCamel = operations().filter((o) => !/^[a-z][a-zA-Z0-9]*$/.test(o.op.operationId ?? '')).map((o) => `${o.where}: ${o.op.operationId}`);
    expect(notCamel).toEqual([]);
    const seen = new Map<string, string>();
    const repeated: string[] = [];
    for (const { where, op } of operations()) {
      const id = op.operationId ?? '';
      if (seen.has(id)) repeated.push(`${id}: ${seen.get(id)} and ${where}`);
      seen.set(id, where);
    }
    expect(repeated).toEqual([]);
  });

  it('derives a camelCase operationId for a route that declares none', () => {
    expect(defaultOperationId('GET', '/api/v1/cases/:id/timeline')).toBe('getCasesByIdTimeline');
    expect(defaultOperationId('POST', '/open311/v2/requests.json')).toBe('postRequestsJson');
    expect(defaultOperationId('DELETE', '/api/v1/api-keys/:id')).toBe('deleteApiKeysById');
  });

  it('has no two paths that differ only in parameter names', () => {
    const byShape = new Map<string, string[]>();
    for (const path of Object.keys(doc.paths)) {
      const shape = path.replace(/\{[^}]+\}/g, '{}');
      byShape.set(shape, [...(byShape.get(shape) ?? []), path]);
    }
    expect([...byShape.values()].filter((paths) => paths.length > 1)).toEqual([]);
  });

  it('declares every path parameter of a template on each of its operations', () => {
    const problems: string[] = [];
    for (const { where, op } of operations()) {
      const names = [...where.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      const declared = new Set((op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name));
      for (const name of names) if (!declared.has(name)) problems.push(`${where}: {${name}}`);
    }
    expect(problems).toEqual([]);
  });

  it('keeps the category URL working both ways: GET by code, PATCH by id', async () => {
    const got = await env.http.inject({ url: '/api/v1/categories/06010' });
    expect(got.statusCode, got.body).toBe(200);
    expect(got.json().code).toBe('06010');
    const patched = await env.http.inject({ method: 'PATCH', url: `/api/v1/categories/${got.json().id}`, payload: { priority: 2 } });
    expect(patched.statusCode).toBe(401);
  });
});
