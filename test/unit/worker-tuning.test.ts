import { WORKER_TUNING, workerTuning } from '../../worker/worker-tuning';

describe('the worker tuning an operator overrides from the environment', () => {
  it('runs the shipped settings when nothing is set', () => {
    expect(workerTuning({})).toEqual(WORKER_TUNING);
  });

  it('takes the cache, task slots and sticky timeout given', () => {
    expect(workerTuning({ WORKER_MAX_CACHED_WORKFLOWS: '1000', WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: '40', WORKER_STICKY_QUEUE_TIMEOUT: '5s' }))
      .toMatchObject({ maxCachedWorkflows: 1000, maxConcurrentWorkflowTaskExecutions: 40, stickyQueueScheduleToStartTimeout: '5s' });
  });

  it('polls for workflow tasks as WORKER_WORKFLOW_POLLERS says: autoscaling, or at most a number', () => {
    expect(workerTuning({}).workflowTaskPollerBehavior).toBeUndefined();
    expect(workerTuning({ WORKER_WORKFLOW_POLLERS: 'autoscaling' }).workflowTaskPollerBehavior).toEqual({ type: 'autoscaling' });
    expect(workerTuning({ WORKER_WORKFLOW_POLLERS: '6' }).workflowTaskPollerBehavior).toEqual({ type: 'simple-maximum', maximum: 6 });
  });

  it('gives the queue shared by all workers the share of polls WORKER_SHARED_QUEUE_POLL_RATIO says', () => {
    expect(workerTuning({}).nonStickyToStickyPollRatio).toBeUndefined();
    expect(workerTuning({ WORKER_SHARED_QUEUE_POLL_RATIO: '0.5' }).nonStickyToStickyPollRatio).toBe(0.5);
    for (const bad of ['0', '1.5', 'half']) {
      expect(() => workerTuning({ WORKER_SHARED_QUEUE_POLL_RATIO: bad })).toThrow(/WORKER_SHARED_QUEUE_POLL_RATIO must be a number above 0 and at most 1/);
    }
  });

  it('refuses a value it cannot use, naming the variable', () => {
    expect(() => workerTuning({ WORKER_WORKFLOW_POLLERS: 'lots' })).toThrow(/WORKER_WORKFLOW_POLLERS must be a positive integer/);
    expect(() => workerTuning({ WORKER_MAX_CACHED_WORKFLOWS: '0' })).toThrow(/WORKER_MAX_CACHED_WORKFLOWS/);
    expect(() => workerTuning({ WORKER_STICKY_QUEUE_TIMEOUT: 'soon' })).toThrow(/WORKER_STICKY_QUEUE_TIMEOUT/);
  });
});
