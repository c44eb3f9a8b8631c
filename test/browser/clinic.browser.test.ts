import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { caseWithOneAction, createTeam, type Team } from '../support/fixtures';
import { api, eventually, type RunningSystem, startSystem } from '../support/system';
import { checkPage, launchBrowser, newSession, signIn, signOut, textOf } from '../support/browser';

/** A date some days from now, as the parts of a GOV.UK date input (UK local date). */
const inDays = (days: number) => {
  const [day, month, year] = new Date(Date.now() + days * 86_400_000).toLocaleDateString('en-GB', { timeZone: 'Europe/London' }).split('/');
  return { day: String(Number(day)), month: String(Number(month)), year };
};

/**
 * The liaison's clinic journey in headless Chromium against the real stack: a DI convenes an extra clinic from the
 * schedule page; its agenda carries a case whose action is overdue; the liaison opens the clinic from the list, is
 * refused an amend-plan without a date, records it with a new date, sees it recorded, and finds the clinic in the
 * case's history with the action re-dated. Each page is checked by axe.
 */
jest.setTimeout(180_000);

describe('the clinic pages in a browser', () => {
  let system: RunningSystem;
  let team: Team;
  let browser: Browser;
  let origin: string;

  beforeAll(async () => {
    // Second-scale action clocks, so an action is overdue within the test.
    system = await startSystem({ env: { DEMO_SIGN_IN: 'true' }, policyFile: join(__dirname, '..', 'fixtures', 'fast-policy.json') });
    origin = system.baseUrl.replace(/\/api$/, '');
    team = await createTeam(system.baseUrl);
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await system?.stop();
  });

  it('takes the liaison from the clinic list to an outcome recorded in place, and back to the case', async () => {
    const overdue = await caseWithOneAction(system.baseUrl, team, 1_500);
    await eventually(async () => (await api(system.baseUrl, 'GET', `/cases/${overdue.caseId}`, { token: team.officer.token })).body.clocks
      .find((c: { name: string; overdue: boolean }) => c.name === 'actionPlan.item' && c.overdue), 15_000);

    const context = await newSession(browser);
    const page = await context.newPage();
    await signIn(page, origin, team.di.id);
    await page.click('a:has-text("Clinic schedules")');
    await checkPage(page, 'clinic-schedules');
    await page.click('summary:has-text("Convene an extra clinic")');
    const convene = page.locator('form[data-form="convene-clinic"]');
    const tomorrow = inDays(1);
    for (const [part, value] of Object.entries({ ...tomorrow, hour: '14', minute: '00' })) await convene.locator(`[name="sittingAt[${part}]"]`).fill(value);
    await convene.locator('[name="durationMinutes"][value="90"]').check();
    await Promise.all([page.waitForURL(/\/clinics\/[0-9a-f-]{36}$/), convene.locator('button.govuk-button').click()]);
    expect(await textOf(page.locator('.govuk-notification-banner'))).toContain('Extra clinic convened');
    expect(await textOf(page.locator('h1'))).toContain('14:00');
    await signOut(page);

    await signIn(page, origin, team.prosecutor.id);
    await page.click('a:has-text("Clinics")');
    await checkPage(page, 'clinics-liaison');
    await Promise.all([page.waitForURL(/\/clinics\/[0-9a-f-]{36}$/), page.locator('[data-test="coming-clinics"] a').first().click()]);
    const entry = page.locator(`section[data-case="${overdue.caseId}"]`);
    expect(await textOf(entry.locator('[data-test="reasons"]'))).toContain('Action overdue');
    await checkPage(page, 'clinic-liaison');
    // No personal data in the address or the title.
    expect(page.url()).not.toMatch(/Testvictim|Testsuspect/);
    expect(await page.title()).not.toMatch(/Testvictim|Testsuspect/);

    // Amending the plan without a new date: refused, the problem linked to the date, the answers kept.
    await entry.locator('[name="outcome"][value="amend-plan"]').check();
    await entry.locator('[name="note"]').fill('Synthetic: the CCTV request is re-sent to the venue.');
    await Promise.all([page.waitForNavigation(), entry.locator('button.govuk-button').click()]);
    await page.locator('.govuk-error-summary').waitFor();
    expect(await page.locator('.govuk-error-summary a').first().getAttribute('href')).toBe(`#case-${overdue.caseId}-actionDueDates-0-dueAt`);
    expect(await entry.locator('[name="note"]').inputValue()).toContain('CCTV request is re-sent');
    await checkPage(page, 'clinic-outcome-with-errors');

    const newDue = inDays(10);
    for (const [part, value] of Object.entries(newDue)) await entry.locator(`[name="actionDueDates[0][dueAt][${part}]"]`).fill(value);
    await Promise.all([page.waitForNavigation(), entry.locator('button.govuk-button').click()]);
    expect(await textOf(page.locator('.govuk-notification-banner'))).toContain('Outcome recorded: Amend the plan');
    expect(await textOf(entry.locator('[data-test="outcome"]'))).toContain('Amend the plan');
    expect(await entry.locator('form').count()).toBe(0);
    await checkPage(page, 'clinic-outcome-recorded');

    await Promise.all([page.waitForURL(/\/cases\/[0-9a-f-]{36}$/), entry.locator(`a[href="/cases/${overdue.caseId}"]`).click()]);
    const history = page.locator('[data-test="clinic-history"]');
    expect(await textOf(history)).toContain('Action overdue');
    expect(await textOf(history)).toContain('Amend the plan');
    // The action's new due date (17:00 UK time on the day chosen), and its clock no longer overdue.
    const expected = new Date(`${newDue.year}-${newDue.month.padStart(2, '0')}-${newDue.day.padStart(2, '0')}T12:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric' });
    expect(await textOf(page.locator('[data-test="action-plan"]'))).toContain(expected);
    await checkPage(page, 'case-clinic-history');
    await context.close();
  });
});
