import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { browserSkipReason, login, screenshot, startWorld, type BrowserWorld } from './harness.js';
import { poll } from './phone.js';

const rows = (page: Page, table: string) => page.locator(`[${table}] .el-table__body tr`);

describe.skipIf(browserSkipReason !== null)('workbench: patrol plans, records, compliance, risk map, river register (browser)', () => {
  let world: BrowserWorld;
  beforeAll(async () => {
    // A week of demo history: patrols with tracks, enterprises with risk points.
    world = await startWorld({ historyDays: 7, perDay: 4 });
  }, 900_000);
  afterAll(async () => world?.stop());

  it('plans: lists and edits a plan\'s frequency', async () => {
    const context = await world.context();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await login(page, 'admin', '/desk/patrol/plans');
    await rows(page, 'data-plan-table').first().waitFor();
    const first = page.locator('[data-plan-edit]').first();
    const id = await first.getAttribute('data-plan-edit');
    await first.click();
    await page.locator('[data-plan-dialog] [data-plan-times] input').fill('3');
    await page.locator('[data-plan-save]').click();
    await page.locator('[data-plan-dialog]').waitFor({ state: 'hidden' });
    const plan = ((await (await page.request.get('/api/v1/patrol-plans')).json()) as { items: { id: number; frequency: { times: number; label: string } }[] }).items.find((p) => String(p.id) === id);
    expect(plan?.frequency.times).toBe(3);
    await poll(async () => (await page.locator('[data-plan-table] [data-frequency]').allTextContents()).join('|')).toContain(plan?.frequency.label ?? '?');
    await screenshot(page, 'desk-patrol-plans');
    expect(errors).toEqual([]);
    await context.close();
  }, 180_000);

  it('records: a patrol\'s track on the map; compliance with drill-down and CSV; risk map; river register', async () => {
    const context = await world.context();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await login(page, 'admin', '/desk/patrol/records');
    await rows(page, 'data-record-table').first().waitFor();
    await rows(page, 'data-record-table').first().click();
    await page.locator('[data-track-panel] [data-line-map] canvas').first().waitFor();
    expect(await page.locator('[data-track-meta]').textContent()).toMatch(/米|公里/);
    await page.waitForTimeout(300);
    await screenshot(page, 'desk-patrol-records');

    await page.goto('/desk/patrol/compliance');
    await rows(page, 'data-compliance-groups').first().waitFor();
    const city = await page.locator('[data-compliance-org]').textContent();
    const drill = page.locator('[data-drill]').first();
    const district = await drill.textContent();
    await drill.click();
    await poll(() => page.locator('[data-compliance-org]').textContent()).toContain(district?.trim() ?? '?');
    expect(await page.locator('[data-compliance-org]').textContent()).not.toBe(city);
    await rows(page, 'data-compliance-rows').first().waitFor();
    const href = await page.locator('[data-compliance-csv]').getAttribute('href');
    expect(href).toMatch(/^\/api\/v1\/patrols\/compliance\.csv\?org=\d+/);
    const csv = await page.request.get(href ?? '');
    expect(csv.headers()['content-type']).toContain('text/csv');
    expect((await csv.text()).split('\r\n')[0]).toContain('person,target');
    await screenshot(page, 'desk-patrol-compliance');

    await page.goto('/desk/patrol/risk');
    await rows(page, 'data-enterprise-table').first().waitFor();
    const counts = await page.locator('[data-risk-count] strong').allTextContents();
    const risk = (await (await page.request.get('/api/v1/risk-map')).json()) as { counts: Record<string, number> };
    expect(counts.map(Number)).toEqual(['red', 'orange', 'yellow', 'blue', 'none'].map((c) => risk.counts[c]));
    expect(risk.counts.red + risk.counts.orange + risk.counts.yellow + risk.counts.blue).toBeGreaterThan(0);
    await page.locator('[data-risk-map] [data-line-map] canvas').first().waitFor();
    await page.waitForTimeout(300);
    await screenshot(page, 'desk-risk-map');

    await page.goto('/desk/patrol/rivers');
    await rows(page, 'data-river-table').first().waitFor();
    expect(await page.locator('[data-reach-row]').count()).toBe(6);
    expect(await page.locator('[data-reach-row="HH-WH-02"]').count()).toBe(1);
    await page.locator('[data-river-register] [data-line-map] canvas').first().waitFor();
    await page.waitForTimeout(300);
    await screenshot(page, 'desk-river-register');
    expect(errors).toEqual([]);
    await context.close();
  }, 240_000);

  it('reads in English', async () => {
    const context = await world.context({ locale: 'en' });
    await context.addInitScript(() => localStorage.setItem('gridloop.locale', 'en'));
    const page = await context.newPage();
    await login(page, 'admin', '/desk/patrol/compliance');
    await rows(page, 'data-compliance-groups').first().waitFor();
    expect(await page.locator('h1').textContent()).toBe('Patrol compliance');
    await screenshot(page, 'desk-patrol-compliance-en');
    await page.goto('/desk/patrol/rivers');
    await rows(page, 'data-river-table').first().waitFor();
    const text = (await page.locator('[data-river-register]').textContent()) ?? '';
    for (const label of ['River and lake register', 'Chiefs by level', 'City', 'a quarter', 'Public board']) expect(text).toContain(label);
    await screenshot(page, 'desk-river-register-en');
    await page.goto('/desk/patrol/risk');
    await rows(page, 'data-enterprise-table').first().waitFor();
    expect(await page.locator('[data-risk-count="red"]').textContent()).toContain('Major risk (red)');
    await screenshot(page, 'desk-risk-map-en');
    await context.close();
  }, 180_000);
});
