import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserSkipReason, screenshot, startWorld, type BrowserWorld } from './harness.js';
import { poll } from './phone.js';

describe.skipIf(browserSkipReason !== null)('河长公示牌, public (browser, 375×667)', () => {
  let world: BrowserWorld;
  beforeAll(async () => {
    world = await startWorld();
  }, 600_000);
  afterAll(async () => world?.stop());

  it('lists the reaches, shows a board with its chiefs by level, and reports a problem placed at the reach, without signing in', async () => {
    const context = await world.context({ width: 375, height: 667 });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto('/river');
    await page.locator('[data-reach="HH-WH-02"]').waitFor();
    expect(await page.locator('[data-reach]').count()).toBe(6);
    await screenshot(page, 'river-boards');

    await page.locator('[data-reach="HH-WH-02"]').click();
    await page.locator('[data-reach-name]').waitFor();
    expect(await page.locator('[data-reach-name]').textContent()).toBe('黄河 海勃湾区段');
    const chiefs = await page.locator('[data-chief]').evaluateAll((els) => els.map((e) => e.textContent ?? ''));
    expect(chiefs.map((c) => c.match(/^(\S+?)河长/)?.[1])).toEqual(['市级', '区级', '乡镇/街道级', '村/社区级']);
    // Each chief by name when a person is assigned, else by post (the head of the org unit).
    const api = (await (await page.request.get('/api/v1/public/river-boards/HH-WH-02')).json()) as { chiefs: { org: string; person: string | null }[] };
    chiefs.forEach((c, i) => expect(c).toContain(api.chiefs[i].person ?? `${api.chiefs[i].org} 主要负责人`));
    expect(chiefs[3]).toContain('每周 1 次');
    expect(await page.locator('[data-department]').textContent()).toContain('市水务局');
    expect(await page.locator('[data-quality-target]').textContent()).toContain('Ⅱ 类');
    expect(await page.locator('[data-office-phone] a').getAttribute('href')).toBe('tel:0473-12345');
    expect(await page.locator('[data-water-class]').textContent()).toContain('暂无监测数据');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await screenshot(page, 'river-board');

    await page.locator('[data-report-reach]').click();
    await page.waitForURL((u) => u.pathname === '/report');
    await poll(() => page.locator('[data-place-where]').textContent()).toMatch(/所在：.*社区/);
    expect(await page.locator('input[name="address"]').inputValue()).toBe('黄河 海勃湾区段（HH-WH-02）');
    await screenshot(page, 'river-board-report');
    expect(errors).toEqual([]);
    await context.close();
  }, 300_000);

  it('reads in English', async () => {
    const context = await world.context({ width: 375, height: 667, locale: 'en' });
    await context.addInitScript(() => localStorage.setItem('gridloop.locale', 'en'));
    const page = await context.newPage();
    await page.goto('/river/WHH-01');
    await page.locator('[data-reach-name]').waitFor();
    const text = (await page.locator('[data-river-board]').textContent()) ?? '';
    for (const label of ['River chief board', 'River chiefs by level', 'City chief', 'Responsible department', 'Class Ⅱ', 'Report a problem here', '1× a quarter']) expect(text).toContain(label);
    await screenshot(page, 'river-board-en');
    await context.close();
  }, 120_000);
});
