import { ServiceError, WorkflowNotFoundError, WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { refused } from '../../api/cases/case-commands.service';
import { ApiError } from '../../api/common/api-error';

/** A gRPC failure as the client's connection reports it. */
const grpc = (code: number, details: string) => Object.assign(new Error(details), { code, details, metadata: {} });

describe('a failed case command: refused (its document goes) or of unknown outcome (its document stays)', () => {
  test.each([
    ['refused by the validator or the handler', new WorkflowUpdateFailedError('update failed', ApplicationFailure.nonRetryable('not now', 'IllegalTransition'))],
    ['refused by the API (a case that cannot take commands)', ApiError.unavailable('try again shortly')],
    ['refused by the server: INVALID_ARGUMENT', new ServiceError('Workflow Update failed', { cause: grpc(3, 'bad request') })],
  ])('%s: refused', (_what, err) => {
    expect(refused(err)).toBe(true);
  });

  test.each([
    ['connection lost: UNAVAILABLE after the client\'s retries', new ServiceError('Workflow Update failed', { cause: grpc(14, 'Connection dropped') })],
    ['deadline passed', new WorkflowUpdateRPCTimeoutOrCancelledError('timeout', { cause: grpc(4, 'Deadline exceeded') })],
    ['server error: INTERNAL', new ServiceError('Workflow Update failed', { cause: grpc(13, 'RST_STREAM') })],
    ['the workflow not found while its Update\'s result was awaited', new WorkflowNotFoundError('not found', 'case-x', undefined)],
    ['anything else', new Error('socket hang up')],
  ])('%s: outcome unknown', (_what, err) => {
    expect(refused(err)).toBe(false);
  });
});
