import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserSkipReason, login, screenshot, startWorld, type BrowserWorld } from './harness.js';
import { poll, reportOnPhone, SPOT } from './phone.js';

describe.skipIf(browserSkipReason !== null)('citizen portal on a phone (browser, 375×667)', () => {
  let world: BrowserWorld;
  beforeAll(async () => {
    world = await startWorld();
  }, 600_000);
  afterAll(async () => world?.stop());

  async function phone() {
    const context = await world.context({ width: 375, height: 667 });
    await context.grantPermissions(['geolocation']);
    await context.setGeolocation(SPOT);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(`${e.message} ${e.stack ?? ''}`.slice(0, 600)));
    // The signed-out probe of GET /me answers 401 by design; any other console error is a defect.
    page.on('console', (m) => m.type() === 'error' && !m.text().includes('status of 401') && errors.push(m.text()));
    return { context, page, errors };
  }

  it('reports a problem with a photo at the current position and shows the tracking number', async () => {
    const { context, page, errors } = await phone();
    const number = await reportOnPhone(page, { description: '小区门口垃圾堆了三天', phone: '13912345678', shot: 'report' });
    expect(number).toMatch(/^[A-Z]+\d{14}$/);
    await screenshot(page, 'report-done');
    // The page fits the phone: nothing wider than the viewport.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    const res = await page.request.get(`/api/v1/track/${number}?phone4=5678`);
    expect(res.status()).toBe(200);

    await page.locator('[data-go-track]').click();
    await poll(() => page.locator('[data-track-status]').textContent()).toBe('已受理');
    expect(await page.locator('[data-track-timeline] [data-step]').count()).toBe(1);
    await poll(() => page.locator('[data-track-expected]').textContent()).toMatch(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
    await screenshot(page, 'report-track');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('refuses wrong phone digits in words, and switches to English', async () => {
    const { context, page, errors } = await phone();
    await page.goto('/report/track');
    await page.locator('input[name="number"]').fill('GL20990101000001');
    await page.locator('input[name="phone4"]').fill('1234');
    await page.locator('[data-track-submit]').click();
    await poll(() => page.locator('[data-track-error]').textContent()).toBe('没有找到该编号，或电话后 4 位不符。');
    await page.locator('[data-lang-switch]').selectOption('en');
    await poll(() => page.locator('.van-nav-bar__title').textContent()).toBe('Report a problem');
    await page.locator('[data-nav="mine"]').click();
    await poll(() => page.locator('[data-my-reports]').textContent()).toContain('Sign in to see every problem you reported');
    expect(errors.filter((e) => !e.includes('status of 404'))).toEqual([]);
    await context.close();
  });

  it('lists a signed-in citizen\'s own reports', async () => {
    const { context, page } = await phone();
    await login(page, 'citizen', '/report/mine');
    await poll(() => page.locator('[data-my-reports]').textContent()).toContain('您还没有上报过问题');
    const number = await reportOnPhone(page, { description: '路灯不亮', phone: '' });
    await page.locator('[data-nav="mine"]').click();
    await poll(() => page.locator(`[data-my-case="${number}"]`).count()).toBe(1);
    await page.locator(`[data-my-case="${number}"]`).click();
    // Their own report needs no phone digits.
    await poll(() => page.locator('[data-track-status]').textContent()).toBe('已受理');
    await context.close();
  });
});
