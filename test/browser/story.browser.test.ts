import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { browserSkipReason, login, screenshot, startWorld, type BrowserWorld } from './harness.js';
import { PNG, poll, reportOnPhone, SPOT } from './phone.js';

/**
 * The closed loop end to end, through the pages only: a citizen reports with a photo at /report,
 * the dispatcher verifies, registers and dispatches it from /desk, the department accepts and
 * completes it with an after photo, the inspector passes the check, the dispatcher closes it, and
 * the citizen tracks it by number and rates it 满意. The case page's timeline shows every step.
 */
describe.skipIf(browserSkipReason !== null)('the end-to-end story (browser)', () => {
  let world: BrowserWorld;
  beforeAll(async () => {
    world = await startWorld();
  }, 600_000);
  afterAll(async () => world?.stop());

  /** Takes `action` on the open case page and waits until the page shows the case after it. */
  async function act(page: Page, action: string, next: string, fill?: (page: Page) => Promise<void>): Promise<void> {
    await page.locator(`[data-action="${action}"]`).click();
    await page.locator(`[data-action-form="${action}"]`).waitFor();
    if (fill) await fill(page);
    await page.locator('[data-action-submit]').click();
    await poll(() => page.locator('[data-case-status]').textContent()).toContain(next);
  }

  async function staff(user: string, path: string): Promise<Page> {
    const context = await world.context();
    const page = await context.newPage();
    await login(page, user, path);
    return page;
  }

  it('runs a citizen report through the whole loop and back to the citizen', async () => {
    // 1. A citizen reports on a phone, with a photo, at their position.
    const citizen = await world.context({ width: 375, height: 667 });
    await citizen.grantPermissions(['geolocation']);
    await citizen.setGeolocation(SPOT);
    const phone = await citizen.newPage();
    const number = await reportOnPhone(phone, { description: '公园门口垃圾桶满溢，垃圾散落一地', phone: '13912345678' });
    expect(number).toMatch(/^[A-Z]+\d{14}$/);

    // 2. The dispatcher finds it in 待核实, verifies, registers and dispatches it to 市环卫中心.
    const desk = await staff('dispatcher', '/desk');
    await desk.locator('[data-queue="verify"]').click();
    await desk.locator('[data-case-link]', { hasText: number }).click();
    await poll(() => desk.locator('[data-case-number]').textContent()).toContain(number);
    const caseUrl = new URL(desk.url()).pathname;
    await act(desk, 'verify', '已核实');
    await act(desk, 'register', '立案');
    await act(desk, 'dispatch', '已派遣', async (p) => {
      // The routed department is proposed; it is the right one for 暴露垃圾.
      await poll(() => p.locator('[data-action-form="dispatch"] [data-field="departmentId"]').textContent()).toContain('环卫');
    });

    // 3. The department's handler accepts and completes it with an after photo.
    const handler = await staff('handler', caseUrl);
    await act(handler, 'accept', '处置中');
    await act(handler, 'complete', '已处置', async (p) => {
      await p.locator('[data-action-form="complete"] [data-field="photo"]').setInputFiles({ name: 'after.png', mimeType: 'image/png', buffer: PNG });
    });

    // 4. The inspector passes the check; 5. the dispatcher closes it.
    const inspector = await staff('inspector', caseUrl);
    await act(inspector, 'check_pass', '已核查');
    await desk.goto(caseUrl);
    await act(desk, 'close', '结案');

    // 6. The citizen tracks it by number and phone digits and rates it 满意 (solved).
    await phone.goto(`/report/track?number=${number}&phone4=5678`);
    await poll(() => phone.locator('[data-track-status]').textContent()).toBe('已办结');
    await phone.locator('[data-solved="yes"]').click();
    await phone.locator('[data-satisfaction="satisfied"]').click();
    await phone.locator('[data-rate-submit]').click();
    await poll(() => phone.locator('[data-rate-message]').textContent()).toBe('感谢您的评价！');
    await poll(() => phone.locator('[data-rate-yours]').textContent()).toContain('满意');
    expect(await phone.locator('[data-rate-form]').count()).toBe(0);
    const steps = await phone.locator('[data-track-timeline] [data-step]').evaluateAll((els) => els.map((e) => e.getAttribute('data-step')).reverse());
    expect(steps).toEqual(['report', 'verify', 'register', 'dispatch', 'accept', 'complete', 'check_pass', 'close', 'evaluate']);
    await screenshot(phone, 'story-track-rated');

    // 7. The case page's timeline shows every step in order, photos included.
    await desk.goto(caseUrl);
    await poll(() => desk.locator('[data-timeline] [data-event]').count()).toBeGreaterThanOrEqual(11);
    const events = await desk.locator('[data-timeline] [data-event]').evaluateAll((els) => els.map((e) => e.getAttribute('data-event')));
    expect(events.filter((e) => e !== 'attach')).toEqual(['report', 'verify', 'register', 'dispatch', 'accept', 'complete', 'check_pass', 'close', 'evaluate']);
    expect(events.filter((e) => e === 'attach')).toHaveLength(2);
    expect(events.indexOf('attach')).toBe(1);
    await screenshot(desk, 'story-case-timeline');
  }, 480_000);
});
