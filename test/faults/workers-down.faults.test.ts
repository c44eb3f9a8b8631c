import { sleep, useFaultSystem } from './support/fault-system';
import { clockEmails, expectEachStepOnceAfterFault, registrationsOut } from './support/invariants';

const CASES = Number(process.env.FAULTS_CASES ?? 12);
/** Each case: reminded 40 s after registration, escalated at 60 s and 68 s: all while no worker runs. */
const CLOCK = { dueS: 60, remindS: 20, escalateS: 8 };

/** Every worker down (stopped) while the cases' deadlines pass, then one started again. */
describe('every worker down while deadlines pass', () => {
  const system = useFaultSystem('workers-down', CLOCK);

  it('fires each overdue step exactly once on restart: every email once, every inbox task once, every timeline event once', async () => {
    const fs = system();
    const cases = await fs.register(CASES);
    const registered = Date.now();
    // The cases' workflows are running with their clocks armed (each registration's email is out); then the worker stops
    // (SIGTERM: it drains, finishing what it holds, so steps may still go out until it has exited) and none runs.
    await registrationsOut(fs, cases);
    await fs.kill('worker', 'SIGTERM');
    const atExit = (await clockEmails(fs)).length;
    // Every step of every case's clock falls due with no worker (the last, the DI's escalation, 68 s after registration).
    await sleep(Math.max(0, registered + (CLOCK.dueS + CLOCK.escalateS + 10) * 1000 - Date.now()));
    // Nothing fired while no worker ran, and steps were left overdue for the restart.
    expect((await clockEmails(fs)).length).toBe(atExit);
    expect(atExit).toBeLessThan(CASES * 3);
    await fs.start('worker');
    const figures = await expectEachStepOnceAfterFault(fs, cases, { crashes: false });
    console.log(`every worker down: ${atExit} of ${CASES * 3} clock emails out when the last worker exited; ${JSON.stringify(figures)}`);
  });
});
