import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserSkipReason, login, screenshot, startWorld, type BrowserWorld } from './harness.js';

describe.skipIf(browserSkipReason !== null)('landing page and sign-in (browser)', () => {
  let world: BrowserWorld;
  beforeAll(async () => {
    world = await startWorld();
  }, 600_000);
  afterAll(async () => world?.stop());

  it('names the city and links the three faces', async () => {
    const context = await world.context();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto('/');
    await expect.poll(() => page.locator('[data-city-name]').textContent()).toBe('乌海市');
    const links = await page.locator('nav a').evaluateAll((as) => as.map((a) => [a.getAttribute('href'), a.querySelector('.title')?.textContent]));
    expect(links).toEqual([['/desk', '工作台'], ['/screen', '一屏观全城'], ['/report', '市民服务']]);
    await screenshot(page, 'landing');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('shows wrong credentials in words, then signs in and lands on next', async () => {
    const context = await world.context();
    const page = await context.newPage();
    await page.goto('/login?next=/no/such/page');
    await expect.poll(() => page.locator('form button').count()).toBe(1);
    await page.locator('input[name="username"]').fill('dispatcher');
    await page.locator('input[name="password"]').fill('wrong-password');
    await page.locator('form button[type="submit"]').click();
    await expect.poll(() => page.locator('[data-login-error]').textContent()).toBe('用户名或密码错误，请重新输入。');
    await login(page, 'dispatcher', '/no/such/page');
    expect(new URL(page.url()).pathname).toBe('/no/such/page');
    await expect.poll(() => page.locator('h1').textContent()).toBe('页面不存在');
    const me = (await (await page.request.get('/api/v1/me')).json()) as { username: string };
    expect(me.username).toBe('dispatcher');
    await context.close();
  });

  it('shows the lock-out after repeated failures in words', async () => {
    const context = await world.context();
    const page = await context.newPage();
    await page.goto('/login');
    let text = '';
    for (let i = 0; i < 12 && !text.includes('登录失败次数过多'); i++) {
      await page.locator('input[name="username"]').fill('leader');
      await page.locator('input[name="password"]').fill(`wrong-${i}`);
      await page.locator('form button[type="submit"]').click();
      await page.locator('[data-login-error]').waitFor();
      await expect.poll(() => page.locator('form button').isEnabled()).toBe(true);
      text = (await page.locator('[data-login-error]').textContent()) ?? '';
    }
    expect(text).toMatch(/^登录失败次数过多，请在 \d+ 分钟后再试。$/);
    await context.close();
  });

  it('shows a translated page-not-found view for an unknown page, and switches language', async () => {
    const context = await world.context();
    const page = await context.newPage();
    await page.goto('/no/such/page');
    await expect.poll(() => page.locator('h1').textContent()).toBe('页面不存在');
    await page.locator('[data-lang-switch]').selectOption('en');
    await expect.poll(() => page.locator('h1').textContent()).toBe('Page not found');
    expect(await page.locator('a[href="/"]').textContent()).toBe('Back to home');
    await page.goto('/');
    await expect.poll(() => page.locator('nav a .title').first().textContent()).toBe('Workbench');
    await context.close();
  });
});
