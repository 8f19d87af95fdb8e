import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from './helpers.js';
import { importDivisions } from '../src/org/org.service.js';

describe('GET /api/v1/meta', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await createTestEnv({ config: { timeZone: 'Asia/Urumqi' } });
  });
  afterAll(async () => env.close());

  it('answers without sign-in: no city before the org tree exists, the configured zone', async () => {
    const res = await env.http.inject({ url: '/api/v1/meta' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ city: null, timeZone: 'Asia/Urumqi' });
  });

  it('names the configured city once it is loaded', async () => {
    await importDivisions(env.sys(), '1503');
    const res = await env.http.inject({ url: '/api/v1/meta' });
    expect(res.json()).toEqual({ city: { code: '150300', name: '乌海市' }, timeZone: 'Asia/Urumqi' });
  });
});
