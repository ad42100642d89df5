import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cspViolations, DESKTOP, launchChromium, openConsole, PHONE, screenshot, signInAs } from './support/browser';

/**
 * The auditor in a real browser (issue 17): finds the fire case's 临时救助 decision (2023-06-08),
 * reads its rules and amount, moves the case history's time slider, runs the replay of every
 * decision and sees its result; screenshots at desktop and phone sizes.
 */
let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

/** The decisions of 2023-06-08, the day of the fire, through the list's own URL-free filters. */
async function openFireDecision(page: Page): Promise<void> {
  await page.waitForURL(/\/auditor\/decisions$/);
  await page.locator('.ant-table-tbody tr.ant-table-row').first().waitFor();
  await page.locator('.ant-picker-range input').first().fill('2023-06-08');
  await page.locator('.ant-picker-range input').nth(1).fill('2023-06-08');
  await page.locator('.ant-picker-range input').nth(1).press('Enter');
  const rows = page.locator('.ant-table-tbody tr.ant-table-row', { hasText: '2023-06-08' });
  await rows.first().waitFor();
  // The fire decision is the one whose rules name the fire: open each of the day's until found.
  const count = await rows.count();
  for (let i = 0; i < count; i++) {
    await rows.nth(i).click();
    await page.getByTestId('decision').waitFor();
    if ((await page.getByTestId('rule').allTextContents()).some((text) => text.includes('火灾'))) return;
    await page.goBack();
    await rows.first().waitFor();
  }
  throw new Error('no decision of 2023-06-08 names the fire');
}

describe('the auditor', () => {
  it('opens the fire case decision, moves the history slider and runs the replay', async () => {
    const { context, page, problems } = await openConsole(browser, DESKTOP);
    await signInAs(page, 'auditor');
    await screenshot(page, 'auditor', 'decisions');
    await openFireDecision(page);
    expect(await page.getByTestId('decision').textContent()).toContain('临时救助');
    expect((await page.getByTestId('rule').allTextContents()).join('')).toContain('火灾');
    expect(await page.getByTestId('amount').textContent()).toMatch(/元/);
    await page.waitForLoadState('networkidle');
    await screenshot(page, 'auditor', 'decision');

    await page.getByRole('link', { name: '案件历史' }).click();
    const status = page.getByTestId('as-of-status');
    await status.waitFor();
    const now = await status.textContent();
    const slider = page.getByRole('slider');
    await slider.focus();
    await slider.press('Home');
    await expect.poll(() => page.getByTestId('as-of-state').textContent(), { timeout: 30_000 }).not.toContain('当前');
    expect(await status.textContent()).not.toBe(now);
    await screenshot(page, 'auditor', 'case-history');

    await page.getByRole('menuitem', { name: '审计运行' }).click();
    const replay = page.getByTestId('run-replay');
    await replay.getByRole('button', { name: '开始运行' }).click();
    await expect.poll(() => replay.getByTestId('run-state').textContent(), { timeout: 120_000 }).toBe('已完成');
    await replay.getByTestId('run-result').waitFor();
    // The conclusion in a sentence, in Chinese, above the figures.
    expect(await replay.getByTestId('run-verdict').textContent()).toMatch(/重放通过|重放发现/);
    await screenshot(page, 'auditor', 'audit-runs');
    expect(cspViolations(problems)).toEqual([]);
    await context.close();
  });

  it('verifies the ledger against its signed heads and reads the result in Chinese', async () => {
    const { context, page, problems } = await openConsole(browser, DESKTOP);
    await signInAs(page, 'auditor');
    await page.getByRole('menuitem', { name: '审计运行' }).click();
    const ledger = page.getByTestId('run-ledger');
    await ledger.getByRole('button', { name: '开始运行' }).click();
    await expect.poll(() => ledger.getByTestId('run-state').textContent(), { timeout: 120_000 }).toBe('已完成');
    // The demo county's log is untampered: the run says so, with what it checked, under Chinese names.
    const verdict = await ledger.getByTestId('run-verdict').textContent();
    expect(verdict).toMatch(/^账本校验通过：核对 \d+ 条事件、\d+ 个签名树头，未发现篡改$/);
    expect(Number(/核对 (\d+) 条事件/.exec(verdict!)![1])).toBeGreaterThan(0);
    const figures = await ledger.getByTestId('run-result').textContent();
    expect(figures).toContain('读取事件数');
    expect(figures).toContain('结论通过');
    await screenshot(page, 'auditor', 'ledger-verified');
    expect(cspViolations(problems)).toEqual([]);
    await context.close();
  });

  it('shows the decisions at phone size', async () => {
    const { context, page } = await openConsole(browser, PHONE);
    await signInAs(page, 'auditor');
    await page.locator('.ant-table-tbody tr.ant-table-row').first().waitFor();
    await screenshot(page, 'auditor', 'decisions');
    await page.locator('.ant-table-tbody tr.ant-table-row').first().click();
    await page.getByTestId('decision').waitFor();
    await screenshot(page, 'auditor', 'decision');
    await context.close();
  });
});
