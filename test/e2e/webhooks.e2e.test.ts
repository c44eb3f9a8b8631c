import { Webhook } from 'standardwebhooks';
import { caseBody, createTeam, SYNTHETIC_SUSPECT, SYNTHETIC_VICTIM, type Team } from '../support/fixtures';
import { api, eventually, type RunningSystem, startSystem } from '../support/system';
import { WebhookReceiver } from '../support/webhook-receiver';

/** Loopback only, quick retries: every request these tests cause stays on this machine. */
export const WEBHOOK_TEST_ENV = { WEBHOOK_DESTINATIONS: 'loopback', WEBHOOK_RETRY_INITIAL: 'PT0.2S', WEBHOOK_RETRY_MAX: 'PT1S', WEBHOOK_TIMEOUT: 'PT1S' };

const fullChecklist = { mg3: true, caseSummary: true, victimAccount: true, keyWitnessStatements: true, suspectInterview: true, exhibits: true, disclosureSchedules: true, previousConvictions: true };
/** Details planted in the case's parties and free text: none may reach a subscriber. */
const PLANTED_PHONE = '07700 900461';
const PLANTED_ADDRESS = '14 Larkspur Mews';

describe('case events out as signed webhooks', () => {
  let system: RunningSystem;
  let team: Team;
  const receiver = new WebhookReceiver();
  const subscriptions: string[] = [];

  beforeAll(async () => {
    system = await startSystem({ env: WEBHOOK_TEST_ENV });
    team = await createTeam(system.baseUrl);
    await receiver.up();
  }, 120_000);
  afterAll(async () => {
    for (const id of subscriptions) await api(system.baseUrl, 'DELETE', `/webhooks/${id}`, { token: team.admin });
    await receiver.down();
    await system?.stop();
  });

  const call = async (who: { token: string } | string, method: string, path: string, body?: unknown, status = [200, 201, 202, 204]) => {
    const res = await api(system.baseUrl, method, path, { token: typeof who === 'string' ? who : who.token, body });
    if (!status.includes(res.status)) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const subscribe = async (events = ['case.*']) => {
    const created = await call(team.admin, 'POST', '/webhooks', { url: receiver.url, events, description: 'Synthetic records system', forceId: team.forceId });
    subscriptions.push(created.id);
    return created as { id: string; secret: string };
  };

  it('delivers a case taken through Early Advice to a charge: exactly its timeline, in order, signed, CloudEvents, no personal data', async () => {
    const { id: subscriptionId, secret } = await subscribe();
    const listed = await call(team.admin, 'GET', '/webhooks');
    expect(listed.find((s: { id: string }) => s.id === subscriptionId)).toMatchObject({ url: receiver.url, events: ['case.*'], status: 'active', forceId: team.forceId });
    expect(JSON.stringify(listed)).not.toContain(secret.slice(6)); // shown once, when made

    const body = caseBody({ unit: team.unit, officerId: team.officer.id });
    const victimDob = body.victim.dateOfBirth;
    const suspect = body.suspects[0];
    const kase = await call(team.officer, 'POST', '/cases', body);
    const caseId: string = kase.id;
    const { requestId } = await call(team.officer, 'POST', `/cases/${caseId}/early-advice`, {
      summary: `${SYNTHETIC_VICTIM} (born ${victimDob}) of ${PLANTED_ADDRESS}, phone ${PLANTED_PHONE}, reported ${SYNTHETIC_SUSPECT}.`,
      linesOfInquiry: [`Download ${SYNTHETIC_VICTIM}'s phone`], issues: ['Consent disputed'], questions: [`Is ${SYNTHETIC_SUSPECT}'s account needed?`],
    });
    await call(team.ds, 'POST', `/early-advice/${requestId}/endorse`);
    await call(team.dcp, 'POST', `/early-advice/${requestId}/triage`, { decision: 'accept', prosecutorId: team.prosecutor.id });
    const advised = await call(team.prosecutor, 'POST', `/early-advice/${requestId}/advice`, {
      advice: `Obtain ${SYNTHETIC_VICTIM}'s phone download.`,
      actionPlan: { actions: [{ description: `Interview ${SYNTHETIC_SUSPECT} again`, owner: 'police', dueAt: new Date(Date.now() + 14 * 86_400_000).toISOString(), decisionCritical: true }] },
    });
    await call(team.officer, 'POST', `/actions/${advised.actions[0].id}/complete`, { note: `Spoke to ${SYNTHETIC_VICTIM} on ${PLANTED_PHONE}.` });
    const plans = await call(team.officer, 'GET', `/cases/${caseId}/action-plans`);
    await call(team.prosecutor, 'POST', `/action-plans/${plans[0].id}/review`, { outcome: 'ready-to-submit' });
    const submission = await call(team.officer, 'POST', `/cases/${caseId}/submissions`, { test: 'full-code', category: 'green', checklist: fullChecklist, report: `MG3 naming ${SYNTHETIC_SUSPECT}.` });
    await call(team.ds, 'POST', `/submissions/${submission.submissionId}/approve`);
    await call(team.dcp, 'POST', `/submissions/${submission.submissionId}/triage`, { decision: 'accept', prosecutorId: team.prosecutor.id });
    await call(team.prosecutor, 'POST', `/submissions/${submission.submissionId}/decision`, { decision: 'charge', grounds: `${SYNTHETIC_SUSPECT} charged.` });

    // Everything the case put in the outbox has arrived (its clocks, started at the report ten days ago, fire past steps too).
    const outbox = async () => (await system.dataSource.query('SELECT id FROM webhook_events WHERE case_id = $1 ORDER BY case_seq', [caseId])) as { id: string }[];
    const received = await eventually(async () => {
      const got = receiver.firstReceipts(caseId);
      const expected = await outbox();
      return got.some((r) => r.event.type === 'case.decided') && got.length === expected.length && got;
    }, 60_000);
    expect(received.map((r) => r.webhookId)).toEqual((await outbox()).map((e) => e.id));

    // In order: each event's place in its case, as received.
    expect(received.map((r) => r.event.data.sequence)).toEqual(received.map((_, i) => i + 1));
    // The timeline's events, exactly and in order; the rest are the clock steps that fired.
    const timeline = await call(team.officer, 'GET', `/cases/${caseId}/timeline`);
    const commands = received.filter((r) => r.event.data.timelineSeq !== null);
    expect(commands.map((r) => [r.event.data.event, r.event.data.actor?.id, r.event.data.timelineSeq, r.event.data.stage])).toEqual(
      timeline.map((e: { type: string; actorId: string; toStage: string }, i: number) => [e.type, e.actorId, i + 1, e.toStage]),
    );
    expect(commands.map((r) => r.event.type)).toEqual([
      'case.registered', 'case.early-advice.requested', 'case.early-advice.endorsed', 'case.early-advice.accepted', 'case.early-advice.advised',
      'case.action.completed', 'case.action-plan.reviewed', 'case.submission.submitted', 'case.submission.approved', 'case.submission.accepted', 'case.decided',
    ]);
    expect(commands.at(-1)!.event.data).toMatchObject({ decision: 'charge', stage: 'charged', fromStage: 'cps-review', details: { outcomeCode: 1 } });
    const [live] = (await system.dataSource.query('SELECT live_state FROM cases WHERE id = $1', [caseId])) as { live_state: { clocks: { key: string; firings: { step: number; caughtUp?: boolean }[] }[] } }[];
    const fired = live.live_state.clocks.flatMap((c) => c.firings.filter((f) => !f.caughtUp).map((f) => `${c.key}#${f.step}`)).sort();
    const steps = received.filter((r) => r.event.data.timelineSeq === null);
    expect(fired.length).toBeGreaterThan(0);
    expect(steps.map((r) => `${r.event.data.details.clockKey}#${r.event.data.details.step}`).sort()).toEqual(fired);
    expect(new Set(steps.map((r) => r.event.type))).toEqual(new Set(['case.clock.reminder', 'case.clock.escalated'].filter((t) => steps.some((s) => s.event.type === t))));

    for (const r of received) {
      // Signed per Standard Webhooks, verified by the library a receiver would use.
      expect(new Webhook(secret).verify(r.body, r.headers)).toEqual(r.event);
      expect(r.webhookId).toBe(r.event.id);
      expect(r.contentType).toMatch(/^application\/cloudevents\+json/);
      expect(r.event).toMatchObject({ specversion: '1.0', source: `urn:precharge:force:${team.forceId}`, subject: caseId, datacontenttype: 'application/json', data: { caseId, forceId: team.forceId } });
      expect(Date.parse(r.event.time)).not.toBeNaN();
      // Ids, stage, type, times and actor ids: nothing that names or describes a person.
      for (const planted of [SYNTHETIC_VICTIM, ...SYNTHETIC_VICTIM.split(' '), SYNTHETIC_SUSPECT, ...SYNTHETIC_SUSPECT.split(' '), victimDob, suspect.dateOfBirth, suspect.nationalId, PLANTED_PHONE, PLANTED_ADDRESS, 'Larkspur', body.urn, 'Consent', 'MG3']) {
        expect(r.body).not.toContain(planted);
      }
    }

    // Each delivery and its attempt, without any response body.
    const deliveries = await call(team.admin, 'GET', `/webhooks/${subscriptionId}/deliveries?caseId=${caseId}&pageSize=100`);
    expect(deliveries.total).toBe(received.length);
    expect(deliveries.items[0]).toMatchObject({ status: 'delivered', caseId, attempts: [expect.objectContaining({ attempt: 1, statusCode: 204, succeeded: true, error: null })] });

    // Replayed from the fourth event on: the same webhook-ids again, in order.
    const before = receiver.received.length;
    const replay = await call(team.admin, 'POST', `/webhooks/${subscriptionId}/redeliver`, { fromEventId: received[3].webhookId });
    expect(replay.queued).toBeGreaterThanOrEqual(received.length - 3);
    const again = await eventually(async () => {
      const r = receiver.received.slice(before).filter((x) => x.event.subject === caseId);
      return r.length >= received.length - 3 && r;
    });
    expect(again.map((r) => r.webhookId)).toEqual(received.slice(3).map((r) => r.webhookId));

    // Removed: nothing more is queued for it.
    await call(team.admin, 'DELETE', `/webhooks/${subscriptionId}`);
    subscriptions.splice(subscriptions.indexOf(subscriptionId), 1);
    expect((await api(system.baseUrl, 'GET', `/webhooks/${subscriptionId}`, { token: team.admin })).status).toBe(404);
    expect((await system.dataSource.query('SELECT count(*)::int AS n FROM webhook_deliveries WHERE subscription_id = $1', [subscriptionId]))[0].n).toBe(0);
  }, 180_000);

  it('signs with both secrets during a rotation\'s overlap, and with the new one alone after it', async () => {
    const { id, secret: first } = await subscribe(['case.registered']);
    const register = async () => (await call(team.officer, 'POST', '/cases', caseBody({ unit: team.unit, officerId: team.officer.id }))).id as string;
    const arrival = (caseId: string) => eventually(async () => receiver.received.find((r) => r.event.subject === caseId && r.event.type === 'case.registered'));

    const rotated = await call(team.admin, 'POST', `/webhooks/${id}/rotate-secret`, { overlap: 'PT3S' });
    expect(rotated.secret).not.toBe(first);
    const during = await arrival(await register());
    expect(new Webhook(rotated.secret).verify(during.body, during.headers)).toEqual(during.event);
    expect(new Webhook(first).verify(during.body, during.headers)).toEqual(during.event);

    await eventually(async () => Date.now() > Date.parse(rotated.previousSecretExpiresAt) + 500, 10_000);
    const after = await arrival(await register());
    expect(new Webhook(rotated.secret).verify(after.body, after.headers)).toEqual(after.event);
    expect(() => new Webhook(first).verify(after.body, after.headers)).toThrow(/No matching signature/);
  }, 60_000);

  it('refuses destinations outside what the deployment allows when the subscription is made', async () => {
    const before = (await system.dataSource.query('SELECT count(*)::int AS n FROM webhook_subscriptions'))[0].n;
    for (const url of ['http://10.0.0.7/hook', 'http://192.168.1.20/hook', 'http://172.20.0.3/hook', 'http://169.254.169.254/latest/meta-data', 'http://[fe80::1]/hook',
      'http://[::ffff:10.0.0.7]/hook', 'http://0.0.0.0/hook', 'http://8.8.8.8/hook', 'https://records.example/hook', 'ftp://127.0.0.1/hook', 'http://user:pass@127.0.0.1/hook']) {
      const res = await api(system.baseUrl, 'POST', '/webhooks', { token: team.admin, body: { url, events: ['case.*'] } });
      expect({ url, status: res.status, field: res.body.details?.[0]?.field }).toEqual({ url, status: 422, field: 'url' });
    }
    const unknownEvent = await api(system.baseUrl, 'POST', '/webhooks', { token: team.admin, body: { url: receiver.url, events: ['case.no-such-thing'] } });
    expect(unknownEvent.status).toBe(422);
    const badPattern = await api(system.baseUrl, 'POST', '/webhooks', { token: team.admin, body: { url: receiver.url, events: ['*'] } });
    expect(badPattern.status).toBe(400);
    const changed = await api(system.baseUrl, 'PATCH', `/webhooks/${subscriptions[0]}`, { token: team.admin, body: { url: 'http://10.0.0.7/hook' } });
    expect(changed.status).toBe(422);
    expect((await system.dataSource.query('SELECT count(*)::int AS n FROM webhook_subscriptions'))[0].n).toBe(before);
    expect((await call(team.admin, 'GET', `/webhooks/${subscriptions[0]}`)).url).toBe(receiver.url);
  });
});
