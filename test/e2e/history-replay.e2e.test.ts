import { Worker } from '@temporalio/worker';
import { loadEnvironment } from '../../infra/config';
import { createDataConverter } from '../../infra/temporal';
import { caseWorkflowId } from '../../workflows/contracts';
import { caseWithOneAction, withSystemAndTeam } from '../support/fixtures';
import { api } from '../support/system';
import { workflowBundle, workflowSinks } from '../support/time-skipping';

interface LocalActivityMarker { seq: number; activity_type: string; original_schedule_time: Timestamp; complete_time: Timestamp }
interface Timestamp { seconds: number; nanos: number }

/**
 * A case's history as real timings write it replays on the current code, as a worker replays it after a restart or
 * once the case has left its cache. Advice with an action due in three days makes the action's reminder (seven days
 * before) due at once: the command's projection write and that reminder's notice are both local activities of the
 * same workflow task. Two in flight at once resolve together or apart by timing, and a replay that groups them the
 * other way orders what follows them the other way, a nondeterminism error that leaves the case stuck; so they run
 * one at a time (patch one-local-activity-at-a-time).
 */
describe('a case history written with real timings', () => {
  const context = withSystemAndTeam();

  it('ran its local activities one at a time, and replays deterministically on the current code', async () => {
    const { caseId, actionId } = await caseWithOneAction(context.system.baseUrl, context.team, 3 * 86_400_000);
    expect((await api(context.system.baseUrl, 'POST', `/actions/${actionId}/complete`, { token: context.team.officer.token, body: { note: 'Synthetic: CCTV obtained.' } })).status).toBe(200);

    const history = await context.system.client.workflow.getHandle(caseWorkflowId(caseId)).fetchHistory();
    const ms = (t: Timestamp) => Number(t.seconds) * 1000 + t.nanos / 1e6;
    const markers = (history.events ?? []).flatMap((e) => (e.markerRecordedEventAttributes?.markerName === 'core_local_activity'
      ? [JSON.parse(Buffer.from(e.markerRecordedEventAttributes.details!.data!.payloads![0].data!).toString()) as LocalActivityMarker]
      : [])).sort((a, b) => a.seq - b.seq);
    // The reminder's notice is among them: the advice made a step due at once.
    expect(markers.filter((m) => m.activity_type === 'notify').length).toBeGreaterThanOrEqual(2);
    const overlapping = markers.filter((m, i) => i > 0 && ms(m.original_schedule_time) < ms(markers[i - 1].complete_time)).map((m) => `${m.seq} ${m.activity_type}`);
    expect(overlapping).toEqual([]);

    await Worker.runReplayHistory({ workflowBundle: await workflowBundle(false), sinks: workflowSinks, dataConverter: createDataConverter(loadEnvironment().PAYLOAD_KEYS) }, history, caseWorkflowId(caseId));
  });
});
