import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installErrorHandler } from '../http/errors.js';
import { webPlugin } from './web.plugin.js';

const INDEX = '<!doctype html><title>app</title><div id="app"></div>';

async function appOver(distDir: string): Promise<FastifyInstance> {
  const app = Fastify();
  installErrorHandler(app);
  app.get('/api/v1/health', async () => ({ status: 'ok' }));
  await app.register(webPlugin, { distDir });
  await app.ready();
  return app;
}

describe('web plugin over a built app', () => {
  let dir: string;
  let app: FastifyInstance;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'gridloop-web-'));
    mkdirSync(path.join(dir, 'assets'));
    writeFileSync(path.join(dir, 'index.html'), INDEX);
    writeFileSync(path.join(dir, 'assets', 'main-abc123.js'), 'console.log(1)');
    writeFileSync(path.join(dir, 'favicon.svg'), '<svg/>');
    writeFileSync(path.join(dir, '.build-hash'), 'secret-ish');
    app = await appOver(dir);
  });
  afterAll(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves index.html for / and for client routes, never cached', async () => {
    for (const url of ['/', '/desk', '/desk/cases/12?tab=timeline', '/report/track']) {
      const res = await app.inject({ url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.body).toBe(INDEX);
    }
  });

  it('serves hashed assets as immutable and other files revalidated', async () => {
    const asset = await app.inject({ url: '/assets/main-abc123.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.body).toBe('console.log(1)');
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const icon = await app.inject({ url: '/favicon.svg' });
    expect(icon.statusCode).toBe(200);
    expect(icon.headers['cache-control']).toBe('no-cache');
  });

  it('never answers /api/*, /open311/* or a missing asset with index.html', async () => {
    for (const url of ['/api/v1/nope', '/api/v1/cases/x/y/z', '/open311/v2/nothing.json', '/assets/gone-123.js', '/api']) {
      const res = await app.inject({ url });
      expect(res.statusCode, url).toBe(404);
      expect(res.headers['content-type'], url).toMatch(/application\/json/);
      expect(res.json().error).toBe('not_found');
    }
    expect((await app.inject({ url: '/api/v1/health' })).json()).toEqual({ status: 'ok' });
  });

  it('does not serve dot files', async () => {
    const res = await app.inject({ url: '/.build-hash' });
    expect(res.body).not.toContain('secret-ish');
  });
});

describe('web plugin without a build', () => {
  it('answers pages with a 503 saying how to build, and APIs stay JSON 404s', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gridloop-web-empty-'));
    const app = await appOver(dir);
    const page = await app.inject({ url: '/desk' });
    expect(page.statusCode).toBe(503);
    expect(page.body).toContain('web app not built: run npm run build:web');
    const root = await app.inject({ url: '/' });
    expect(root.statusCode).toBe(503);
    const api = await app.inject({ url: '/api/v1/nope' });
    expect(api.statusCode).toBe(404);
    expect(api.json().error).toBe('not_found');
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });
});
