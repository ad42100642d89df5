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

  it('shows the score sheet at phone size', async () => {
    const { context, page } = await openConsole(browser, PHONE);
    await signInAs(page, 'evaluator');
    await page.locator('[data-testid^="metric-"]').first().waitFor();
    await screenshot(page, 'committee', 'score-sheet');
    await context.close();
  });
});
