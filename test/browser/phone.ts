import { expect } from 'vitest';
import type { Page } from 'playwright-core';
import { screenshot } from './harness.js';

/** expect.poll with room for a loaded machine. */
export const poll = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 20_000, interval: 200 });

/** A 1×1 PNG, the photo a citizen attaches. */
export const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
/** A point inside a grid of the demo city (海勃湾区). */
export const SPOT = { longitude: 106.818, latitude: 39.674 };

/** Fills and submits /report as a citizen on a phone; returns the tracking number shown. */
export async function reportOnPhone(page: Page, opts: { description: string; phone: string; shot?: string }): Promise<string> {
  await page.goto('/report');
  await page.locator('[data-pin-map] canvas').first().waitFor();
  await page.locator('[data-use-position]').click();
  await poll(() => page.locator('[data-place-where]').textContent()).toMatch(/所在：.*社区/);
  await page.locator('[data-category-field]').click();
  await page.locator('.van-popup .van-search input').fill('暴露垃圾');
  await page.locator('[data-category="06010"]').click();
  await poll(() => page.locator('[data-category-field] input').inputValue()).toContain('06010');
  await page.locator('textarea[name="description"]').fill(opts.description);
  await page.locator('[data-photos] input[type="file"]').setInputFiles({ name: 'before.png', mimeType: 'image/png', buffer: PNG });
  await page.locator('[data-photos] .van-uploader__preview').first().waitFor();
  await page.locator('input[name="name"]').fill('王女士');
  await page.locator('input[name="phone"]').fill(opts.phone);
  if (opts.shot) await screenshot(page, opts.shot);
  await page.locator('[data-submit]').click();
  const number = page.locator('[data-tracking-number]');
  await number.waitFor();
  return (await number.textContent())?.trim() ?? '';
}

