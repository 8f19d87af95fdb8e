import { expect } from 'vitest';
import type { TestEnv } from '../helpers.js';
import { PLACES, type World } from '../world.js';

export type Who = keyof World['cookies'];
type Place = (typeof PLACES)[keyof typeof PLACES];
type Json = Record<string, unknown>;

/** One timeline event as GET /cases/:id/timeline presents it. */
export interface EventJson {
  seq: number;
  at: string;
  action: string;
  from: string | null;
  to: string | null;
  note: string | null;
  data: Json;
}

/**
 * The closed loop over HTTP for one test file's env and world: report, act (reading the current
 * version first), read a case, its timeline and KPIs. Each call asserts its status code.
 */
export function caseApi(env: TestEnv, world: World) {
  const cookie = (who: Who | string) => world.cookies[who as Who] ?? who;
  const post = (who: Who | string, url: string, payload: unknown) =>
    env.http.inject({ method: 'POST', url, payload: payload as Json, headers: { cookie: cookie(who) } });
  const get = (who: Who | string, url: string) => env.http.inject({ url, headers: { cookie: cookie(who) } });

  return {
    post,
    get,
    /** POST /cases at `place` (default 和平社区 grid 001), category 06010 暴露垃圾 unless given. */
    async report(who: Who | string = 'workerA', extra: Json = {}, place: Place = PLACES.heping) {
      const res = await post(who, '/api/v1/cases', { categoryCode: '06010', lon: place.lon, lat: place.lat, description: '路边暴露垃圾一堆', channel: 'patrol', ...extra });
      expect(res.statusCode, res.body).toBe(201);
      return res.json();
    },
    /** Takes `action` on case `id` at its current version; expects `status` (200 by default). */
    async act(who: Who | string, id: number, action: string, extra: Json = {}, status = 200) {
      const current = (await get('admin', `/api/v1/cases/${id}`)).json();
      const res = await post(who, `/api/v1/cases/${id}/transitions`, { action, version: current.version, ...extra });
      expect(res.statusCode, `${action} by ${who}: ${res.body}`).toBe(status);
      return res.json();
    },
    async case(id: number, who: Who | string = 'admin') {
      const res = await get(who, `/api/v1/cases/${id}`);
      expect(res.statusCode, res.body).toBe(200);
      return res.json();
    },
    async timeline(id: number): Promise<EventJson[]> {
      const res = await get('admin', `/api/v1/cases/${id}/timeline`);
      expect(res.statusCode, res.body).toBe(200);
      return res.json();
    },
    /** GET /kpis with a query string; expects 200. */
    async kpis(query: string, who: Who | string = 'admin') {
      const res = await get(who, `/api/v1/kpis?${query}`);
      expect(res.statusCode, res.body).toBe(200);
      return res.json();
    },
  };
}
