import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { status } from '@grpc/grpc-js';
import { ConnectionError } from 'sequelize';
import { Status } from '@funshop/proto/google/rpc/status';
import { BadRequest, RequestInfo } from '@funshop/proto/google/rpc/error_details';
import { ConcurrentModification, FailedPrecondition, InvalidArgument, NotFound, Unauthenticated, Unavailable } from '../src/errors';
import { CallCancelled, DeadlineExceeded, MESSAGE_MAX, toServiceError } from '../src/grpc/status';

function detailsOf(error: ReturnType<typeof toServiceError>) {
  const [bytes] = error.metadata.get('grpc-status-details-bin') as Buffer[];
  return Status.decode(bytes);
}

test('each kind of domain error becomes its gRPC status code', () => {
  const cases: [Error, status][] = [
    [new InvalidArgument('bad'), status.INVALID_ARGUMENT],
    [new Unauthenticated('who?'), status.UNAUTHENTICATED],
    [new NotFound('gone'), status.NOT_FOUND],
    [new FailedPrecondition('not now'), status.FAILED_PRECONDITION],
    [new ConcurrentModification('raced'), status.ABORTED],
    [new Unavailable('down'), status.UNAVAILABLE],
    [new DeadlineExceeded(), status.DEADLINE_EXCEEDED],
    [new CallCancelled(), status.CANCELLED],
    [new ConnectionError(new Error('ECONNREFUSED')), status.UNAVAILABLE],
  ];
  for (const [error, code] of cases) assert.is(toServiceError(error, 'c-1').code, code, error.constructor.name);
});

test('field violations and the correlation id travel as google.rpc.Status details', () => {
  const error = toServiceError(InvalidArgument.of([{ field: 'items[0].quantity', description: 'must be 1..99' }]), 'corr-42');
  assert.is(error.details, 'items[0].quantity: must be 1..99');
  const rpcStatus = detailsOf(error);
  assert.is(rpcStatus.code, status.INVALID_ARGUMENT);
  const [badRequest, requestInfo] = rpcStatus.details;
  assert.is(badRequest.typeUrl, 'type.googleapis.com/google.rpc.BadRequest');
  assert.equal(
    BadRequest.decode(badRequest.value).fieldViolations.map((v) => [v.field, v.description]),
    [['items[0].quantity', 'must be 1..99']],
  );
  assert.is(requestInfo.typeUrl, 'type.googleapis.com/google.rpc.RequestInfo');
  assert.is(RequestInfo.decode(requestInfo.value).requestId, 'corr-42');
});

test('an unexpected error is INTERNAL and does not leak its message', () => {
  const error = toServiceError(new Error('password=hunter2 in SQL'), 'corr-7');
  assert.is(error.code, status.INTERNAL);
  assert.not.match(error.details, /hunter2/);
  assert.match(error.details, /corr-7/);
});

test('a message or violation longer than a trailer should carry is cut short', () => {
  const huge = 'x'.repeat(20_000);
  const error = toServiceError(InvalidArgument.of([{ field: 'product_id', description: huge }]), 'c-1');
  assert.ok(error.details.length <= MESSAGE_MAX, `message of ${error.details.length}`);
  assert.ok(error.details.endsWith('…'));
  const [badRequest] = detailsOf(error).details.filter((any) => any.typeUrl.endsWith('BadRequest'));
  assert.ok(BadRequest.decode(badRequest.value).fieldViolations[0].description.length <= MESSAGE_MAX);
  assert.is(toServiceError(new NotFound('short'), 'c-1').details, 'short');
});

test.run();
