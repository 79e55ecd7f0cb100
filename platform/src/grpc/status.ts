import { Metadata, status, type ServiceError, type StatusObject } from '@grpc/grpc-js';
import { Status } from '@funshop/proto/google/rpc/status';
import { BadRequest, RequestInfo } from '@funshop/proto/google/rpc/error_details';
import { BaseError as SequelizeError, ConnectionError, TimeoutError } from 'sequelize';
import { DomainError, type FieldViolation } from '../errors';

const codeOfKind: Record<DomainError['kind'], status> = {
  'invalid-argument': status.INVALID_ARGUMENT,
  unauthenticated: status.UNAUTHENTICATED,
  'not-found': status.NOT_FOUND,
  'failed-precondition': status.FAILED_PRECONDITION,
  'concurrent-modification': status.ABORTED,
  unavailable: status.UNAVAILABLE,
};

export class DeadlineExceeded extends Error {
  constructor() {
    super('deadline exceeded before the request completed');
  }
}

/** The caller cancelled the call (or went away); nobody waits for the answer. */
export class CallCancelled extends Error {
  constructor() {
    super('the caller cancelled the call');
  }
}

function toStatus(error: unknown): { code: status; message: string; violations: FieldViolation[] } {
  if (error instanceof DomainError) {
    const violations = 'violations' in error ? (error.violations as FieldViolation[]) : [];
    return { code: codeOfKind[error.kind], message: error.message, violations };
  }
  if (error instanceof CallCancelled) return { code: status.CANCELLED, message: error.message, violations: [] };
  if (error instanceof DeadlineExceeded) return { code: status.DEADLINE_EXCEEDED, message: error.message, violations: [] };
  if (error instanceof ConnectionError || error instanceof TimeoutError) {
    return { code: status.UNAVAILABLE, message: 'the database is unavailable; try again', violations: [] };
  }
  if (error instanceof SequelizeError && /deadlock|lock wait timeout/i.test(error.message)) {
    return { code: status.ABORTED, message: 'the request conflicted with a concurrent one; try again', violations: [] };
  }
  return { code: status.INTERNAL, message: 'internal error', violations: [] };
}

/**
 * The gRPC status for an error, with a google.rpc.Status in `grpc-status-details-bin` carrying
 * field violations and the correlation id, which Envoy's transcoder turns into the JSON body.
 */
export function toServiceError(error: unknown, correlationId: string): Partial<StatusObject> & ServiceError {
  const mapped = toStatus(error);
  const { code, violations } = mapped;
  const message = code === status.INTERNAL ? `internal error; quote correlation id ${correlationId}` : bounded(mapped.message);
  const details = [packAny('google.rpc.RequestInfo', RequestInfo.encode({ requestId: correlationId, servingData: '' }))];
  if (violations.length > 0) {
    details.unshift(packAny('google.rpc.BadRequest', BadRequest.encode({ fieldViolations: violations.map(toProtoViolation) })));
  }
  const metadata = new Metadata();
  metadata.set('grpc-status-details-bin', Buffer.from(Status.encode({ code, message, details }).finish()));
  return Object.assign(new Error(message), { code, details: message, metadata, name: 'ServiceError' });
}

function packAny(typeName: string, writer: { finish(): Uint8Array }) {
  return { typeUrl: `type.googleapis.com/${typeName}`, value: Buffer.from(writer.finish()) };
}

function toProtoViolation(violation: FieldViolation) {
  return { field: violation.field, description: bounded(violation.description), reason: '', localizedMessage: undefined };
}

/**
 * The most of a message that goes into the grpc-message trailer (and the status details). Request
 * rules keep input out of messages; this is the net under them: a trailer larger than a proxy's
 * header limit makes it reset the stream, and the caller would see a 502 or 503 instead of the
 * error.
 */
export const MESSAGE_MAX = 512;

function bounded(message: string): string {
  return message.length > MESSAGE_MAX ? `${message.slice(0, MESSAGE_MAX - 1)}…` : message;
}
