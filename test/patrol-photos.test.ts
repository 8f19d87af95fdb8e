import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, frozenClock, type TestEnv } from './helpers.js';
import { multipart, PNG } from './open311.helpers.js';
import { buildWorld, PLACES, type World } from './world.js';

const clock = frozenClock('2026-11-26T02:00:00Z');
let env: TestEnv;
let world: World;
let patrolId = 0;

const upload = (cookie: string, id: number, bytes: Buffer, query = '', filename = 'site.png') => {
  const { body, contentType } = multipart([], { field: 'file', filename, type: 'image/png', bytes });
  return env.http.inject({ method: 'POST', url: `/api/v1/patrols/${id}/photos${query}`, payload: body, headers: { 'content-type': contentType, cookie } });
};
const photosOf = async (id: number) => (await env.http.inject({ url: `/api/v1/patrols/${id}`, headers: { cookie: world.cookies.admin } })).json().photos as { id: number; url: string; lon: number | null; takenAt: string | null }[];

beforeAll(async () => {
  env = await createTestEnv({ clock });
  world = await buildWorld(env);
  const target = await env.http.inject({ method: 'POST', url: '/api/v1/patrol-targets', headers: { cookie: world.cookies.admin }, payload: { code: 'PH-1', kind: 'grid', name: '和平 网格', orgCode: PLACES.heping.community } });
  expect(target.statusCode, target.body).toBe(201);
  const patrol = await env.http.inject({ method: 'POST', url: '/api/v1/patrols', headers: { cookie: world.cookies.workerA }, payload: { target: 'PH-1', startedAt: '2026-11-26T01:00:00Z', endedAt: '2026-11-26T01:40:00Z' } });
  expect(patrol.statusCode, patrol.body).toBe(201);
  patrolId = patrol.json().id;
});
afterAll(async () => env?.close());

describe('patrol photos', () => {
  it('a photo is added with where and when it was taken with where and when; the same photo again adds nothing', async () => {
    const first = await upload(world.cookies.workerA, patrolId, PNG, `?lon=${PLACES.heping.lon}&lat=${PLACES.heping.lat}&takenAt=2026-11-26T01:20:00Z`);
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({ mime: 'image/png', size: PNG.length, filename: 'site.png', lon: PLACES.heping.lon, takenAt: '2026-11-26T01:20:00.000Z' });
    const again = await upload(world.cookies.workerA, patrolId, PNG, '', 'again.png');
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(first.json().id);
    const photos = await photosOf(patrolId);
    expect(photos.map((p) => p.id)).toEqual([first.json().id]);
    const download = await env.http.inject({ url: photos[0].url, headers: { cookie: world.cookies.leader } });
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toBe('image/png');
    expect(download.rawPayload.equals(PNG)).toBe(true);
  });

  it('refuses what is no photo, half a position, a future time and another area; nothing is added', async () => {
    const before = (await photosOf(patrolId)).length;
    const pdf = await upload(world.cookies.workerA, patrolId, Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n'), '', 'x.pdf');
    expect(pdf.statusCode).toBe(415);
    expect((await upload(world.cookies.workerA, patrolId, Buffer.from('just some text, not a picture'))).statusCode).toBe(415);
    const half = await upload(world.cookies.workerA, patrolId, PNG, `?lon=${PLACES.heping.lon}`);
    expect(half.statusCode).toBe(400);
    expect(half.json().details).toMatchObject({ field: 'lon' });
    expect((await upload(world.cookies.workerA, patrolId, PNG, '?takenAt=2026-11-27T01:20:00Z')).statusCode).toBe(400);
    // Another community's worker does not see the patrol.
    expect((await upload(world.cookies.workerB, patrolId, PNG)).statusCode).toBe(404);
    expect((await env.http.inject({ url: `/api/v1/patrols/${patrolId}/photos/1`, headers: { cookie: world.cookies.workerB } })).statusCode).toBe(404);
    expect((await photosOf(patrolId)).length).toBe(before);
  });
});
