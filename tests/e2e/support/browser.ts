import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { inject } from 'vitest';
import { loadScale } from '../../support/load-scale';

/**
 * Helpers every e2e file shares: Debian's Chromium (never a downloaded browser), signing in as a
 * demo role through the console's own sign-in page, and screenshots at desktop and phone sizes.
 */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const DESKTOP = { width: 1366, height: 768 } as const;
export const PHONE = { width: 375, height: 812 } as const;
/** Kept after the run (git-ignored); CI can upload the folder. */
export const SCREENSHOTS = join(import.meta.dirname, '..', '..', '..', 'artifacts', 'screenshots');

export const baseUrl = (): string => inject('baseUrl');

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** A fresh context (no cookies, no sessionStorage) at a size, in Chinese, with CSP errors collected. */
export async function openConsole(
  browser: Browser,
  size: { width: number; height: number } = DESKTOP,
): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const context = await browser.newContext({
    viewport: size,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    isMobile: size.width < 500,
    hasTouch: size.width < 500,
  });
  // Playwright's 30 s per wait, grown with the load (tests/support/load-scale.ts): waits catch hangs, not slowness.
  context.setDefaultTimeout(30_000 * loadScale());
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  return { context, page, problems };
}

/** Signs in as the demo user of a role (role code as the API has it: village_worker, admin, auditor, evaluator…). */
export async function signInAs(page: Page, role: string): Promise<void> {
  await page.goto(`${baseUrl()}/sign-in`);
  await page.locator(`button[data-role="${role}"]`).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
}

/** desktop-<name>.png or phone-<name>.png under artifacts/screenshots/<folder>/. */
export async function screenshot(page: Page, folder: string, name: string): Promise<string> {
  const dir = join(SCREENSHOTS, folder);
  mkdirSync(dir, { recursive: true });
  const width = page.viewportSize()?.width ?? DESKTOP.width;
  const path = join(dir, `${width < 500 ? 'phone' : 'desktop'}-${name}.png`);
  await page.screenshot({ path, fullPage: false });
  return path;
}

/** CSP violations and script errors the page reported: an e2e test expects none. */
export const cspViolations = (problems: string[]): string[] => problems.filter((p) => /Content Security Policy|Refused to/.test(p));
