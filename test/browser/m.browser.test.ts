import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserSkipReason, login, screenshot, startWorld, type BrowserWorld } from './harness.js';
import { PNG, poll } from './phone.js';

describe.skipIf(browserSkipReason !== null)('grid worker on a phone (browser, 375×667)', () => {
  let world: BrowserWorld;
  beforeAll(async () => {
    world = await startWorld();
  }, 600_000);
  afterAll(async () => world?.stop());

  it('shows my grid, reports at my position with a photo, and verifies from the task page', async () => {
    const context = await world.context({ width: 375, height: 667 });
    await context.grantPermissions(['geolocation']);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(`${e.message} ${e.stack ?? ''}`.slice(0, 2000)));
    await login(page, 'gridworker', '/m');
    await page.locator('[data-m-home] [data-pin-map] canvas').first().waitFor();
    await poll(() => page.locator('[data-m-tasks]').textContent()).toContain('暂无待办任务');
    await screenshot(page, 'm-home');

    // Stand inside one of my grids: the centre of its first ring.
    const fc = (await (await page.request.get('/api/v1/grids.geojson')).json()) as { features: { geometry: { type: string; coordinates: number[][][] | number[][][][] } }[] };
    const geometry = fc.features[0].geometry;
    const ring = (geometry.type === 'Polygon' ? geometry.coordinates[0] : geometry.coordinates[0][0]) as number[][];
    const centre = ring.slice(1).reduce((s, p) => [s[0] + p[0] / (ring.length - 1), s[1] + p[1] / (ring.length - 1)], [0, 0]);
    await context.setGeolocation({ longitude: centre[0], latitude: centre[1] });

    await page.locator('[data-nav="report"]').click();
    await poll(() => page.locator('[data-place-where]').textContent()).toContain('和平社区');
    await page.locator('[data-category-field]').click();
    await page.locator('.van-popup .van-search input').fill('暴露垃圾');
    await page.locator('[data-category="06010"]').click();
    await page.locator('textarea[name="description"]').fill('巡查发现暴露垃圾');
    await page.locator('[data-photos] input[type="file"]').setInputFiles({ name: 'site.png', mimeType: 'image/png', buffer: PNG });
    await page.locator('[data-photos] .van-uploader__preview').first().waitFor();
    await screenshot(page, 'm-report');
    await page.locator('[data-submit]').click();
    await page.locator('[data-m-done]').waitFor();
    await page.locator('[data-m-done] a, [data-m-done] button').first().click();
    await page.locator('[data-action="verify"]').waitFor();
    const actions = await page.locator('[data-action]').evaluateAll((els) => els.map((e) => e.getAttribute('data-action')));
    expect(actions).toEqual(['verify']);
    await page.locator('[data-action="verify"]').click();
    await page.locator('[data-action-confirm]').click();
    await poll(() => page.locator('[data-m-status]').textContent()).toBe('已核实');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    expect(errors).toEqual([]);
    await context.close();
  }, 300_000);
});
