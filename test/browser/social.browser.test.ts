import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { browserSkipReason, DEMO_PASSWORD, login, screenshot, startWorld, type BrowserWorld } from './harness.js';

// The 矛盾纠纷 and 信访 areas of the workbench: a mediator takes a court-referred dispute from
// intake through sessions and an agreement to 回访 and 结案; a petition is registered by letter with
// its 15-day deadline shown, accepted, extended (a leader approves), answered and a 复查 asked for;
// an ordinary 12345 case is turned into a dispute; the KPIs page, in Chinese and English.

const textOf = (page: Page, selector: string) => page.locator(selector).first().textContent();

/** Picks an Element Plus select's option by its visible text. */
async function choose(page: Page, field: string, option: string | RegExp) {
  await page.locator(`[data-field="${field}"]`).first().click();
  await page.locator('.el-select-dropdown:visible .el-select-dropdown__item', { hasText: option }).first().click();
}

/** Walks a lazy org cascader down by node labels. */
async function cascade(page: Page, path: string[]) {
  await page.locator('[data-community-picker] .el-cascader').click();
  for (const label of path) await page.locator('.el-cascader-panel:visible .el-cascader-node', { hasText: label }).first().click();
}

/** The native input or textarea of a form field (Element Plus puts data-* on the native element or its wrapper). */
function field(page: Page, name: string, within = '') {
  const scope = within ? `${within} ` : '';
  return page.locator([`${scope}input[data-field="${name}"]`, `${scope}textarea[data-field="${name}"]`, `${scope}[data-field="${name}"] input`, `${scope}[data-field="${name}"] textarea`].join(', ')).first();
}

async function act(page: Page, action: string, fill: (page: Page) => Promise<void> = async () => undefined) {
  await page.locator(`[data-action="${action}"]`).click();
  await page.locator(`[data-action-form="${action}"]`).waitFor();
  await fill(page);
  await page.locator('[data-action-submit]').click();
  await page.locator(`[data-action-form="${action}"]`).waitFor({ state: 'hidden' });
}
const note = (text: string) => async (page: Page) => field(page, 'note', '').fill(text);

async function session(url: string, username: string): Promise<string> {
  const res = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: DEMO_PASSWORD }) });
  expect(res.status).toBe(200);
  return (res.headers.get('set-cookie') ?? '').split(';')[0];
}

describe.skipIf(browserSkipReason !== null)('矛盾纠纷 and 信访 in the workbench (browser)', () => {
  let world: BrowserWorld;
  beforeAll(async () => {
    world = await startWorld();
  }, 600_000);
  afterAll(async () => world?.stop());

  it('a mediator registers a court-referred dispute, records a session and an agreement, and the case reaches 回访 and 结案', async () => {
    const context = await world.context({ width: 1366, height: 900 });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await login(page, 'mediator', '/desk/disputes/new');
    await page.locator('[data-intake="dispute"]').waitFor();
    await choose(page, 'category', '邻里纠纷');
    await choose(page, 'source', '法院委派调解');
    await field(page, 'description', '').fill('法院委派：两户因院墙通行发生争执，请求调解');
    await field(page, 'amount', '').fill('8000');
    await field(page, 'partyName', '[data-party="0"]').fill('张三');
    await field(page, 'partyPhone', '[data-party="0"]').fill('13900001111');
    await field(page, 'partyId', '[data-party="0"]').fill('11010519491231002X');
    await field(page, 'partyName', '[data-party="1"]').fill('李四');
    await field(page, 'mediationOrg', '').fill('凤凰岭街道人民调解委员会');
    await cascade(page, ['凤凰岭街道', '和平社区']);
    await page.locator('[data-point]').waitFor();
    await screenshot(page, 'social-dispute-intake');
    await page.locator('[data-intake-submit]').click();
    await page.locator('[data-created]').waitFor();
    await page.locator('[data-open-created]').click();
    await page.waitForURL(/\/desk\/cases\/\d+$/);
    const id = Number(page.url().split('/').pop());

    await expect.poll(() => textOf(page, '[data-case-status]')).toBe('受理');
    await page.locator('[data-dispute] [data-parties]').waitFor();
    expect(await page.locator('[data-dispute] [data-parties]').textContent()).toContain('11010519491231002X');
    await act(page, 'assign', note('指派凤凰岭街道调解员'));
    await act(page, 'start_mediation');
    await expect.poll(() => textOf(page, '[data-case-status]')).toBe('调解中');
    await page.locator('[data-dispute-edit]').click();
    await field(page, 'mediators').fill('王桂兰、李建国');
    await page.locator('[data-dispute-submit]').click();
    await expect.poll(() => textOf(page, '[data-mediators]')).toBe('王桂兰、李建国');

    await page.locator('[data-add-session]').click();
    await field(page, 'attendees', '').fill('张三、李四、调解员');
    await field(page, 'summary', '').fill('双方陈述意见，同意拆除部分院墙保证通行');
    await page.locator('[data-dispute-submit]').click();
    await expect.poll(() => page.locator('[data-session]').count()).toBe(1);

    // 调解成功 needs the agreement first: the server says so and nothing changes.
    await page.locator('[data-action="succeed"]').click();
    await page.locator('[data-action-submit]').click();
    await expect.poll(() => textOf(page, '[data-action-error]')).toContain('调解协议书');
    await page.keyboard.press('Escape');
    await page.locator('[data-action-form="succeed"]').waitFor({ state: 'hidden' });
    expect(await textOf(page, '[data-case-status]')).toBe('调解中');
    await page.locator('[data-record-agreement]').click();
    await field(page, 'agreementSummary', '').fill('李四于十日内拆除院墙东段两米，张三承担一半费用');
    await page.locator('[data-dispute-submit]').click();
    await page.locator('[data-agreement]').waitFor();
    await expect.poll(() => textOf(page, '[data-confirm-deadline]')).toMatch(/申请期限 \d{4}-\d{2}-\d{2}（剩 30 天）/);
    await act(page, 'succeed');
    await expect.poll(() => textOf(page, '[data-case-status]')).toBe('调解成功');
    await screenshot(page, 'social-dispute-agreed');

    await act(page, 'callback');
    await expect.poll(() => textOf(page, '[data-case-status]')).toBe('已回访');
    await expect.poll(() => textOf(page, '[data-kept]')).toContain('正在履行');
    await act(page, 'close');
    await expect.poll(() => textOf(page, '[data-case-status]')).toBe('结案');
    await page.locator('[data-timeline] [data-event="dispute_session"]').waitFor();
    expect(await textOf(page, '[data-timeline] [data-event="dispute_session"] strong')).toBe('调解记录');
    await screenshot(page, 'social-dispute-closed');

    // A leader reads the same dispute with the parties masked.
    const leaderContext = await world.context();
    const leaderPage = await leaderContext.newPage();
    await login(leaderPage, 'leader', `/desk/cases/${id}`);
    await leaderPage.locator('[data-dispute] [data-parties]').waitFor();
    const masked = await leaderPage.locator('[data-dispute] [data-parties]').textContent();
    expect(masked).toContain('张*');
    expect(masked).not.toContain('19491231');
    await leaderContext.close();

    // The list finds it by risk level and state.
    await page.goto('/desk/disputes?riskLevel=general&status=closed');
    await page.locator('[data-case-link]').first().waitFor();
    expect(await page.locator('[data-case-link]').allTextContents()).toContain(await textOf(page, '[data-case-link]'));
    await expect.poll(() => textOf(page, '[data-total]')).toBe('共 1 件');
    await screenshot(page, 'social-dispute-list');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a petition by letter shows its 15-day deadline, is accepted, extended, answered and a 复查 is asked for (English)', async () => {
    const context = await world.context({ width: 1366, height: 900 });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await login(page, 'dispatcher', '/desk/petitions/new');
    await page.locator('[data-lang-switch]').selectOption('en');
    await page.locator('[data-intake="petition"]').waitFor();
    expect(await textOf(page, 'h1')).toBe('Register a petition');
    await choose(page, 'category', '城乡建设信访');
    await page.locator('[data-channel="letter"]').click();
    await field(page, 'description', '').fill('来信反映小区违建长期未处理');
    await field(page, 'petitionerName', '').fill('王五');
    await field(page, 'addressedTo', '').fill('海勃湾区住建局');
    await cascade(page, ['乌海市', '海勃湾区', '凤凰岭街道', '和平社区']);
    await page.locator('[data-point]').waitFor();
    await screenshot(page, 'social-petition-intake-en');
    await page.locator('[data-intake-submit]').click();
    await page.locator('[data-created-deadline]').waitFor();
    expect(await textOf(page, '[data-created-deadline]')).toMatch(/^Decide on acceptance by \d{4}-\d{2}-\d{2} \(within 15 days\)$/);
    await page.locator('[data-open-created]').click();
    await page.waitForURL(/\/desk\/cases\/\d+$/);
    const id = Number(page.url().split('/').pop());
    const c = (await (await page.request.get(`/api/v1/cases/${id}`)).json()) as { stageDeadline: string; createdAt: string; version: number };
    const dueDate = new Date(Date.parse(c.stageDeadline) + 8 * 3_600_000).toISOString().slice(0, 10);
    await expect.poll(() => textOf(page, '[data-clock-due="acceptance"]')).toBe(dueDate);
    expect(await textOf(page, '[data-clock-left="acceptance"]')).toBe('15 days left');
    await screenshot(page, 'social-petition-lodged-en');

    await act(page, 'accept');
    await expect.poll(() => textOf(page, '[data-clock-left="conclude"]')).toBe('60 days left');
    await act(page, 'request_extension', async (p) => {
      await field(p, 'extensionAmount').fill('30');
      await field(p, 'note').fill('Needs a site survey by the district');
    });
    const leaderContext = await world.context();
    const leaderPage = await leaderContext.newPage();
    await login(leaderPage, 'leader', `/desk/cases/${id}`);
    await act(leaderPage, 'approve_extension');
    await leaderContext.close();
    await page.reload();
    await expect.poll(() => textOf(page, '[data-clock-left="conclude"]')).toBe('90 days left');
    await act(page, 'reply', note('Written reply: the building will be removed by the district'));
    await act(page, 'request_review', note('The petitioner asks the next level to review'));
    await page.locator('[data-chain] [data-step="reviewRequestedAt"]').waitFor();
    await expect.poll(() => textOf(page, '[data-clock-left="review"]')).toBe('30 days left');
    expect(await textOf(page, '[data-case-status]')).toBe('Under review');
    await screenshot(page, 'social-petition-review-en');

    await page.goto('/desk/petitions');
    await page.locator('[data-case-link]').first().waitFor();
    expect(await textOf(page, 'h1')).toBe('Petitions');
    await screenshot(page, 'social-petition-list-en');
    await page.goto('/desk/petitions/backlog');
    await page.locator('[data-backlog-list]').waitFor();
    await screenshot(page, 'social-petition-backlog-en');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('转调解 turns a 12345 neighbour-noise case into a dispute; the KPIs page counts it', async () => {
    const cookie = await session(world.url, 'dispatcher');
    const fc = (await (await fetch(`${world.url}/api/v1/grids.geojson?parent=150302001002`, { headers: { cookie } })).json()) as { features: { geometry: { coordinates: number[][][] } }[] };
    const ring = fc.features[0].geometry.coordinates[0].slice(0, -1);
    const at = { lon: ring.reduce((s, p) => s + p[0], 0) / ring.length, lat: ring.reduce((s, p) => s + p[1], 0) / ring.length };
    const res = await fetch(`${world.url}/api/v1/cases`, {
      method: 'POST', headers: { 'content-type': 'application/json', cookie, origin: world.url },
      body: JSON.stringify({ categoryCode: 'L1203', ...at, description: '楼上邻居深夜噪音，多次沟通无果', channel: 'hotline', reporter: { name: '赵六', phone: '13900003333' } }),
    });
    expect(res.status, await res.clone().text()).toBe(201);
    const hotline = (await res.json()) as { id: number; number: string };

    const context = await world.context({ width: 1366, height: 900 });
    const page = await context.newPage();
    await login(page, 'dispatcher', `/desk/cases/${hotline.id}`);
    await page.locator('[data-to-mediation]').click();
    await choose(page, 'categoryCode', '邻里纠纷');
    await field(page, 'note', '[data-to-mediation-form]').fill('邻里噪音，转人民调解');
    await page.locator('[data-to-mediation-submit]').click();
    await page.waitForURL((u) => /\/desk\/cases\/\d+$/.test(u.pathname) && !u.pathname.endsWith(`/${hotline.id}`));
    await page.locator('[data-dispute]').waitFor();
    await expect.poll(() => page.locator(`[data-dispute] a[href="/desk/cases/${hotline.id}"]`).count()).toBe(1);
    const closed = (await (await page.request.get(`/api/v1/cases/${hotline.id}`)).json()) as { status: string };
    expect(closed.status).toBe('transferred');
    const disputeNumber = await textOf(page, '[data-case-number]');
    await page.goto(`/desk/cases/${hotline.id}`);
    await expect.poll(() => textOf(page, '[data-transferred-to] a')).toBe(disputeNumber);
    expect(await page.locator('[data-to-mediation]').count()).toBe(0);

    await page.goto('/desk/social-kpis');
    await page.locator('[data-kpi="received"] .value').waitFor();
    const kpis = (await (await page.request.get('/api/v1/social/kpis?from=' + new Date(Date.now() - 89 * 86_400_000).toISOString().slice(0, 10))).json()) as { mediation: { received: number } };
    expect(kpis.mediation.received).toBeGreaterThanOrEqual(2);
    await expect.poll(() => textOf(page, '[data-kpi="received"] .value')).toBe(String(kpis.mediation.received));
    await page.locator('[data-kpi-units] .el-table__row').first().waitFor();
    await screenshot(page, 'social-kpis');
    await page.locator('[data-lang-switch]').selectOption('en');
    await expect.poll(() => textOf(page, 'h1')).toBe('Social governance KPIs');
    await screenshot(page, 'social-kpis-en');
    await context.close();
  });
});
