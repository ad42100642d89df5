import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseUrl, cspViolations, DESKTOP, launchChromium, openConsole, PHONE, screenshot, SCREENSHOTS, signInAs } from './support/browser';

/**
 * The village worker's day in a real browser (issue 17): signs in as the demo village worker,
 * opens the overdue visits, records a visit for an overdue household and sees it leave the list;
 * screenshots of the worker's screens at desktop and phone sizes.
 */
let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

const householdLinks = (page: Page) => page.locator('.ant-table-tbody a[href^="/worker/households/"]');

describe('the village worker', () => {
  it('loads the sign-in page and the worker screen, with no CSP violation (time to interactive reported, not asserted)', async () => {
    const { context, page, problems } = await openConsole(browser, DESKTOP);
    await page.goto(`${baseUrl()}/`);
    await page.locator('button[data-role="village_worker"]').waitFor({ state: 'visible' });
    // Page time: 0 is the navigation's start, so this is navigation start → sign-in buttons shown.
    const signInInteractiveMs = Math.round(Number(await page.evaluate('performance.now()')));
    const navigation = await page.evaluate('JSON.stringify(performance.getEntriesByType("navigation")[0])');
    await screenshot(page, 'worker', 'sign-in');
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');

    // Signing in is a client-side route change: from the click to the first overdue household's button.
    const clicked = Number(await page.evaluate('performance.now()'));
    await page.locator('button[data-role="village_worker"]').click();
    await page.getByTestId('record-visit').first().waitFor({ state: 'visible' });
    const workerInteractiveMs = Math.round(Number(await page.evaluate('performance.now()')) - clicked);
    mkdirSync(SCREENSHOTS, { recursive: true });
    writeFileSync(
      join(SCREENSHOTS, 'timings.json'),
      JSON.stringify({ signInInteractiveMs, workerInteractiveMs, navigation: JSON.parse(String(navigation)) as unknown }, null, 2),
    );
    console.log(
      `e2e: sign-in page interactive ${signInInteractiveMs} ms after navigation start (localhost, cold browser cache); ` +
        `worker screen interactive ${workerInteractiveMs} ms after signing in`,
    );
    expect(cspViolations(problems)).toEqual([]);
    await context.close();
  });

  it('records a visit for an overdue household and sees it leave the overdue list', async () => {
    const { context, page, problems } = await openConsole(browser, DESKTOP);
    await signInAs(page, 'village_worker');
    await page.waitForURL(/\/worker\/overdue$/);
    await householdLinks(page).first().waitFor();
    // Names of households and groups arrive after the list: wait for them before the picture.
    await page.waitForLoadState('networkidle');
    await screenshot(page, 'worker', 'overdue');

    const href = (await householdLinks(page).first().getAttribute('href'))!;
    const before = await page.locator(`.ant-table-tbody a[href="${href}"]`).count();
    const row = page.locator('.ant-table-tbody tr', { has: page.locator(`a[href="${href}"]`) }).first();
    await row.getByTestId('record-visit').click();
    // The form opens in a drawer over the list (antd portals it to the body).
    await page.getByLabel('走访发现').fill('入户走访，老人身体状况稳定，家中取暖正常。');
    await page.getByLabel('后续措施（每行一条）').fill('下周电话回访');
    await screenshot(page, 'worker', 'record-visit');
    await page.getByRole('button', { name: '保存走访记录' }).click();
    await page
      .getByText(/已记录/)
      .first()
      .waitFor();
    await expect.poll(() => page.locator(`.ant-table-tbody a[href="${href}"]`).count(), { timeout: 30_000 }).toBeLessThan(before);

    // The household's page shows the visit just recorded.
    await page.goto(`${baseUrl()}${href}`);
    await page.getByText('入户走访，老人身体状况稳定，家中取暖正常。').waitFor();
    await screenshot(page, 'worker', 'household');
    expect(cspViolations(problems)).toEqual([]);
    await context.close();
  });

  it('answers a task raised from department data and sees it leave the open list', async () => {
    const { context, page, problems } = await openConsole(browser, DESKTOP);
    await signInAs(page, 'village_worker');
    await page.getByRole('menuitem', { name: '核查任务' }).click();
    await page.getByText('我的核查任务').waitFor();
    // The demo county's school-enrolment and other findings are the worker's open tasks, earliest deadline first.
    const first = page.locator('.ant-table-tbody tr.ant-table-row').first();
    await first.waitFor();
    const taskId = (await first.getAttribute('data-row-key'))!;
    const task = page.locator(`.ant-table-tbody tr[data-row-key="${taskId}"]`);
    // A Chinese cause and a deadline badge, as the worker reads them.
    expect(await task.textContent()).toMatch(/[\u4e00-\u9fff]{2,}/);
    await task.getByRole('button', { name: /反\s*馈/ }).click();
    await page.getByText('反馈核查结果').waitFor();
    // The default outcome is 经核查无需救助, dated today: the reason is what the worker writes.
    await expect(page.locator('.ant-drawer').textContent()).resolves.toContain('经核查无需救助');
    await page.getByLabel('理由').fill('入户核实：孩子已在镇中心小学就读，学籍已转入。');
    await screenshot(page, 'worker', 'task-answer');
    await page.getByRole('button', { name: /提\s*交/ }).click();
    await page.getByText('已反馈').first().waitFor();
    await expect.poll(() => task.count(), { timeout: 30_000 }).toBe(0);
    expect(cspViolations(problems)).toEqual([]);
    await context.close();
  });

  it('works at phone size: overdue list, the visit form, caseload and tasks', async () => {
    const { context, page, problems } = await openConsole(browser, PHONE);
    await signInAs(page, 'village_worker');
    await page.getByTestId('record-visit').first().waitFor();
    await screenshot(page, 'worker', 'overdue');
    await page.getByTestId('record-visit').first().click();
    await page.getByRole('button', { name: '保存走访记录' }).waitFor();
    await screenshot(page, 'worker', 'record-visit');
    // The form fits the width: no horizontal scrolling on a 375 px screen.
    const overflow = await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    expect(Number(overflow)).toBeLessThanOrEqual(0);
    await page.goto(`${baseUrl()}/worker/caseload`);
    await page.getByText('我的村民小组').waitFor();
    await screenshot(page, 'worker', 'caseload');
    await page.goto(`${baseUrl()}/worker/tasks`);
    await page.getByText('我的核查任务').waitFor();
    await page.locator('.ant-table-tbody').waitFor();
    await screenshot(page, 'worker', 'tasks');
    expect(cspViolations(problems)).toEqual([]);
    await context.close();
  });
});
