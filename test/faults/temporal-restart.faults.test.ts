import { caseSteps } from '../../scripts/demo/demo-api';
import { sleep, until, useFaultSystem } from './support/fault-system';
import { clockEmails, expectEachStepOnceAfterFault, registrationsOut } from './support/invariants';

const CASES = Number(process.env.FAULTS_CASES ?? 8);
/** Each case: reminded 90 s after registration, escalated at 120 s and 128 s: long after the restart. */
const CLOCK = { dueS: 120, remindS: 30, escalateS: 8 };

/** Temporal's dev server stopped and started again on the same port and the same SQLite file, cases' clocks armed. */
describe('the Temporal dev server restarted on its durable store', () => {
  const system = useFaultSystem('temporal-restart', CLOCK);

  it('carries cases and clocks on: clocks armed before the restart fire after it, each step once, and commands work after it', async () => {
    const fs = system();
    const cases = await fs.register(CASES);
    await registrationsOut(fs, cases);
    // Armed, none fired yet: every step of every clock is still to come when the server goes.
    expect((await clockEmails(fs)).length).toBe(0);
    await fs.kill('temporal');
    await sleep(5_000);
    await fs.start('temporal');
    const restarted = Date.now();

    // Commands after the restart: a new case registers, and Early Advice is requested on it, through the same API.
    await until('the API healthy again', async () => (await fetch(`${fs.system.apiUrl}/health`)).ok, 120_000);
    const steps = caseSteps(fs.call, fs.ids, fs.tokens);
    const [fresh] = await fs.register(1);
    const requestId = await steps.requestAdvice(fresh.id, 'ds');
    expect(requestId).toEqual(expect.any(String));
    const after = (await fs.call('GET', `/cases/${fresh.id}`, fs.tokens.ds)) as { stage: string };
    expect(after.stage).not.toBe('investigating');

    const figures = await expectEachStepOnceAfterFault(fs, cases, { crashes: false });
    // Every clock step fired after the server came back (none before it went: checked above).
    const early = (await clockEmails(fs)).filter((m) => Date.parse(m.receivedAt) < restarted);
    expect(early.map((m) => m.subject)).toEqual([]);
    console.log(`Temporal restart: ${JSON.stringify(figures)}`);
  });
});
