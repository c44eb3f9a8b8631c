import { parse } from 'csv-parse/sync';
import { DateTime } from 'luxon';
import type { Browser } from 'playwright-core';
import { createTeam, type Team } from '../support/fixtures';
import { fixtureReport, fixtureReportFigures } from '../support/report-fixture';
import { type RunningSystem, startSystem } from '../support/system';
import { checkPage, launchBrowser, newSession, signIn, textOf } from '../support/browser';

/**
 * The reports page in headless Chromium against the real stack (figures from the hand-built report behind the figures
 * port until the figures service is wired in): a DI opens Reports from the navigation, reads last month's pack for their
 * force (figures with the month before and the year before, seven charts drawn under the page's CSP, each with its
 * text alternative), chooses a quarter and their unit with the GET form, and downloads the CSV. Each page is checked
 * by axe.
 */
jest.setTimeout(180_000);

describe('the reports page in a browser', () => {
  let system: RunningSystem;
  let team: Team;
  let browser: Browser;
  let origin: string;
  const figures = fixtureReportFigures();

  beforeAll(async () => {
    system = await startSystem({ env: { DEMO_SIGN_IN: 'true' }, reportFigures: figures });
    origin = system.baseUrl.replace(/\/api$/, '');
    team = await createTeam(system.baseUrl);
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await system?.stop();
  });

  it('shows a supervisor the pack with its charts and tables, by quarter and unit, and the CSV', async () => {
    const context = await newSession(browser);
    const page = await context.newPage();
    await signIn(page, origin, team.di.id);
    await Promise.all([page.waitForURL(/\/reports$/), page.locator('.govuk-service-navigation a:has-text("Reports")').click()]);

    const lastMonth = DateTime.now().setZone('Europe/London').startOf('month').minus({ months: 1 });
    const report = fixtureReport('monthly', lastMonth.toFormat('yyyy-LL'), { level: 'force', id: team.forceId });
    expect(await textOf(page.locator('h1'))).toBe(`Monthly RASSO pack: ${lastMonth.toFormat('LLLL yyyy')}`);
    const newCases = page.locator('tr[data-figure="newCases"] td');
    expect(await newCases.allTextContents()).toEqual([report.total.current.newCases, report.total.previous.newCases, report.total.yearBefore.newCases].map(String));
    expect(await page.locator('table[data-test="figures-1"] thead th').allTextContents()).toEqual([
      'Figure', lastMonth.toFormat('LLL yyyy'), expect.stringContaining(lastMonth.minus({ months: 1 }).toFormat('LLL yyyy')), expect.stringContaining(lastMonth.minus({ years: 1 }).toFormat('LLL yyyy')),
    ]);

    // Seven charts, each drawn (the CSP lets the data: images load) and described in words.
    const images = page.locator('[data-chart] img');
    expect(await images.count()).toBe(7);
    for (const image of await images.all()) {
      // The browser decoded the image: its natural width is the SVG's own (no DOM types in this project: read as a record).
      expect(await image.evaluate((img) => { const i = img as unknown as { complete: boolean; naturalWidth: number }; return i.complete && i.naturalWidth; })).toBe(640);
      expect((await image.getAttribute('alt'))!.length).toBeGreaterThan(40);
    }
    expect(await page.locator('[data-chart="trend-volumes"] img').getAttribute('alt')).toContain(`New cases: ${report.trend[0].figures.newCases} in`);
    expect(await page.locator('table[data-test="trend"] tbody tr').count()).toBe(13);
    await checkPage(page, 'reports-monthly');

    // A quarter and one unit, with the GET form.
    const quarter = await page.locator('#period option[value*="-Q"]').first().getAttribute('value');
    await page.selectOption('#period', quarter!);
    await page.selectOption('#unit', team.unit);
    await Promise.all([page.waitForURL(/\/reports\?period=.*-Q\d&unit=/), page.click('button:has-text("Show figures")')]);
    const unitReport = fixtureReport('quarterly', quarter!, { level: 'unit', id: team.unit });
    expect(await textOf(page.locator('h1'))).toContain('Quarterly RASSO report: Q');
    expect(await textOf(page.locator('.govuk-caption-l'))).toBe(`Unit ${team.unit}`);
    expect(await page.locator('tr[data-figure="newCases"] td').first().textContent()).toBe(String(unitReport.total.current.newCases));
    expect(await page.locator('#unit').inputValue()).toBe(team.unit);
    expect(figures.calls.at(-1)).toEqual({ kind: 'quarterly', periodId: quarter, scope: { level: 'unit', id: team.unit } });
    await checkPage(page, 'reports-quarterly-unit');

    // The CSV of the same figures, in the same session.
    const href = await page.locator('[data-test="csv-link"]').getAttribute('href');
    const csv = await page.request.get(`${origin}${href}`);
    expect(csv.status()).toBe(200);
    expect(csv.headers()['content-type']).toContain('text/csv');
    const rows = parse(await csv.text(), { columns: true }) as { figure: string; period: string; value: string }[];
    expect(rows.find((r) => r.figure === 'newCases' && r.period === quarter)?.value).toBe(String(unitReport.total.current.newCases));
    await context.close();
  });

  it('refuses a unit of another force as not found, and an officer the page', async () => {
    const context = await newSession(browser);
    const page = await context.newPage();
    await signIn(page, origin, team.di.id);
    const other = await page.goto(`${origin}/reports?unit=no-such-unit`);
    expect(other!.status()).toBe(404);
    const bad = await page.goto(`${origin}/reports?period=2026-13`);
    expect(bad!.status()).toBe(400);
    await context.close();

    const officer = await (await newSession(browser)).newPage();
    await signIn(officer, origin, team.officer.id);
    expect(await officer.locator('.govuk-service-navigation').textContent()).not.toContain('Reports');
    expect((await officer.goto(`${origin}/reports`))!.status()).toBe(403);
  });
});
