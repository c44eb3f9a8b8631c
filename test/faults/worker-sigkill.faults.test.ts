import { sleep, until, useFaultSystem } from './support/fault-system';
import { clockEmails as caughtClockEmails, expectEachStepOnceAfterFault } from './support/invariants';

const CASES = Number(process.env.FAULTS_CASES ?? 24);
/** Each case: registered, reminded at 25 s, escalated to the DS at 40 s and to the DI at 48 s. */
const CLOCK = { dueS: 40, remindS: 15, escalateS: 8 };

/**
 * The worker killed with SIGKILL in the middle of a burst of clock steps (every case's reminder and escalations falling
 * due within seconds of each other), then started again.
 */
describe('the worker killed (SIGKILL) in the middle of a burst of clock steps', () => {
  const system = useFaultSystem('worker-sigkill', CLOCK);

  it('delivers every expected email with none twice, and puts every inbox task and timeline event there once', async () => {
    const fs = system();
    const cases = await fs.register(CASES);
    const clockEmails = async () => (await caughtClockEmails(fs)).length;
    // The burst under way: a quarter of the clock steps' emails out, the rest still to go.
    await until('a quarter of the clock steps sent', async () => (await clockEmails()) >= Math.ceil(CASES * 3 / 4), 180_000, 200);
    await fs.kill('worker', 'SIGKILL');
    const atKill = await clockEmails();
    expect(atKill).toBeLessThan(CASES * 3);
    // Steps keep falling due with no worker; then a new one picks up where the dead one stopped.
    await sleep(5_000);
    await fs.start('worker');
    const figures = await expectEachStepOnceAfterFault(fs, cases, { crashes: true });
    console.log(`worker SIGKILL: ${atKill} of ${CASES * 3} clock emails out at the kill; ${JSON.stringify(figures)}`);
  });
});
