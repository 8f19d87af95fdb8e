import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { APIRequestContext } from 'playwright-core';
import { browserSkipReason, DEMO_PASSWORD, login, screenshot, startWorld, type BrowserWorld } from './harness.js';
import { poll } from './phone.js';

/** Great-circle distance in metres (the test's own, to check the server's figure). */
function metres(a: [number, number], b: [number, number]): number {
  const r = 6_371_008.8;
  const rad = Math.PI / 180;
  const dLat = (b[1] - a[1]) * rad;
  const dLon = (b[0] - a[0]) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * rad) * Math.cos(b[1] * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * r * Math.asin(Math.sqrt(h));
}

async function signIn(request: APIRequestContext, url: string, username: string): Promise<void> {
  const res = await request.post('/api/v1/auth/login', { data: { username, password: DEMO_PASSWORD }, headers: { origin: url } });
  expect(res.status()).toBe(200);
}

describe.skipIf(browserSkipReason !== null)('a patrol on the phone (browser, 375×667, emulated geolocation)', () => {
  let world: BrowserWorld;
  let grid: { code: string; centre: [number, number] };
  let planId = 0;

  beforeAll(async () => {
    world = await startWorld();
    // The admin plans a weekly patrol of one of 和平社区's grids for its grid workers.
    const admin = await world.context();
    await signIn(admin.request, world.url, 'admin');
    const fc = (await (await admin.request.get('/api/v1/grids.geojson?parent=150302001002')).json()) as { features: { properties: { code: string }; geometry: { type: string; coordinates: number[][][] } }[] };
    const feature = fc.features.find((f) => f.geometry.type === 'Polygon') ?? fc.features[0];
    const ring = feature.geometry.coordinates[0];
    const centre = ring.slice(1).reduce((s, p) => [s[0] + p[0] / (ring.length - 1), s[1] + p[1] / (ring.length - 1)], [0, 0]) as [number, number];
    grid = { code: feature.properties.code, centre };
    const headers = { origin: world.url };
    const target = await admin.request.post('/api/v1/patrol-targets', { headers, data: { code: 'T-HP-1', kind: 'grid', name: '和平社区 网格巡查', orgCode: grid.code, geometry: feature.geometry } });
    expect(target.status(), await target.text()).toBe(201);
    const plan = await admin.request.post('/api/v1/patrol-plans', { headers, data: { target: 'T-HP-1', assigneeRole: 'grid_worker', orgCode: '150302001002', frequency: 'week:1', minDurationMinutes: 0, minDistanceMetres: 10 } });
    expect(plan.status(), await plan.text()).toBe(201);
    planId = ((await plan.json()) as { id: number }).id;
    await admin.close();
  }, 600_000);
  afterAll(async () => world?.stop());

  it('records the track while the page is open (through a lost connection), reports a finding that becomes a case, and shows the server\'s distance', async () => {
    const context = await world.context({ width: 375, height: 667 });
    await context.grantPermissions(['geolocation']);
    const walk: [number, number][] = Array.from({ length: 9 }, (_, i) => [grid.centre[0], grid.centre[1] + i * 0.00005]); // ≈ 5.6 m a step
    await context.setGeolocation({ longitude: walk[0][0], latitude: walk[0][1] });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await login(page, 'gridworker', '/m/patrol');
    await page.locator(`[data-m-plans] [data-plan="${planId}"]`).click();
    await screenshot(page, 'm-patrol-choose');
    await page.locator('[data-patrol-start]').click();
    await poll(() => page.locator('[data-patrol-fixes] .van-cell__value').textContent()).toBe('1');

    const step = async (i: number) => {
      // A walking pace: the fixes' own times are a second or more apart.
      await page.waitForTimeout(1200);
      await context.setGeolocation({ longitude: walk[i][0], latitude: walk[i][1] });
      await poll(() => page.locator('[data-patrol-fixes] .van-cell__value').textContent()).toBe(String(i + 1));
    };
    for (let i = 1; i <= 3; i++) await step(i);
    // The connection drops: fixes queue on the phone and go up once it is back.
    await context.setOffline(true);
    for (let i = 4; i <= 6; i++) await step(i);
    await poll(() => page.locator('[data-patrol-offline]').count()).toBe(1);
    await screenshot(page, 'm-patrol-offline');
    await context.setOffline(false);
    for (let i = 7; i < walk.length; i++) await step(i);

    // A finding on the way.
    await page.locator('[data-patrol-finding]').click();
    await page.locator('[data-finding-form] [data-category-field]').click();
    await page.locator('.van-popup .van-search input').fill('暴露垃圾');
    await page.locator('[data-category="06010"]').click();
    await page.locator('[data-finding-form] textarea[name="finding"]').fill('巡查途中发现暴露垃圾');
    await page.locator('[data-finding-submit]').click();
    await page.locator('[data-patrol-findings] [data-finding]').first().waitFor({ timeout: 30_000 });
    await page.locator('[data-finding-form]').waitFor({ state: 'hidden' });
    await screenshot(page, 'm-patrol-under-way');

    await page.locator('[data-patrol-end]').click();
    await page.locator('.van-dialog__confirm').click();
    await page.locator('[data-patrol-done]').waitFor({ timeout: 30_000 });
    await page.locator('.van-dialog').waitFor({ state: 'hidden' });
    await screenshot(page, 'm-patrol-done');

    // The server has every fix, measured the walk, and the finding is a case on the patrol channel.
    const list = (await (await page.request.get('/api/v1/patrols?mine=true')).json()) as { items: { id: number; pointCount: number; distanceM: number; endedAt: string | null; findings: { caseId: number; number: string }[] }[] };
    expect(list.items).toHaveLength(1);
    const patrol = list.items[0];
    expect(patrol.pointCount).toBe(walk.length);
    expect(patrol.endedAt).not.toBeNull();
    const expected = walk.slice(1).reduce((sum, p, i) => sum + metres(walk[i], p), 0);
    expect(Math.abs(patrol.distanceM - expected)).toBeLessThan(1);
    expect(await page.locator('[data-patrol-distance] .van-cell__value').textContent()).toBe(`${Math.round(patrol.distanceM)} 米`);
    const detail = (await (await page.request.get(`/api/v1/patrols/${patrol.id}`)).json()) as { track: { properties: { times: string[] } } };
    const times = detail.track.properties.times.map((t) => Date.parse(t));
    expect(times.every((t, i) => i === 0 || t > times[i - 1])).toBe(true);
    expect(patrol.findings).toHaveLength(1);
    const kase = (await (await page.request.get(`/api/v1/cases/${patrol.findings[0].caseId}`)).json()) as { channel: string; number: string };
    expect(kase.channel).toBe('patrol');
    expect(await page.locator('[data-patrol-findings] [data-finding]').first().getAttribute('data-finding')).toBe(kase.number);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    expect(errors).toEqual([]);

    // Done: the phone forgets the patrol and offers a new one.
    await page.locator('[data-patrol-done]').click();
    await page.locator('[data-patrol-start]').waitFor();
    await context.close();
  }, 300_000);

  it('reads in English', async () => {
    const context = await world.context({ width: 375, height: 667, locale: 'en' });
    await context.addInitScript(() => localStorage.setItem('gridloop.locale', 'en'));
    const page = await context.newPage();
    await login(page, 'gridworker', '/m/patrol');
    await page.locator(`[data-m-plans] [data-plan="${planId}"]`).waitFor();
    const text = (await page.locator('[data-m-patrol]').textContent()) ?? '';
    for (const label of ['My patrol plans', 'Grid patrol', '1× a week', 'Start patrol']) expect(text).toContain(label);
    expect(await page.locator('[data-nav="patrol"]').textContent()).toContain('Patrol');
    await screenshot(page, 'm-patrol-choose-en');
    await context.close();
  }, 120_000);
});
