import { type FaultSystem, sleep, startFaultSystem, until } from './support/fault-system';
import { allDelivered, clockEmails, expectFaultClockStepsOnce } from './support/invariants';

const CASES = Number(process.env.FAULTS_CASES ?? 12);
/** Each case: reminded 40 s after registration, escalated at 60 s and 68 s: all while no worker runs. */
const CLOCK = { dueS: 60, remindS: 20, escalateS: 8 };

/** Every worker down (stopped) while the cases' deadlines pass, then one started again. */
describe('every worker down while deadlines pass', () => {
  let fs: FaultSystem;
  beforeAll(async () => { fs = await startFaultSystem('workers-down', CLOCK); }, 360_000);
  afterAll(() => fs?.stop());

  it('fires each overdue step exactly once on restart: every email once, every inbox task once, every timeline event once', async () => {
    const cases = await fs.register(CASES);
    const registered = Date.now();
    // The cases' workflows are running with their clocks armed (each registration's email is out); then no worker at all.
    await until('every registration email out', async () => (await fs.caught()).filter((m) => /^New RASSO case /.test(m.subject ?? '')).length >= CASES, 300_000);
    const armedBeforeStop = (await clockEmails(fs)).length;
    await fs.kill('worker', 'SIGTERM');
    // Every step of every case's clock falls due with no worker (the last, the DI's escalation, 48 s after registration).
    await sleep(Math.max(0, registered + (CLOCK.dueS + CLOCK.escalateS + 10) * 1000 - Date.now()));
    expect(armedBeforeStop).toBe(0);
    expect((await clockEmails(fs)).length).toBe(0);
    await fs.start('worker');
    await until('every expected email delivered', () => allDelivered(fs, cases), 600_000, 2000);
    await sleep(10_000);
    expect(fs.unexpectedExit()).toBeUndefined();
    const figures = await expectFaultClockStepsOnce(fs, cases, { crashes: false });
    console.log(`every worker down: ${JSON.stringify(figures)}`);
  });
});
