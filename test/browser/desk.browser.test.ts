import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { browserSkipReason, DEMO_PASSWORD, login, screenshot, startWorld, type BrowserWorld } from './harness.js';

/** A signed-in API session (cookie header) for arranging data. */
async function session(url: string, username: string): Promise<string> {
  const res = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: DEMO_PASSWORD }) });
  expect(res.status).toBe(200);
  return (res.headers.get('set-cookie') ?? '').split(';')[0];
}

/** A point inside the first grid of 和平社区 (the mean of its outer ring's vertices; demo grids are convex). */
async function pointInHeping(url: string, cookie: string): Promise<{ lon: number; lat: number }> {
  const fc = (await (await fetch(`${url}/api/v1/grids.geojson?parent=150302001002`, { headers: { cookie } })).json()) as { features: { geometry: { type: string; coordinates: number[][][] | number[][][][] } }[] };
  const g = fc.features[0].geometry;
  const ring = (g.type === 'MultiPolygon' ? (g.coordinates as number[][][][])[0][0] : (g.coordinates as number[][][])[0]).slice(0, -1);
  return { lon: ring.reduce((s, p) => s + p[0], 0) / ring.length, lat: ring.reduce((s, p) => s + p[1], 0) / ring.length };
}

const textOf = (page: Page, selector: string) => page.locator(selector).first().textContent();

describe.skipIf(browserSkipReason !== null)('workbench (browser)', () => {
  let world: BrowserWorld;
  const cases: { id: number; number: string }[] = [];
  beforeAll(async () => {
    world = await startWorld();
    const worker = await session(world.url, 'gridworker');
    const at = await pointInHeping(world.url, worker);
    for (const description of ['桥下暴露垃圾一堆，气味很大', '人行道井盖缺失，存在安全隐患', '小区门口乱堆物料']) {
      const res = await fetch(`${world.url}/api/v1/cases`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: worker, origin: world.url },
        body: JSON.stringify({ categoryCode: '06010', ...at, description, channel: 'patrol', address: '和平社区', reporter: { name: '王小明', phone: '13912345678' } }),
      });
      expect(res.status, await res.clone().text()).toBe(201);
      cases.push((await res.json()) as { id: number; number: string });
    }
  }, 600_000);
  afterAll(async () => world?.stop());

  it('shows the dispatcher’s queues with server counts and opens a queue, then a case, and verifies it', async () => {
    const context = await world.context({ width: 1366, height: 900 });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await login(page, 'dispatcher', '/desk');
    await page.locator('[data-queue="verify"] [data-count]').waitFor();
    const counts = (await (await page.request.get('/api/v1/cases/queues')).json()) as { items: { key: string; count: number }[] };
    const verify = counts.items.find((q) => q.key === 'verify');
    expect(verify?.count).toBeGreaterThanOrEqual(3);
    expect(await textOf(page, '[data-queue="verify"] [data-count]')).toBe(String(verify?.count));
    expect(await textOf(page, '[data-queue="verify"] .name')).toBe('待核实');
    await screenshot(page, 'desk-queues');

    await page.locator('[data-queue="verify"]').click();
    await page.waitForURL(/\/desk\/cases\?queue=verify/);
    await expect.poll(() => textOf(page, '[data-total]')).toBe(`共 ${verify?.count} 件`);
    await page.locator('[data-case-link]', { hasText: cases[0].number }).waitFor();
    await screenshot(page, 'desk-case-list');

    await page.locator('[data-case-link]', { hasText: cases[0].number }).click();
    await page.waitForURL(`**/desk/cases/${cases[0].id}`);
    await expect.poll(() => textOf(page, '[data-case-number]')).toBe(cases[0].number);
    expect(await textOf(page, '[data-case-status]')).toBe('上报');
    const detail = (await (await page.request.get(`/api/v1/cases/${cases[0].id}`)).json()) as { allowedActions: string[] };
    const buttons = await page.locator('[data-action]').evaluateAll((els) => els.map((e) => e.getAttribute('data-action')));
    expect(buttons).toEqual(detail.allowedActions);
    expect(buttons).toContain('verify');
    expect(await textOf(page, '[data-sla="stage"] .light')).toMatch(/^(绿|黄|红|严重超期)/);
    expect(await textOf(page, '[data-sla="stage"] [data-sla-remaining]')).toMatch(/^(剩余|已超期) \d+ 工作时 \d+ 分$/);
    await page.locator('[data-case-map] canvas').first().waitFor();
    await page.locator('[data-timeline] [data-event="report"]').waitFor();
    await screenshot(page, 'desk-case');

    await page.locator('[data-action="verify"]').click();
    await page.locator('[data-action-submit]').click();
    await expect.poll(() => textOf(page, '[data-case-status]')).toBe('已核实');
    await expect.poll(() => page.locator('[data-action="register"]').count()).toBe(1);
    // the timeline reloads after the case itself: wait for it, as for the status
    await expect.poll(() => page.locator('[data-timeline] .el-timeline-item').count()).toBe(2);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('asks only for what an action needs: a reason for 不予立案', async () => {
    const context = await world.context();
    const page = await context.newPage();
    await login(page, 'dispatcher', `/desk/cases/${cases[2].id}`);
    await page.locator('[data-action="reject"]').click();
    const form = page.locator('[data-action-form="reject"]');
    await form.waitFor();
    expect(await form.locator('[data-field]').evaluateAll((els) => els.map((e) => e.getAttribute('data-field')))).toEqual(['note']);
    await page.locator('[data-action-submit]').click();
    await expect.poll(() => textOf(page, '[data-action-error]')).toBe('请填写说明。');
    await page.locator('[data-action="reject"]').first().isVisible();
    await page.locator('[data-action-form="reject"] textarea').fill('重复上报，已有案件处理');
    await page.locator('[data-action-submit]').click();
    await expect.poll(() => textOf(page, '[data-case-status]')).toBe('不予立案');
    await context.close();
  });

  it('asks a 重大隐患’s handler for every part of the 治理方案; the plan’s deadline becomes the case’s', async () => {
    const worker = await session(world.url, 'gridworker');
    const dispatcher = await session(world.url, 'dispatcher');
    const at = await pointInHeping(world.url, worker);
    const post = async (cookie: string, path: string, body: unknown) => {
      const res = await fetch(`${world.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', cookie, origin: world.url }, body: JSON.stringify(body) });
      expect(res.status, await res.clone().text()).toBeLessThan(300);
      return (await res.json()) as { id: number; version: number };
    };
    const hazard = await post(worker, '/api/v1/cases', { categoryCode: 'LYH11', ...at, description: '商场疏散通道堆放货物', channel: 'patrol', attributes: { hazardLevel: 'major' } });
    const hw = ((await (await fetch(`${world.url}/api/v1/departments`, { headers: { cookie: dispatcher } })).json()) as { items: { id: number; code: string }[] }).items.find((d) => d.code === 'HW');
    await post(dispatcher, `/api/v1/cases/${hazard.id}/transitions`, { action: 'dispatch', version: hazard.version, departmentId: hw?.id });

    const context = await world.context({ width: 1280, height: 1400 });
    const page = await context.newPage();
    await login(page, 'handler', `/desk/cases/${hazard.id}`);
    await page.locator('[data-action="submit_plan"]').click();
    const form = page.locator('[data-action-form="submit_plan"]');
    await form.waitFor();
    const fieldOf = (name: string) => form.locator(`[data-field="plan.${name}"]`).locator('xpath=self::textarea | self::input | .//textarea | .//input').first();
    await fieldOf('targets').fill('清理疏散通道, 恢复畅通');
    await page.locator('[data-action-submit]').click();
    await expect.poll(() => textOf(page, '[data-action-error]')).toBe('请填写方法和措施。');
    const texts: Record<string, string> = { measures: '清走货物, 划线禁停, 每日巡查', organisation: '商场安全部', responsible: '安全部经理', safetyMeasures: '清理期间设置警戒', emergencyPlan: '人员密集场所疏散预案' };
    for (const [name, value] of Object.entries(texts)) await fieldOf(name).fill(value);
    await fieldOf('funds').fill('30000');
    const due = new Date(Date.now() + 40 * 86_400_000);
    const local = new Date(due.getTime() + 8 * 3_600_000).toISOString().slice(0, 11) + '17:00';
    await fieldOf('deadline').fill(local);
    await screenshot(page, 'desk-hazard-plan');
    await page.locator('[data-action-submit]').click();
    await expect.poll(() => textOf(page, '[data-case-status]')).toBe('治理中');
    const shown = (await (await page.request.get(`/api/v1/hazards/${hazard.id}`)).json()) as { deadline: string; plan: Record<string, unknown> };
    expect(shown.plan).toMatchObject({ ...texts, targets: '清理疏散通道, 恢复畅通', funds: 30000, deadline: new Date(`${local}:00+08:00`).toISOString() });
    expect(shown.deadline).toBe(new Date(`${local}:00+08:00`).toISOString());
    await context.close();
  });

  it('a grid worker of another community sees 无权限, not the case', async () => {
    const context = await world.context();
    const page = await context.newPage();
    await login(page, 'gridworker2', `/desk/cases/${cases[1].id}`);
    await page.locator('[data-forbidden]').waitFor();
    expect(await page.locator('[data-forbidden]').textContent()).toContain('无权限');
    expect(await page.content()).not.toContain('井盖缺失');
    expect(await page.locator('[data-case-number]').count()).toBe(0);
    // The worker of the case's own community does see it.
    const own = await world.context();
    const ownPage = await own.newPage();
    await login(ownPage, 'gridworker', `/desk/cases/${cases[1].id}`);
    await expect.poll(() => textOf(ownPage, '[data-case-description]')).toBe('人行道井盖缺失，存在安全隐患');
    await own.close();
    await context.close();
  });

  it('shows a version conflict between two tabs in words and recovers', async () => {
    const context = await world.context();
    const tabA = await context.newPage();
    await login(tabA, 'dispatcher', `/desk/cases/${cases[1].id}`);
    const tabB = await context.newPage();
    await tabB.goto(`/desk/cases/${cases[1].id}`);
    await tabA.locator('[data-action="verify"]').waitFor();
    await tabB.locator('[data-action="verify"]').waitFor();
    await tabA.locator('[data-action="verify"]').click();
    await tabA.locator('[data-action-submit]').click();
    await expect.poll(() => textOf(tabA, '[data-case-status]')).toBe('已核实');
    await tabB.locator('[data-action="verify"]').click();
    await tabB.locator('[data-action-submit]').click();
    await expect.poll(() => textOf(tabB, '[data-conflict]')).toContain('其他人已先处理了此案件');
    // Tab B reloaded the case: it shows the new state and the next action, which works.
    await expect.poll(() => textOf(tabB, '[data-case-status]')).toBe('已核实');
    await tabB.locator('[data-action="register"]').click();
    await tabB.locator('[data-action-submit]').click();
    await expect.poll(() => textOf(tabB, '[data-case-status]')).toBe('立案');
    await context.close();
  });

  it('exports exactly the filtered list as CSV', async () => {
    const context = await world.context();
    const page = await context.newPage();
    await login(page, 'dispatcher', '/desk/cases?q=%E5%92%8C%E5%B9%B3&limit=100');
    await page.locator('[data-case-link]').first().waitFor();
    const shown = await page.locator('[data-case-link]').allTextContents();
    expect(shown.length).toBeGreaterThanOrEqual(3);
    expect(await textOf(page, '[data-total]')).toBe(`共 ${shown.length} 件`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-export-csv]').click()]);
    const csv = readFileSync((await download.path()) as string, 'utf8').replace(/^\uFEFF/, '');
    const [header, ...rows] = csv.trim().split(/\r\n/);
    expect(header.split(',')[0]).toBe('number');
    expect(rows.map((r) => r.split(',')[0])).toEqual(shown);
    // A narrower filter narrows both the same way.
    await page.goto(`/desk/cases?q=%E4%BA%95%E7%9B%96&limit=100`);
    await expect.poll(() => page.locator('[data-case-link]').allTextContents()).toEqual([cases[1].number]);
    const href = await page.locator('[data-export-csv]').getAttribute('href');
    const narrow = (await (await page.request.get(href as string)).text()).replace(/^\uFEFF/, '').trim().split(/\r\n/).slice(1);
    expect(narrow.map((r) => r.split(',')[0])).toEqual([cases[1].number]);
    await context.close();
  });

  it('switches between zh-CN and English, and keeps the choice', async () => {
    const context = await world.context();
    const page = await context.newPage();
    await login(page, 'handler', '/desk');
    await expect.poll(() => textOf(page, '[data-queue="handle"] .name')).toBe('待签收/处置中');
    await page.locator('[data-lang-switch]').selectOption('en');
    await expect.poll(() => textOf(page, '[data-queue="handle"] .name')).toBe('To accept / handling');
    expect(await textOf(page, '.el-menu-item')).toBe('My queues');
    await page.reload();
    await expect.poll(() => textOf(page, '[data-queue="handle"] .name')).toBe('To accept / handling');
    await page.locator('[data-lang-switch]').selectOption('zh-CN');
    await expect.poll(() => textOf(page, '.el-menu-item')).toBe('我的待办');
    await context.close();
  });

  it('admin pages: the routing test box explains a route; other roles see 无权限', async () => {
    const context = await world.context();
    const page = await context.newPage();
    await login(page, 'admin', '/desk/admin/routing');
    await page.locator('[data-explain]').click();
    await page.locator('[data-explain-result]').waitFor();
    const explained = (await (await page.request.post('/api/v1/routing/explain', { headers: { origin: world.url }, data: { categoryCode: '06010', orgCode: '150302001002', channel: 'patrol' } })).json()) as { explanation: string };
    expect(await page.locator('[data-explain-result]').textContent()).toContain(explained.explanation);
    await page.goto('/desk/admin/calendar');
    await page.locator('[data-day]').first().waitFor();
    expect(await page.locator('[data-day]').count()).toBeGreaterThanOrEqual(28);
    await screenshot(page, 'desk-admin-calendar');
    const other = await world.context();
    const dispatcher = await other.newPage();
    await login(dispatcher, 'dispatcher', '/desk/admin/categories');
    await expect.poll(() => textOf(dispatcher, 'h1')).toBe('无权限');
    await other.close();
    await context.close();
  });
});
