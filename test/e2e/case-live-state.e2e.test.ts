import { join } from 'node:path';
import { caseActionsQuery, type CaseView, caseWorkflowId, type EarlyAdviceView } from '../../workflows/contracts';
import type { CommandActor } from '../../workflows/contracts/commands';
import { caseWithOneAction, type Member, withSystemAndTeam } from '../support/fixtures';
import { api, eventually } from '../support/system';

/**
 * The case page works out a case's view and what each person may do from the state the worker stores, with the
 * pipeline's own rules, instead of asking the workflow. Here, on the real stack under second-scale action clocks,
 * it must answer exactly what the workflow's own query answers, for every role, at each stage and after clock steps
 * have fired between transitions (the reminder and both escalations shown as fired).
 */
describe('the case as stored answers as the workflow does', () => {
  const ctx = withSystemAndTeam({ policyFile: join(__dirname, '..', 'fixtures', 'fast-policy.json') });

  const actorOf = async (member: Member): Promise<CommandActor> => {
    const [person] = await ctx.system.dataSource.query('SELECT organisation, rank, roles FROM people WHERE id = $1', [member.id]);
    const role = (['supervisor', 'officer', 'cps'] as const).find((r) => person.roles.includes(r))!;
    return { id: member.id, role, organisation: person.organisation, rank: person.rank };
  };

  /** The view without what depends on the instant it is read (overdue flags). */
  const comparable = (view: Partial<CaseView> & { flags?: { referredToCps: boolean } }) => ({
    stage: view.stage, waitingFor: view.waitingFor, holder: view.holder ?? null, referredToCps: view.flags?.referredToCps ?? view.referredToCps, outcomeCode: view.outcomeCode ?? undefined,
    // The API adds what only the projection knows (the repeat-suspect flag on a request); the rest must be the workflow's.
    earlyAdvice: view.earlyAdvice?.map(({ repeatSuspect: _flag, ...request }: EarlyAdviceView & { repeatSuspect?: boolean }) => request), actionPlans: view.actionPlans, actions: view.actions, submissions: view.submissions, custody: view.custody, reviews: view.reviews,
    clocks: view.clocks?.map(({ overdue: _overdue, ...clock }) => clock),
  });

  const expectSameAnswers = async (caseId: string) => {
    const { team } = ctx;
    for (const member of [team.officer, team.ds, team.di, team.dcp, team.prosecutor]) {
      const res = await api(ctx.system.baseUrl, 'GET', `/cases/${caseId}?include=actions`, { token: member.token });
      expect(res.status).toBe(200);
      const fromWorkflow = await ctx.system.client.workflow.getHandle(caseWorkflowId(caseId)).query(caseActionsQuery, await actorOf(member));
      expect({ view: comparable(res.body), actions: res.body.availableActions }).toEqual({ view: comparable(fromWorkflow.view), actions: fromWorkflow.actions });
    }
  };

  it('stores the state with every transition and answers from it', async () => {
    const { caseId } = await caseWithOneAction(ctx.system.baseUrl, ctx.team, 60_000);
    const [stored] = await ctx.system.dataSource.query('SELECT live_seq, live_state IS NOT NULL AS has_state, registration IS NOT NULL AS has_registration FROM cases WHERE id = $1', [caseId]);
    expect(stored).toEqual({ live_seq: 5, has_state: true, has_registration: true });
    await expectSameAnswers(caseId);
  });

  it('keeps the stored state current when clock steps fire between transitions', async () => {
    // Due in 1 s: the reminder is already past, then the DS (2 s after) and the DI with the prosecutor (5 s after).
    const { caseId, actionId } = await caseWithOneAction(ctx.system.baseUrl, ctx.team, 1_000);
    const key = `actionPlan.item:${actionId}`;
    await eventually(async () => {
      const [row] = await ctx.system.dataSource.query(`SELECT live_steps, live_state FROM cases WHERE id = $1`, [caseId]);
      const clock = row.live_state.clocks.find((c: { key: string }) => c.key === key);
      return clock?.firings.filter((f: { kind: string }) => f.kind === 'escalation').length === 2 && row;
    }, 30_000);
    await expectSameAnswers(caseId);
    const page = await api(ctx.system.baseUrl, 'GET', `/cases/${caseId}`, { token: ctx.team.ds.token });
    const clock = page.body.clocks.find((c: { key: string }) => c.key === key);
    expect(clock.firings.map((f: { kind: string; to: string[] }) => [f.kind, f.to])).toEqual([['reminder', ['owner']], ['escalation', ['police:DS']], ['escalation', ['police:DI', 'prosecutor']]]);
  });
});
