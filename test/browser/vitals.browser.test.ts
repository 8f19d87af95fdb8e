/// <reference lib="dom" />
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { browserSkipReason, login, screenshot, startWorld, type BrowserWorld } from './harness.js';

/** How many non-transparent pixels (sampled) the first canvas under `selector` has drawn. */
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

describe.skipIf(browserSkipReason !== null)('城市体征 on the big screen (browser)', () => {
  let world: BrowserWorld;
  beforeAll(async () => {
    // A day of case history: enough for the demo's live sensor hour (alarms) to run after it.
    world = await startWorld({ historyDays: 1, perDay: 4 });
  }, 900_000);
  afterAll(async () => world?.stop());

  it('shows AQI now and its trend, water class against target, sensor alarms on the map and devices online, in Chinese and English', async () => {
    const context = await world.context({ width: 1920, height: 1080 });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await login(page, 'leader', '/screen');
    await page.locator('[data-view="vitals"]').click();
    expect(new URL(page.url()).searchParams.get('view')).toBe('vitals');
    await expect.poll(() => page.locator('[data-aqi-now] .num').textContent(), { timeout: 20_000 }).toMatch(/^\d+$/);
    expect(['优', '良', '轻度污染', '中度污染', '重度污染', '严重污染']).toContain(await page.locator('[data-aqi-now] [data-level]').textContent());
    const good = await page.locator('[data-good-days] strong').textContent();
    expect(Number(good)).toBeGreaterThan(0);
    await expect.poll(() => canvasDrawn(page, '[data-vitals-map]'), { timeout: 20_000 }).toBeGreaterThan(500);
    await expect.poll(() => canvasDrawn(page, '[data-aqi-hourly]'), { timeout: 20_000 }).toBeGreaterThan(50);
    expect(await page.locator('[data-stations] tbody tr').count()).toBe(7);
    // the 黄河 reaches against their Ⅱ类 target
    await expect.poll(() => page.locator('[data-water] tr[data-reach="HH-WH-02"] td').nth(2).textContent()).toBe('Ⅱ类');
    expect(await page.locator('[data-water] tbody tr').count()).toBe(6);
    // the demo's live hour: three devices in alarm, each with its case
    await expect.poll(() => page.locator('[data-alarms] li').count()).toBe(3);
    expect(await page.locator('[data-alarms] li button.link').count()).toBe(3);
    // the indicators register with the plan's targets
    await expect.poll(() => page.locator('[data-indicators] tr[data-indicator="green_coverage_built_up"] td').nth(2).textContent()).toMatch(/^43\s?%/);
    expect(await page.locator('[data-indicators] tbody tr').count()).toBeGreaterThanOrEqual(4);
    expect(await page.locator('[data-online-rate]').textContent()).toMatch(/^\d+(\.\d)?%$/);
    expect(await page.evaluate(() => [document.documentElement.scrollWidth <= innerWidth, document.documentElement.scrollHeight <= innerHeight])).toEqual([true, true]);
    await page.waitForTimeout(800);
    await screenshot(page, 'screen-vitals');

    // a click on an alarm's case number opens the case in the workbench
    await page.locator('[data-alarms] li button.link').first().click();
    await page.waitForURL((u) => u.pathname.startsWith('/desk/cases/'));

    // English
    const en = await world.context({ width: 1920, height: 1080 });
    const pageEn = await en.newPage();
    await login(pageEn, 'leader', '/screen?view=vitals');
    await pageEn.locator('[data-lang-switch]').selectOption('en');
    await expect.poll(() => pageEn.locator('[data-aqi-now] h2').textContent(), { timeout: 20_000 }).toMatch(/^Air quality/);
    expect(['Excellent', 'Good', 'Lightly polluted', 'Moderately polluted', 'Heavily polluted', 'Severely polluted']).toContain(await pageEn.locator('[data-aqi-now] [data-level]').textContent());
    await expect.poll(() => canvasDrawn(pageEn, '[data-vitals-map]'), { timeout: 20_000 }).toBeGreaterThan(500);
    await pageEn.waitForTimeout(800);
    await screenshot(pageEn, 'screen-vitals-en');
    expect(errors).toEqual([]);
  });
});
