import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseUrl, cspViolations, DESKTOP, launchChromium, openConsole, PHONE, screenshot, signInAs } from './support/browser';

/**
 * The bureau's day in a real browser (issue 17): the demo admin signs in, finds a coverage gap in
 * the demo county (a group with no responsible worker or not visited this month) by drilling the
 * board town → village → group, then the overdue case at the head of the case queue; screenshots
 * of each bureau screen at desktop and phone sizes.
 */
let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

const GROUP_GAPS = '[data-gap="no-responsible-worker"], [data-gap="not-visited-this-month"]';

/** Each bureau screen, and what shows it has loaded its data (not just its frame). */
const SCREENS: { name: string; path: string; loaded: (page: Page) => Promise<void> }[] = [
  { name: 'coverage', path: '/bureau/coverage', loaded: (page) => page.locator('.ant-statistic').first().waitFor() },
  { name: 'stations', path: '/bureau/stations', loaded: (page) => page.locator('.ant-table-tbody tr.ant-table-row').first().waitFor() },
  { name: 'workers', path: '/bureau/workers', loaded: (page) => page.locator('.ant-table-tbody tr.ant-table-row').first().waitFor() },
  { name: 'overdue', path: '/bureau/overdue', loaded: (page) => page.locator('[data-village]').first().waitFor() },
  { name: 'cases', path: '/bureau/cases', loaded: (page) => page.locator('.ant-table-tbody tr.ant-table-row').first().waitFor() },
  { name: 'statistics', path: '/bureau/statistics', loaded: (page) => page.locator('[data-chart-ready="true"]').first().waitFor() },
  { name: 'imports', path: '/bureau/imports', loaded: (page) => page.locator('.ant-table-tbody tr.ant-table-row').first().waitFor() },
];

describe('the bureau (admin)', () => {
  it('lands on the coverage board and drills down to a group with a gap', async () => {
    const { context, page, problems } = await openConsole(browser, DESKTOP);
    await signInAs(page, 'admin');
    await page.waitForURL(/\/bureau\/coverage/);
    await page.locator('.ant-statistic').first().waitFor();
    await screenshot(page, 'bureau', 'coverage');

    // Only the rows with a gap; the first town that has a group gap, then its first such village.
    await page.getByRole('switch').click();
    const town = page.locator('.ant-table-tbody tr.ant-table-row', { has: page.locator(GROUP_GAPS) }).first();
    const townName = await town.locator('td').first().innerText();
    await town.locator('td').first().click();
    await page.waitForURL(/town=/);
    // The towns stay on screen until the town's villages arrive: a click before that hits a town again.
    const village = page.locator('.ant-table-tbody tr.ant-table-row', { has: page.locator(GROUP_GAPS) }).first();
    await expect.poll(() => village.locator('td').first().innerText(), { timeout: 30_000 }).not.toBe(townName);
    const villageName = await village.locator('td').first().innerText();
    await village.locator('td').first().click();
    await page.waitForURL(/village=/);
    const group = page.locator('.ant-table-tbody tr.ant-table-row', { has: page.locator(GROUP_GAPS) }).first();
    await expect.poll(() => group.locator('td').first().innerText(), { timeout: 30_000 }).not.toBe(villageName);
    expect(await group.locator(GROUP_GAPS).first().innerText()).toMatch(/无责任社工|本月未走访/);
    await screenshot(page, 'bureau', 'coverage-group-gap');
    expect(cspViolations(problems)).toEqual([]);
    await context.close();
  });

  it('finds the overdue case first in the case queue, with its statutory deadline passed', async () => {
    const { context, page } = await openConsole(browser, DESKTOP);
    await signInAs(page, 'admin');
    await page.getByRole('menuitem', { name: '案件队列' }).click();
    const overdue = page.getByTestId('overdue-cases');
    const first = overdue.locator('.ant-table-tbody tr.ant-table-row').first();
    await first.waitFor();
    expect(await first.locator('[data-overdue]').getAttribute('data-overdue')).toBe('true');
    expect(await first.locator('[data-state]').getAttribute('data-state')).toBe('overdue');
    expect(await first.innerText()).toMatch(/已逾期 \d+ 天/);
    await screenshot(page, 'bureau', 'cases-overdue');
    await context.close();
  });

  for (const size of [DESKTOP, PHONE]) {
    it(`shows every bureau screen with its data at ${size.width} px`, async () => {
      const { context, page, problems } = await openConsole(browser, size);
      await signInAs(page, 'admin');
      for (const screen of SCREENS) {
        await page.goto(`${baseUrl()}${screen.path}`);
        await screen.loaded(page);
        await expect.poll(() => page.locator('[role="alert"]').count()).toBe(0);
        await screenshot(page, 'bureau', screen.name);
      }
      expect(cspViolations(problems)).toEqual([]);
      await context.close();
    });
  }
});
