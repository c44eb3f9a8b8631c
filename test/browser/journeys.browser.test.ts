import type { Browser, Page } from 'playwright-core';
import { createTeam, randomUrn, SYNTHETIC_SUSPECT, SYNTHETIC_VICTIM, type Team } from '../support/fixtures';
import { api, type RunningSystem, startSystem } from '../support/system';
import { checkPage, launchBrowser, newSession, screenshot, signIn, signOut, textOf } from '../support/browser';

const inDays = (days: number) => {
  const d = new Date(Date.now() + days * 86_400_000);
  return { day: String(d.getDate()), month: String(d.getMonth() + 1), year: String(d.getFullYear()) };
};

async function fillDate(page: Page, name: string, date: { day: string; month: string; year: string }) {
  for (const part of ['day', 'month', 'year'] as const) await page.fill(`[name="${name}[${part}]"]`, date[part]);
}

/**
 * Sends one of the case page's forms, by its key: a form with questions on its own page (followed from the case page's
 * link unless the page is already there, as after a refusal), a one-click form as its button.
 */
async function submitForm(page: Page, key: string, fill: (form: ReturnType<Page['locator']>) => Promise<void> = async () => {}) {
  const onItsPage = page.locator(`main form[data-form="${key}"] .govuk-form-group`);
  const link = page.locator(`a[data-form="${key}"]`).first();
  if (!(await onItsPage.count()) && await link.count()) await Promise.all([page.waitForNavigation(), link.click()]);
  const form = page.locator(`form[data-form="${key}"]`).first();
  await fill(form);
  await Promise.all([page.waitForNavigation(), form.locator('button.govuk-button').click()]);
}

/** The officer's second part, on the case page: both actions completed, then the file submitted. */
async function officerCompletesActionsAndSubmits(page: Page) {
  for (let done = 0; done < 2; done += 1) {
    await submitForm(page, 'complete-action', async (form) => { await form.locator('[name="note"]').fill('Done: synthetic note.'); });
    expect(await textOf(page.locator('.govuk-notification-banner'))).toContain('Action completed');
  }
  await submitForm(page, 'submit-file', async (form) => {
    await form.locator('[name="test"][value="full-code"]').check();
    await form.locator('[name="category"][value="green"]').check();
    for (const box of await form.locator('[name="checklist"]').all()) await box.check();
    await form.locator('[name="report"]').fill('Synthetic MG3: the evidence and the public interest, summarised.');
  });
  expect(await textOf(page.locator('.govuk-notification-banner'))).toContain('File submitted');
}

/**
 * Every role's main journey through the web front end, in headless Chromium against the real stack: register and
 * request Early Advice, endorse, triage, advise with a two-action plan, complete the actions and submit the file,
 * approve it from the dashboard, accept it, charge, and read the timeline.
 */
jest.setTimeout(180_000);

describe('web journeys', () => {
  let system: RunningSystem;
  let team: Team;
  let browser: Browser;
  let origin: string;

  beforeAll(async () => {
    system = await startSystem({ env: { DEMO_SIGN_IN: 'true' } });
    origin = system.baseUrl.replace(/\/api$/, '');
    team = await createTeam(system.baseUrl);
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await system?.stop();
  });

  /** Registers a case as the officer and requests Early Advice; returns the case page's URL. */
  async function officerRegistersAndRequestsAdvice(page: Page, prefix: string): Promise<string> {
    await signIn(page, origin, team.officer.id);
    await checkPage(page, `${prefix}my-work-officer`);
    await page.click('a:has-text("Register a case")');
    await checkPage(page, `${prefix}register-case`);
    await page.fill('[name="urn"]', randomUrn());
    await page.fill('[name="unit"]', team.unit);
    await page.selectOption('[name="officerId"]', team.officer.id);
    await fillDate(page, 'reportedAt', inDays(-2));
    await page.check('[name="offence[type]"][value="rape"]');
    await page.check('[name="offence[penetrative]"][value="yes"]');
    await fillDate(page, 'offence[committedFrom]', inDays(-10));
    await page.fill('[name="victim[name]"]', SYNTHETIC_VICTIM);
    await fillDate(page, 'victim[dateOfBirth]', { day: '17', month: '3', year: '1994' });
    await page.check('[name="victim[vulnerable]"][value="yes"]');
    await page.check('[name="victim[contactPreference]"][value="via-isva"]');
    await page.fill('[name="suspects[0][name]"]', SYNTHETIC_SUSPECT);
    await fillDate(page, 'suspects[0][dateOfBirth]', { day: '29', month: '7', year: '1988' });
    await Promise.all([page.waitForURL(/\/cases\/[0-9a-f-]{36}$/), page.click('button:has-text("Register the case")')]);
    expect(await textOf(page.locator('.govuk-notification-banner'))).toContain('registered');
    // No personal data in the address or the title.
    expect(page.url()).not.toContain('Testvictim');
    expect(await page.title()).not.toMatch(/Testvictim|Testsuspect/);
    await checkPage(page, `${prefix}case-registered`);

    await submitForm(page, 'request-early-advice', async (form) => {
      await form.locator('[name="summary"]').fill('Synthetic summary: reported two days after the event; suspect known to the victim.');
      await form.locator('[name="linesOfInquiry"]').fill('Phone download requested\nCCTV from the venue requested');
      await form.locator('[name="issues"]').fill('Consent disputed');
      await form.locator('[name="questions"]').fill('Is third-party material needed?');
    });
    expect(await textOf(page.locator('.govuk-notification-banner'))).toContain('Early Advice requested');
    return page.url();
  }

  it('takes a case from registration to charge, each role doing their part', async () => {
    const context = await newSession(browser);
    const page = await context.newPage();
    const caseUrl = await officerRegistersAndRequestsAdvice(page, '');

    // A form with errors: the API's field errors in the error summary, linked to their fields.
    await signOut(page);
    await signIn(page, origin, team.ds.id);
    await checkPage(page, 'my-work-supervisor');
    await page.goto(caseUrl);
    await checkPage(page, 'case-awaiting-endorsement');
    await submitForm(page, 'endorse-early-advice');
    expect(await textOf(page.locator('.govuk-notification-banner'))).toContain('endorsed');

    await signOut(page);
    await signIn(page, origin, team.dcp.id);
    expect(await textOf(page.locator('[data-test="waiting-cases"]'))).toContain('CPS triage');
    await checkPage(page, 'my-work-dcp');
    await page.goto(caseUrl);
    // The error summary: accepting without a prosecutor is refused by the API's own validation.
    await submitForm(page, 'triage-early-advice', async (form) => {
      await form.locator('[name="decision"][value="accept"]').check();
    });
    await page.locator('.govuk-error-summary').waitFor();
    const link = page.locator('.govuk-error-summary a').first();
    expect(await link.getAttribute('href')).toBe('#prosecutorId');
    await checkPage(page, 'case-form-with-errors');
    await submitForm(page, 'triage-early-advice', async (form) => {
      await form.locator('[name="decision"][value="accept"]').check();
      await form.locator('[name="prosecutorId"]').selectOption(team.prosecutor.id);
    });
    expect(await textOf(page.locator('.govuk-notification-banner'))).toContain('Triage decision recorded');

    await signOut(page);
    await signIn(page, origin, team.prosecutor.id);
    await checkPage(page, 'my-work-prosecutor');
    await page.goto(caseUrl);
    await submitForm(page, 'record-advice', async (form) => {
      await form.locator('[name="advice"]').fill('Synthetic advice: obtain the phone download and the CCTV before a charging request.');
      for (const [i, text] of ['Obtain and review the phone download', 'Obtain the venue CCTV'].entries()) {
        await form.locator(`[name="actionPlan[actions][${i}][description]"]`).fill(text);
        await form.locator(`[name="actionPlan[actions][${i}][owner]"][value="police"]`).check();
        await fillDate(page, `actionPlan[actions][${i}][dueAt]`, inDays(14 + i));
        await form.locator(`[name="actionPlan[actions][${i}][decisionCritical]"][value="yes"]`).check();
      }
    });
    expect(await textOf(page.locator('.govuk-notification-banner'))).toContain('Early Advice recorded');
    expect(await textOf(page.locator('[data-test="action-plan"]'))).toContain('Obtain the venue CCTV');
    await checkPage(page, 'case-action-plan');

    await signOut(page);
    await signIn(page, origin, team.officer.id);
    await page.goto(caseUrl);
    await officerCompletesActionsAndSubmits(page);

    await signOut(page);
    await signIn(page, origin, team.ds.id);
    await page.click('a:has-text("Supervisor dashboard")');
    await checkPage(page, 'dashboard');
    const urn = (await textOf(page.locator('[data-test="awaiting-gatekeeper"] td a').first())).trim();
    const row = page.locator('[data-test="awaiting-gatekeeper"] tr', { hasText: urn });
    await Promise.all([page.waitForNavigation(), row.locator('button:has-text("Approve")').click()]);
    expect(await textOf(page.locator('.govuk-notification-banner'))).toContain('File approved');

    await signOut(page);
    await signIn(page, origin, team.dcp.id);
    await page.goto(caseUrl);
    await submitForm(page, 'triage-file', async (form) => {
      await form.locator('[name="decision"][value="accept"]').check();
      await form.locator('[name="prosecutorId"]').selectOption(team.prosecutor.id);
    });
    expect(await textOf(page.locator('.govuk-notification-banner'))).toContain('Triage decision recorded');

    await signOut(page);
    await signIn(page, origin, team.prosecutor.id);
    await page.goto(caseUrl);
    await submitForm(page, 'decide', async (form) => {
      await form.locator('[name="decision"][value="charge"]').check();
      await form.locator('[name="grounds"]').fill('Synthetic: both stages of the Full Code Test are met.');
    });
    expect(await textOf(page.locator('.govuk-notification-banner'))).toContain('Charging decision recorded');

    await signOut(page);
    await signIn(page, origin, team.officer.id);
    await page.click('a:has-text("Cases")');
    await checkPage(page, 'cases-list');
    await page.goto(caseUrl);
    expect(await textOf(page.locator('h1'))).toContain('Charged');
    const timeline = page.locator('[data-test="timeline"]');
    for (const event of ['Case registered', 'Early advice requested', 'Early advice endorsed', 'Early advice accepted', 'Early advice recorded', 'Action completed', 'File submitted', 'Submission approved', 'Submission accepted', 'Charge authorised']) {
      expect(await textOf(timeline)).toContain(event);
    }
    expect(await textOf(timeline)).toContain('DC Test Officer');
    await checkPage(page, 'case-charged-timeline');
    await context.close();
  });

  it('keeps the pages outside the journeys accessible: sign-in, a refused registration, errors, at tablet width too', async () => {
    const context = await newSession(browser);
    const page = await context.newPage();
    await page.goto(`${origin}/sign-in`);
    await checkPage(page, 'sign-in');
    await signIn(page, origin, team.officer.id);
    await page.goto(`${origin}/cases/new`);
    await Promise.all([page.waitForNavigation(), page.click('button:has-text("Register the case")')]);
    await page.locator('.govuk-error-summary').waitFor();
    expect(await page.locator('.govuk-error-summary a').count()).toBeGreaterThan(3);
    await checkPage(page, 'register-case-with-errors');
    await page.goto(`${origin}/cases/${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}`);
    expect(await textOf(page.locator('h1'))).toContain('Page not found');
    await checkPage(page, 'error-not-found');
    await page.goto(`${origin}/dashboard`);
    expect(await textOf(page.locator('h1'))).toContain('cannot see this page');
    await checkPage(page, 'error-forbidden');
    await context.close();

    const tablet = await newSession(browser, { width: 768 });
    const small = await tablet.newPage();
    await signIn(small, origin, team.ds.id);
    await checkPage(small, 'my-work-tablet');
    await small.goto(`${origin}/dashboard`);
    await checkPage(small, 'dashboard-tablet');
    await tablet.close();
  });

  it("passes the officer's part again with JavaScript disabled", async () => {
    const context = await newSession(browser, { javaScript: false });
    const page = await context.newPage();
    const caseUrl = await officerRegistersAndRequestsAdvice(page, 'nojs-');
    const caseId = caseUrl.split('/').pop()!;
    // The other roles' steps go through the API here: this run is about the officer's pages without scripts.
    const call = async (token: string, path: string, body?: unknown) => {
      const res = await api(system.baseUrl, 'POST', path, { token, body });
      if (res.status >= 300) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    };
    const { earlyAdvice } = (await api(system.baseUrl, 'GET', `/cases/${caseId}`, { token: team.officer.token })).body as { earlyAdvice: { id: string }[] };
    await call(team.ds.token, `/early-advice/${earlyAdvice[0].id}/endorse`);
    await call(team.dcp.token, `/early-advice/${earlyAdvice[0].id}/triage`, { decision: 'accept', prosecutorId: team.prosecutor.id });
    await call(team.prosecutor.token, `/early-advice/${earlyAdvice[0].id}/advice`, {
      advice: 'Synthetic advice for the run without JavaScript.',
      actionPlan: { actions: [1, 2].map((n) => ({ description: `Synthetic action ${n}`, owner: 'police', dueAt: new Date(Date.now() + n * 7 * 86_400_000).toISOString(), decisionCritical: true })) },
    });

    await page.goto(`${origin}/`);
    expect(await textOf(page.locator('[data-test="waiting-cases"]'))).toContain('Action plan');
    await page.goto(caseUrl);
    await officerCompletesActionsAndSubmits(page);
    expect(await textOf(page.locator('[data-test="timeline"]'))).toContain('File submitted');
    await screenshot(page, 'nojs-case-file-submitted');
    await context.close();
  });
});
