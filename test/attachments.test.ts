import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, frozenClock, type TestEnv } from './helpers.js';
import { buildWorld, PLACES, type World } from './world.js';
import { jpeg } from './support/photos.js';
import { safeDownloadName } from '../src/cases/attachment.download.js';

// Uploads and downloads of case attachments: one file per upload, safe download names and
// dispositions, and photo metadata (EXIF GPS, device serial, XMP, ICC) kept for staff only.
const clock = frozenClock('2026-11-26T02:00:00Z');
let env: TestEnv;
let world: World;
let caseId: number;
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

function multipart(files: { filename: string; type: string; bytes: Buffer }[]): { payload: Buffer; headers: Record<string, string> } {
  const boundary = '----gridloop-attachment-test';
  const parts = files.flatMap((f) => [Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${f.filename}"\r\nContent-Type: ${f.type}\r\n\r\n`), f.bytes, Buffer.from('\r\n')]);
  return { payload: Buffer.concat([...parts, Buffer.from(`--${boundary}--\r\n`)]), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

async function upload(who: keyof World['cookies'], files: { filename: string; type: string; bytes: Buffer }[]) {
  const body = multipart(files);
  return env.http.inject({ method: 'POST', url: `/api/v1/cases/${caseId}/attachments`, payload: body.payload, headers: { ...body.headers, cookie: world.cookies[who] } });
}
const attachmentCount = async () => Number((await env.app.store.db.selectFrom('case_attachments').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

beforeAll(async () => {
  env = await createTestEnv({ clock });
  world = await buildWorld(env);
  const res = await env.http.inject({ method: 'POST', url: '/api/v1/cases', payload: { categoryCode: '06010', lon: PLACES.heping.lon, lat: PLACES.heping.lat, description: '路边暴露垃圾', channel: 'web' }, headers: { cookie: world.cookies.citizen } });
  expect(res.statusCode, res.body).toBe(201);
  caseId = res.json().id;
});
afterAll(() => env.close());

describe('uploads', () => {
  it('refuse a second file with 400 instead of silently dropping it, and store nothing', async () => {
    const before = await attachmentCount();
    const res = await upload('workerA', [{ filename: 'a.jpg', type: 'image/jpeg', bytes: jpeg() }, { filename: 'b.pdf', type: 'application/pdf', bytes: PDF }]);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: 'validation_failed', details: { field: 'file' } });
    expect(await attachmentCount()).toBe(before);
    expect((await upload('workerA', [])).json().error).toBe('validation_failed');
  });
});

describe('downloads', () => {
  it('name files without quotes, control characters, paths or a misleading extension', () => {
    expect(safeDownloadName('../a"b\r\n.html', 'application/pdf')).toEqual({ ascii: '__a_b__.pdf', utf8: '.._a_b__.pdf' });
    expect(safeDownloadName('', 'video/mp4')).toEqual({ ascii: 'file.mp4', utf8: 'file.mp4' });
  });

  it('send anything but a browser-rendered image as an attachment, named by its real type', async () => {
    const saved = (await upload('workerA', [{ filename: 'x.html', type: 'text/html', bytes: PDF }])).json();
    const res = await env.http.inject({ url: saved.url, headers: { cookie: world.cookies.workerA } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="x.pdf"; filename*=UTF-8''x.pdf`);
  });

  it('show images inline with an ASCII name and an RFC 5987 UTF-8 name', async () => {
    const saved = (await upload('workerA', [{ filename: '现场照片 1.html', type: 'image/jpeg', bytes: jpeg() }])).json();
    const res = await env.http.inject({ url: saved.url, headers: { cookie: world.cookies.workerA } });
    expect(res.headers['content-type']).toBe('image/jpeg');
    expect(res.headers['content-disposition']).toBe(`inline; filename="_____1.jpg"; filename*=UTF-8''${encodeURIComponent('现场照片 1.jpg')}`);
  });

  it('keep a photo\'s metadata for staff and strip it for the citizen, the public Open311 reader and API keys', async () => {
    const original = jpeg(6);
    const saved = (await upload('workerA', [{ filename: 'photo.jpg', type: 'image/jpeg', bytes: original }])).json();
    const staff = await env.http.inject({ url: saved.url, headers: { cookie: world.cookies.dispatcher } });
    expect(Buffer.compare(staff.rawPayload, original)).toBe(0);
    const citizen = await env.http.inject({ url: saved.url, headers: { cookie: world.cookies.citizen } });
    expect(citizen.statusCode).toBe(200);
    const open311 = await env.http.inject(`/open311/v2/media/${caseId}/${saved.id}`);
    expect(open311.statusCode, open311.body).toBe(200);
    for (const stripped of [citizen.rawPayload, open311.rawPayload]) {
      const text = stripped.toString('latin1');
      expect(text).not.toContain('SN-4711');
      expect(text).not.toContain('GPS');
      expect(text).not.toContain('xmpmeta');
      expect(text).not.toContain('ICC_PROFILE');
      expect(stripped.length).toBeLessThan(original.length);
      expect(stripped.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
    }
    expect(open311.headers['content-disposition']).toMatch(/^inline; filename="photo.jpg"/);
    const staffOpen311 = await env.http.inject({ url: `/open311/v2/media/${caseId}/${saved.id}`, headers: { cookie: world.cookies.dispatcher } });
    expect(Buffer.compare(staffOpen311.rawPayload, original)).toBe(0);
    expect(staffOpen311.headers['cache-control']).toBe('private, no-store');
  });
});
