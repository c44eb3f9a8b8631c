import { sleep, useFaultSystem } from './support/fault-system';
import { expectEachStepOnceAfterFault } from './support/invariants';

const CASES = Number(process.env.FAULTS_CASES ?? 12);
/** How long the SMTP relay stays down: a minute by default (long enough for each step's email to be retried). */
const OUTAGE_S = Number(process.env.FAULTS_SMTP_OUTAGE_S ?? 60);
/** Each case: registered, reminded at 25 s, escalated to the DS at 40 s and to the DI at 48 s: all within the outage. */
const CLOCK = { dueS: 40, remindS: 15, escalateS: 8 };

/** The SMTP relay down (connections refused) while cases register and their clocks fall due, then back on the same port. */
describe('SMTP down while emails fall due', () => {
  const system = useFaultSystem('smtp-down', CLOCK);

  it(`delivers every email once the relay is back after ${OUTAGE_S} s: none lost, none twice, every task and timeline event once`, async () => {
    const fs = system();
    await fs.kill('mail');
    const down = Date.now();
    const cases = await fs.register(CASES);
    await sleep(Math.max(0, OUTAGE_S * 1000 - (Date.now() - down)));
    // The outage was felt: sends were refused and are waiting for their retries.
    const [{ failures, pending }] = await fs.db.query(`SELECT coalesce(sum(failures), 0)::int AS failures, count(*) FILTER (WHERE status = 'pending')::int AS pending FROM outbound_emails`);
    expect(failures).toBeGreaterThan(0);
    expect(pending).toBeGreaterThan(0);
    await fs.start('mail');
    const figures = await expectEachStepOnceAfterFault(fs, cases, { crashes: false });
    console.log(`SMTP down ${OUTAGE_S} s: ${pending} emails waiting and ${failures} refused attempts at the end of the outage; ${JSON.stringify(figures)}`);
  });
});
