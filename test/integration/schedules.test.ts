import { loadEnvironment } from '../../infra/config';
import { createLogger } from '../../infra/logger';
import { connectTemporalClient } from '../../infra/temporal';
import { ensureSchedules } from '../../worker/schedules';

/** The worker's Schedules on the real dev server (the time-skipping server has none). */
describe('schedules', () => {
  it('creates the daily escalation digest at 07:00 UK time, and a second start changes nothing', async () => {
    const client = await connectTemporalClient(loadEnvironment());
    try {
      const logger = createLogger('test', 'silent');
      await ensureSchedules(client, logger);
      await ensureSchedules(client, logger);
      const schedule = await client.schedule.getHandle('escalation-digest').describe();
      expect(schedule.spec.timezone).toBe('Europe/London');
      expect(schedule.spec.calendars?.[0]).toMatchObject({ hour: [{ start: 7, end: 7, step: 1 }], minute: [{ start: 0, end: 0, step: 1 }] });
      expect(schedule.action).toMatchObject({ type: 'startWorkflow', workflowType: 'escalationDigestWorkflow', taskQueue: 'precharge' });
      await client.schedule.getHandle('escalation-digest').delete();
    } finally {
      await client.connection.close();
    }
  });
});
