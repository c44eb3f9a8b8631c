import type { Browser } from 'playwright-core';
import { createTeam, type Member, type Team } from '../support/fixtures';
import { convenePanel, panelMember, policeNfaCase } from '../support/panel-seed';
import { type RunningSystem, startSystem } from '../support/system';
import { checkPage, launchBrowser, newSession, signIn, signOut, textOf } from '../support/browser';

/**
 * The panel member's journey in headless Chromium against the real stack: two cases closed as police NFA, a panel
 * convened over them; the member signs in, lands on their panels, opens the panel and a pack, is refused a review with
 * a score missing, records it, sees the case reviewed; then the convenor (the DI) reads the report. Each page is
 * checked by axe; one pack is also read with JavaScript off.
 */
jest.setTimeout(180_000);

describe('the scrutiny panel pages in a browser', () => {
  let system: RunningSystem;
  let team: Team;
  let member: Member;
  let browser: Browser;
  let origin: string;
  let panelId = '';

  beforeAll(async () => {
    system = await startSystem({ env: { DEMO_SIGN_IN: 'true' } });
    origin = system.baseUrl.replace(/\/api$/, '');
    team = await createTeam(system.baseUrl);
    member = await panelMember(system.baseUrl, team, 'Panel Member Browser');
    await policeNfaCase(system.baseUrl, team);
    await policeNfaCase(system.baseUrl, team);
    panelId = (await convenePanel(system.baseUrl, team, [member])).id;
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await system?.stop();
  });

  it('takes a member from their panels to a pack and a review recorded, and the convenor to the report', async () => {
    const context = await newSession(browser);
    const page = await context.newPage();
    await signIn(page, origin, member.id);
    expect(new URL(page.url()).pathname).toBe('/panels');
    expect(await textOf(page.locator('.govuk-service-navigation'))).toContain('Panels');
    await checkPage(page, 'panels-member');

    await Promise.all([page.waitForURL(new RegExp(`/panels/${panelId}$`)), page.locator(`[data-test="panels"] a[href="/panels/${panelId}"]`).click()]);
    expect(await textOf(page.locator('[data-test="strata"]'))).toContain('Police NFA');
    await checkPage(page, 'panel-member');

    const first = page.locator('[data-test="sampled-cases"] a').first();
    const label = (await first.textContent())!.trim();
    await Promise.all([page.waitForURL(/\/cases\/P-\d{4}Q[1-4]-\d+$/), first.click()]);
    expect(await page.title()).toContain(`Case ${label}`);
    expect(await page.title()).not.toMatch(/Testvictim|Testsuspect/);
    expect(await textOf(page.locator('main'))).not.toMatch(/Testvictim|Testsuspect|Zephyrine|Quillon/);
    expect(await textOf(page.locator('[data-test="offence"]'))).toContain('Police no further action');
    await checkPage(page, 'panel-pack');

    // One criterion left unscored: refused, the problem linked to it, the answers kept.
    const form = page.locator('form[data-form="panel-review"]');
    for (const criterion of ['suspectFocus', 'victimEngagement', 'proportionality', 'timeliness', 'rationaleQuality']) await form.locator(`[name="scores[${criterion}]"][value="3"]`).check();
    await form.locator('[name="themes"]').first().check();
    await form.locator('[name="comments"]').fill('Synthetic: suspect 1\'s account was not tested.');
    await Promise.all([page.waitForNavigation(), form.locator('button.govuk-button').click()]);
    await page.locator('.govuk-error-summary').waitFor();
    expect(await page.locator('.govuk-error-summary a').first().getAttribute('href')).toBe('#scores-language');
    expect(await page.locator('[name="comments"]').inputValue()).toContain('was not tested');
    await checkPage(page, 'panel-review-with-errors');

    await page.locator('[name="scores[language]"][value="2"]').check();
    await Promise.all([page.waitForURL(new RegExp(`/panels/${panelId}$`)), page.locator('form[data-form="panel-review"] button.govuk-button').click()]);
    expect(await textOf(page.locator('.govuk-notification-banner'))).toContain(`Review of ${label} recorded`);
    expect(await textOf(page.locator(`tr[data-label="${label}"] [data-test="my-review"]`))).toContain('Reviewed');
    await checkPage(page, 'panel-reviewed');
    await signOut(page);

    await signIn(page, origin, team.di.id);
    await page.goto(`${origin}/panels/${panelId}`);
    await Promise.all([page.waitForURL(/\/report$/), page.click('a:has-text("Read the panel\'s report")')]);
    expect(await textOf(page.locator('[data-test="summary"]'))).toContain('1 (1 review)');
    expect(await textOf(page.locator('[data-test="scores"]'))).toContain('Mean');
    await checkPage(page, 'panel-report');
    await context.close();

    // With JavaScript off the pack and its form are all there.
    const nojs = await newSession(browser, { javaScript: false });
    const plain = await nojs.newPage();
    await signIn(plain, origin, member.id);
    await plain.goto(`${origin}/panels/${panelId}`);
    const second = plain.locator('[data-test="sampled-cases"] a').nth(1);
    await Promise.all([plain.waitForURL(/\/cases\/P-/), second.click()]);
    expect(await plain.locator('form[data-form="panel-review"] [name="scores[language]"]').count()).toBe(4);
    await checkPage(plain, 'nojs-panel-pack');
    await nojs.close();
  });
});
