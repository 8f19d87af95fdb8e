/// <reference lib="dom" />
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { browserSkipReason, login, screenshot, startWorld, type BrowserWorld } from './harness.js';

/** Whether the first canvas under `selector` has drawn pixels (not just an empty element). */
async function canvasDrawn(page: Page, selector: string): Promise<number> {
  return page.locator(`${selector} canvas`).first().evaluate((c) => {
    const canvas = c as HTMLCanvasElement;
    const ctx = canvas.getContext('2d');
    if (!ctx) return 0;
    const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
    let drawn = 0;
    for (let i = 3; i < data.length; i += 4 * 16) if (data[i] > 0) drawn++;
    return drawn;
  });
}

const cardValue = async (page: Page, key: string) => Number(await page.locator(`[data-card="${key}"] .value`).first().evaluate((e) => e.childNodes[0]?.textContent ?? ''));

describe.skipIf(browserSkipReason !== null)('一屏观全城 big screen (browser)', () => {
  let world: BrowserWorld;
  beforeAll(async () => {
    world = await startWorld({ historyDays: 20, perDay: 10 });
  }, 900_000);
  afterAll(async () => world?.stop());

  it('draws the city, drills down to a street, and shows a new case live', async () => {
    const context = await world.context({ width: 1920, height: 1080 });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await login(page, 'leader', '/screen');
    expect(new URL(page.url()).pathname).toBe('/screen');
    await expect.poll(() => page.locator('[data-breadcrumb] .current').getAttribute('data-org')).toBe('150300');
    await expect.poll(() => canvasDrawn(page, '[data-map]'), { timeout: 20_000 }).toBeGreaterThan(500);
    await expect.poll(() => page.locator('[data-kpi-cards] [data-card="reported"] .value').textContent()).toMatch(/^\d+$/);
    const cityReported = await cardValue(page, 'reported');
    expect(cityReported).toBeGreaterThan(0);
    // no scrollbars at 1920×1080
    expect(await page.evaluate(() => [document.documentElement.scrollWidth <= innerWidth, document.documentElement.scrollHeight <= innerHeight])).toEqual([true, true]);
    await screenshot(page, 'screen-city');

    // drill 乌海市 → 海勃湾区 → a street, by the sub-area ranking's names (the same drill as a map click)
    await page.locator('[data-rankings] button.link', { hasText: '海勃湾区' }).click();
    await expect.poll(() => page.locator('[data-breadcrumb] .current').getAttribute('data-org')).toBe('150302');
    expect(new URL(page.url()).searchParams.get('org')).toBe('150302');
    await expect.poll(() => page.locator('[data-breadcrumb] button').allTextContents()).toEqual(['乌海市']);
    await expect.poll(() => cardValue(page, 'reported')).toBeLessThan(cityReported);
    await screenshot(page, 'screen-district');
    await page.locator('[data-rankings] button.link', { hasText: '凤凰岭街道' }).click();
    await expect.poll(() => page.locator('[data-breadcrumb] .current').getAttribute('data-org')).toBe('150302001');
    await page.waitForTimeout(500);
    const before = await cardValue(page, 'reported');

    // a case reported in that street through the API appears in the live feed and moves the 上报 card
    const outlines = await (await context.request.get('/api/v1/screen/outlines?org=150302001002')).json() as { features: { properties: { code: string; role: string }; geometry: { coordinates: number[][][][] } }[] };
    const ring = outlines.features.find((f) => f.properties.role === 'self')!.geometry.coordinates[0][0];
    const [lon, lat] = [ring.reduce((s, p) => s + p[0], 0) / ring.length, ring.reduce((s, p) => s + p[1], 0) / ring.length];
    const located = await (await context.request.get(`/api/v1/locate?lon=${lon}&lat=${lat}`)).json();
    expect(located.outside).toBeFalsy();
    const hotline = await world.context();
    await login(await hotline.newPage(), 'hotline', '/desk');
    const created = await hotline.request.post('/api/v1/cases', { headers: { origin: world.url }, data: { categoryCode: '06010', lon, lat, description: '大屏实时测试：路边暴露垃圾', channel: 'hotline' } });
    expect(created.status(), await created.text()).toBe(201);
    const { number } = await created.json() as { number: string };
    await expect.poll(() => page.locator('[data-live-feed]').textContent(), { timeout: 10_000 }).toContain(number);
    await expect.poll(() => cardValue(page, 'reported'), { timeout: 10_000 }).toBe(before + 1);
    await hotline.close();

    // down to a grid: open cases as pins, and a screenshot of the grid-level view
    await page.goto(`/screen?org=${located.grid.code}&period=30d&measure=open`);
    await expect.poll(() => page.locator('[data-breadcrumb] .current').getAttribute('data-org')).toBe(located.grid.code);
    await expect.poll(() => canvasDrawn(page, '[data-map]'), { timeout: 20_000 }).toBeGreaterThan(100);
    await screenshot(page, 'screen-grid');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('keeps its view in the URL, switches language, and fits 1366×768', async () => {
    const context = await world.context({ width: 1366, height: 768 });
    const page = await context.newPage();
    await login(page, 'leader', '/screen?org=150303&period=7d&measure=onTimeClosure');
    await expect.poll(() => page.locator('[data-breadcrumb] .current').getAttribute('data-org')).toBe('150303');
    expect(await page.locator('[data-period="7d"]').getAttribute('aria-pressed')).toBe('true');
    expect(await page.locator('[data-measure]').inputValue()).toBe('onTimeClosure');
    await page.locator('[data-lang-switch]').selectOption('en');
    await expect.poll(() => page.locator('h1').textContent()).toContain('City at a Glance');
    await expect.poll(() => page.locator('[data-card="reported"] .label').textContent()).toBe('Reported');
    expect(await page.evaluate(() => [document.documentElement.scrollWidth <= innerWidth, document.documentElement.scrollHeight <= innerHeight])).toEqual([true, true]);
    await context.close();
  });

  it('is for staff: a citizen is turned away', async () => {
    const context = await world.context();
    const page = await context.newPage();
    await login(page, 'citizen', '/screen');
    await expect.poll(() => page.locator('h1').textContent()).toBe('无权限');
    await context.close();
  });
});
