import { appendFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';

/** Where browser tests leave their screenshots and the list of pages checked for accessibility (not committed). */
export const OUTPUT = join(__dirname, '..', 'output');
export const SCREENSHOTS = join(OUTPUT, 'screenshots');
export const A11Y_LOG = join(OUTPUT, 'accessibility-checked.txt');

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Debian's Chromium, headless, with nothing that reaches beyond loopback (`npm test` installs it when missing). */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: run the tests with \`npm test\`, which installs it`);
  mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A browser session (its own cookies) at laptop width, with or without JavaScript. */
export function newSession(browser: Browser, opts: { javaScript?: boolean; width?: number } = {}): Promise<BrowserContext> {
  return browser.newContext({ javaScriptEnabled: opts.javaScript ?? true, viewport: { width: opts.width ?? 1280, height: 900 } });
}

/** Saves a full-page screenshot as `<name>.png`. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/**
 * Runs axe-core's WCAG 2.2 A/AA rules on the page as it is now and returns the serious or critical violations (id and
 * where), recording the page in the list of pages checked.
 */
export async function accessibilityProblems(page: Page, name: string): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  mkdirSync(OUTPUT, { recursive: true });
  appendFileSync(A11Y_LOG, `${name}\n`);
  return results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
}

/**
 * Screenshots the page as `name` and expects axe to find no serious or critical WCAG 2.2 AA problems on it. axe runs as
 * a script, so a page of a run without JavaScript (`nojs-…`) keeps only its screenshot.
 */
export async function checkPage(page: Page, name: string): Promise<void> {
  await screenshot(page, name);
  if (name.startsWith('nojs-')) return;
  expect(await accessibilityProblems(page, name)).toEqual([]);
}

/** Signs in on the demo sign-in page as one person (by directory id). */
export async function signIn(page: Page, origin: string, personId: string): Promise<void> {
  await page.goto(`${origin}/sign-in`);
  const listed = page.locator(`input[name="personId"][value="${personId}"]`);
  if (await listed.count()) await listed.check();
  else {
    // The demo list shows the first 200 people by name, and a whole run's shared directory holds more: the person is
    // chosen on the same form as if listed (the server checks them as it checks anyone).
    await page.locator('input[name="personId"]').first().waitFor();
    await page.evaluate(`(() => {
      const listedFirst = document.querySelector('input[name="personId"]');
      const chosen = listedFirst.cloneNode();
      chosen.value = ${JSON.stringify(personId)};
      chosen.checked = true;
      listedFirst.closest('form').append(chosen);
    })()`);
  }
  await Promise.all([page.waitForNavigation(), page.click('button:has-text("Sign in")')]);
  if (new URL(page.url()).pathname.startsWith('/sign-in')) {
    await screenshot(page, 'sign-in-refused');
    throw new Error(`sign-in as ${personId} was refused: ${(await page.locator('main').textContent())?.replace(/\s+/g, ' ').slice(0, 300)}`);
  }
}

export async function signOut(page: Page): Promise<void> {
  await Promise.all([page.waitForURL(/\/sign-in/), page.click('button:has-text("Sign out")')]);
}

/** The text of the first element a locator finds, once it is on the page. */
export async function textOf(locator: Locator): Promise<string> {
  await locator.first().waitFor();
  return (await locator.first().textContent()) ?? '';
}
