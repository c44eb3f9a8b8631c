import { DateTime } from 'luxon';
import type { Browser } from 'playwright-core';
import type { Report } from '../../api/reports/report';
import { parseReportCsv } from '../../api/reports/report-csv';
import { createTeam, type Team } from '../support/fixtures';
import { importLine, importLines, syntheticSuspect } from '../support/import-lines';
import { api, type RunningSystem, startSystem } from '../support/system';
import { checkPage, launchBrowser, newSession, signIn, textOf } from '../support/browser';

/**
 * The reports page in headless Chromium against the real stack and the real figures: a force of its own (code 55, no
 * other test's) with a few cases brought in through the import, in last month and in the last quarter ended. A DI opens
 * Reports from the navigation, reads last month's pack for their force (the figures GET /api/reports/monthly answers
 * them, with the month before and the year before, seven charts drawn under the page's CSP, each with its text
 * alternative), chooses a quarter and their unit with the GET form, and downloads the CSV. Each page is checked by axe.
 */
jest.setTimeout(240_000);

const PAGE_FORCE = { id: 'reports-page-constabulary', code: '55', name: 'Reports Page Constabulary' };
const PAGE_AREA = { id: 'reports-page-cps-area', name: 'Reports Page CPS area' };

describe('the reports page in a browser', () => {
  let system: RunningSystem;
  let team: Team;
  let browser: Browser;
  let origin: string;
  const london = DateTime.now().setZone('Europe/London');
  const lastMonth = london.startOf('month').minus({ months: 1 });
  const lastQuarter = london.startOf('quarter').minus({ months: 3 });
  const quarterId = `${lastQuarter.year}-Q${lastQuarter.quarter}`;
  const report = async (path: string): Promise<Report> => {
    const res = await api(system.baseUrl, 'GET', path, { token: team.di.token });
    if (res.status !== 200) throw new Error(`${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };

  beforeAll(async () => {
    system = await startSystem({ env: { DEMO_SIGN_IN: 'true' } });
    origin = system.baseUrl.replace(/\/api$/, '');
    team = await createTeam(system.baseUrl, undefined, { force: PAGE_FORCE, area: PAGE_AREA });
    await importLines(system, team, [
      importLine(team, syntheticSuspect(), 'open', lastMonth.plus({ days: 3, hours: 10 })),
      importLine(team, syntheticSuspect(), 'police-nfa', lastMonth.plus({ days: 20, hours: 10 }), { reportedAt: lastMonth.plus({ days: 6, hours: 10 }) }),
      importLine(team, syntheticSuspect(), 'open', lastQuarter.plus({ days: 10, hours: 10 })),
    ]);
    browser = await launchBrowser();
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await system?.stop();
  });

  it('shows a supervisor the pack with its charts and tables, by quarter and unit, and the CSV', async () => {
    const context = await newSession(browser);
    const page = await context.newPage();
    await signIn(page, origin, team.di.id);
    await Promise.all([page.waitForURL(/\/reports$/), page.locator('.govuk-service-navigation a:has-text("Reports")').click()]);

    const monthly = await report(`/reports/monthly?month=${lastMonth.toFormat('yyyy-LL')}`);
    expect(monthly.total.current.newCases).toBe(2);
    expect(await textOf(page.locator('h1'))).toBe(`Monthly RASSO pack: ${lastMonth.toFormat('LLLL yyyy')}`);
    expect(await textOf(page.locator('.govuk-caption-l'))).toBe(PAGE_FORCE.name);
    const newCases = page.locator('tr[data-figure="newCases"] td');
    expect(await newCases.allTextContents()).toEqual([monthly.total.current.newCases, monthly.total.previous.newCases, monthly.total.yearBefore.newCases].map(String));
    expect(await page.locator('tr[data-figure="nfaByOutcome.15"] td').first().textContent()).toBe('1');
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
    expect(await page.locator('[data-chart="trend-volumes"] img').getAttribute('alt')).toContain(`New cases: ${monthly.trend[0].figures.newCases} in`);
    expect(await page.locator('table[data-test="trend"] tbody tr').count()).toBe(13);
    await checkPage(page, 'reports-monthly');

    // A quarter and one unit, with the GET form.
    const quarter = await page.locator('#period option[value*="-Q"]').first().getAttribute('value');
    expect(quarter).toBe(quarterId);
    await page.selectOption('#period', quarter!);
    await page.selectOption('#unit', team.unit);
    await Promise.all([page.waitForURL(/\/reports\?period=.*-Q\d&unit=/), page.click('button:has-text("Show figures")')]);
    const unitReport = await report(`/reports/quarterly?quarter=${quarterId}&unit=${team.unit}`);
    expect(unitReport.total.current.newCases).toBeGreaterThan(0);
    expect(await textOf(page.locator('h1'))).toContain('Quarterly RASSO report: Q');
    expect(await textOf(page.locator('.govuk-caption-l'))).toBe(`Test unit ${team.unit}`);
    expect(await page.locator('tr[data-figure="newCases"] td').allTextContents()).toEqual([unitReport.total.current.newCases, unitReport.total.previous.newCases, unitReport.total.yearBefore.newCases].map(String));
    expect(await page.locator('#unit').inputValue()).toBe(team.unit);
    await checkPage(page, 'reports-quarterly-unit');

    // The CSV of the same figures, in the same session.
    const href = await page.locator('[data-test="csv-link"]').getAttribute('href');
    const csv = await page.request.get(`${origin}${href}`);
    expect(csv.status()).toBe(200);
    expect(csv.headers()['content-type']).toContain('text/csv');
    expect(csv.headers()['content-disposition']).toContain(`rasso-quarterly-${quarterId}-unit-${team.unit}.csv`);
    expect(parseReportCsv(await csv.text()).scopes.total).toEqual({ scope: unitReport.total.scope, current: unitReport.total.current, previous: unitReport.total.previous, yearBefore: unitReport.total.yearBefore });
    await context.close();
  });

  it('refuses a unit out of reach as not found, a period not begun, and an officer the page', async () => {
    const context = await newSession(browser);
    const page = await context.newPage();
    await signIn(page, origin, team.di.id);
    const other = await page.goto(`${origin}/reports?unit=no-such-unit`);
    expect(other!.status()).toBe(404);
    const bad = await page.goto(`${origin}/reports?period=2026-13`);
    expect(bad!.status()).toBe(400);
    // A period not begun yet: 422, as the API answers.
    const next = london.startOf('month').plus({ months: 1 }).toFormat('yyyy-LL');
    expect((await page.goto(`${origin}/reports?period=${next}`))!.status()).toBe(422);
    expect((await api(system.baseUrl, 'GET', `/reports/monthly?month=${next}`, { token: team.di.token })).status).toBe(422);
    await context.close();

    const officer = await (await newSession(browser)).newPage();
    await signIn(officer, origin, team.officer.id);
    expect(await officer.locator('.govuk-service-navigation').textContent()).not.toContain('Reports');
    expect((await officer.goto(`${origin}/reports`))!.status()).toBe(403);
  });
});
