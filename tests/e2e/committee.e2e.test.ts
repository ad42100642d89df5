import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cspViolations, DESKTOP, launchChromium, openConsole, PHONE, screenshot, signInAs } from './support/browser';

/**
 * The evaluation committee in a real browser (issue 17): the score sheet, one metric's evidence
 * drill-down, and the CSV download (fetched with the token, UTF-8 with BOM, Chinese header).
 */
let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

describe('the committee member', () => {
  it('opens a metric evidence drill-down and downloads the CSV', async () => {
    const { context, page, problems } = await openConsole(browser, DESKTOP);
    await signInAs(page, 'evaluator');
    await page.waitForURL(/\/committee\/scores$/);
    const metric = page.locator('[data-testid^="metric-"]:not([disabled])').first();
    await metric.waitFor();
    await page.waitForLoadState('networkidle');
    await screenshot(page, 'committee', 'score-sheet');

    await metric.click();
    await page.getByTestId('evidence').locator('.ant-table-tbody tr.ant-table-row').first().waitFor();
    await screenshot(page, 'committee', 'evidence');
    await page.keyboard.press('Escape');

    const downloading = page.waitForEvent('download');
    await page.getByRole('button', { name: '下载 CSV' }).click();
    const download = await downloading;
    const stream = await download.createReadStream();
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(body.subarray(3).toString('utf8').split('\n')[0]).toMatch(/^[\u4e00-\u9fff]/);
    expect(cspViolations(problems)).toEqual([]);
    await context.close();
  });

  it('enters an assessment for the first half-year, publishes a revision of the period and sees it published', async () => {
    const { context, page, problems } = await openConsole(browser, DESKTOP);
    await signInAs(page, 'evaluator');
    await page.waitForURL(/\/committee\/scores$/);
    // 2023-H1 is closed and was published once by the demo committee (2023-H2 is still open: not publishable).
    await page.getByTestId('period').click();
    await page.getByTitle('2023-H1').click();
    await page.getByText(/已发布（第 1 版/).waitFor();
    const row = page.locator('[data-testid="score-sheet"] .ant-table-tbody tr.ant-table-row').first();
    const worker = (await row.locator('td').nth(2).textContent())!;
    await row.getByRole('button', { name: '录入评议' }).click();
    await page.getByText(`评议：${worker}（2023-H1）`).waitFor();
    await page.getByLabel('纪律').fill('90');
    await page.getByLabel('态度').fill('88');
    await page.getByLabel('业务知识').fill('86');
    // Every demo worker was assessed already: a second assessment is a correction and says why.
    await page.getByLabel('更正理由（已有评议时必填）').fill('复核培训记录后调整业务知识得分');
    await screenshot(page, 'committee', 'assessment');
    await page.getByRole('button', { name: /保\s*存/ }).click();
    await page.getByText(`已保存 ${worker} 的评议`).waitFor();

    await page.getByRole('button', { name: '发布修订版' }).click();
    await page.getByText('将以当前分数发布第 2 版（含发布后的更正），确定发布？').waitFor();
    await page.getByRole('button', { name: /确\s*定/ }).click();
    await page.getByText('2023-H1 已发布').waitFor();
    await page.getByText(/已发布（第 2 版/).waitFor();
    await screenshot(page, 'committee', 'published');
    expect(cspViolations(problems)).toEqual([]);
    await context.close();
  });

  it('is told in Chinese that an open period cannot be published yet', async () => {
    const { context, page } = await openConsole(browser, DESKTOP);
    await signInAs(page, 'evaluator');
    await page.getByText('实时分数（未发布）').waitFor();
    await page.getByRole('button', { name: /^发\s*布$/ }).click();
    await page.getByRole('button', { name: /确\s*定/ }).click();
    await expect
      .poll(() => page.getByRole('alert').allTextContents(), { timeout: 30_000 })
      .toEqual(expect.arrayContaining([expect.stringMatching(/尚未结束|未结束/)]));
    await context.close();
  });

  it('shows the score sheet at phone size', async () => {
    const { context, page } = await openConsole(browser, PHONE);
    await signInAs(page, 'evaluator');
    await page.locator('[data-testid^="metric-"]').first().waitFor();
    await screenshot(page, 'committee', 'score-sheet');
    await context.close();
  });
});
