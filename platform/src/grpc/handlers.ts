import { Metadata, status, type handleUnaryCall, type sendUnaryData, type ServerUnaryCall } from '@grpc/grpc-js';
import type { FaultSwitch } from '../fault-switch';
import type { Logger } from '../logger';
import { acceptCorrelationId, runInContext } from '../request-context';
import type { RequestRules } from './request-rules';
import { CallCancelled, DeadlineExceeded, toServiceError } from './status';

/** What a handler knows about the call beyond its request message. */
export interface CallContext {
  readonly method: string;
  readonly correlationId: string;
  readonly metadata: Metadata;
  /** Fires when the deadline passes or the caller cancels: stop working, nobody is waiting. */
  readonly signal: AbortSignal;
}

type UnaryMethod = { requestDeserialize(bytes: Buffer): unknown; responseSerialize(value: never): Buffer };
export type RequestOf<M> = M extends { requestDeserialize(bytes: Buffer): infer R } ? R : never;
type ResponseOf<M> = M extends { responseSerialize(value: infer R): Buffer } ? R : never;

/** A service implemented as plain async functions: request and context in, response out. */
export type AsyncService<D> = {
  [K in keyof D]: (request: RequestOf<D[K]>, context: CallContext) => Promise<ResponseOf<D[K]>>;
};

/** A contract's request rules, by method: checked before the method's handler runs. */
export type ContractRules<D> = { [K in keyof D]?: RequestRules<RequestOf<D[K]>> };

export type ServiceDefinitionOf<D> = { [K in keyof D]: UnaryMethod & { path: string } };

export const CORRELATION_HEADER = 'x-request-id';

export function firstHeader(metadata: Metadata, name: string): string | undefined {
  const value = metadata.get(name)[0];
  return typeof value === 'string' ? value : undefined;
}

/** What a handler reports beside its answer: the call's method, gRPC status name and duration. */
export type ObserveCall = (labels: { method: string; code: string }, seconds: number) => void;

/**
 * Adapts an async handler to grpc-js: sets up the request context (correlation id, deadline and
 * cancellation signal), returns the correlation id in the trailers, maps thrown
 * errors to gRPC statuses, writes one access-log line per call and observes its duration.
 */
export function unaryHandler<Req, Res>(
  path: string,
  handler: (request: Req, context: CallContext) => Promise<Res>,
  logger: Logger,
  options: { faults?: FaultSwitch; observe?: ObserveCall } = {},
): handleUnaryCall<Req, Res> {
  const { faults, observe } = options;
  return (call: ServerUnaryCall<Req, Res>, callback: sendUnaryData<Res>) => {
    const started = performance.now();
    const correlationId = acceptCorrelationId(firstHeader(call.metadata, CORRELATION_HEADER));
    const controller = new AbortController();
    const deadlineTimer = armDeadline(call.getDeadline(), controller);
    // grpc-js also reports a call as cancelled when its stream closes after the answer: that one
    // is no cancellation, and would cost an Error (with its stack) on every call.
    const onCancelled = () => controller.abort(new CallCancelled());
    call.once('cancelled', onCancelled);

    // The correlation id goes back in the trailers: errors then stay trailers-only responses,
    // whose status a proxy can read from the headers without buffering the body.
    const trailers = new Metadata();
    trailers.set(CORRELATION_HEADER, correlationId);

    const context: CallContext = { method: path, correlationId, metadata: call.metadata, signal: controller.signal };
    runInContext({ correlationId, causationId: correlationId, signal: controller.signal }, async () => {
      try {
        controller.signal.throwIfAborted();
        faults?.check();
        const response = await handler(call.request, context);
        callback(null, response, trailers);
        observe?.({ method: path, code: 'OK' }, (performance.now() - started) / 1000);
        logger.info({ method: path, code: 'OK', ms: elapsed(started) }, 'call');
      } catch (error) {
        const serviceError = toServiceError(error, correlationId);
        serviceError.metadata.merge(trailers);
        callback(serviceError);
        observe?.({ method: path, code: status[serviceError.code] ?? String(serviceError.code) }, (performance.now() - started) / 1000);
        const fields = { method: path, code: serviceError.code, ms: elapsed(started) };
        if (serviceError.code === status.INTERNAL) logger.error({ ...fields, err: error }, 'call failed');
        else logger.info({ ...fields, reason: serviceError.details }, 'call');
      } finally {
        call.removeListener('cancelled', onCancelled);
        if (deadlineTimer) clearTimeout(deadlineTimer);
      }
    });
  };
}

function armDeadline(deadline: Date | number, controller: AbortController): NodeJS.Timeout | undefined {
  const at = deadline instanceof Date ? deadline.getTime() : deadline;
  if (!Number.isFinite(at)) return undefined;
  const remaining = at - Date.now();
  if (remaining <= 0) {
    controller.abort(new DeadlineExceeded());
    return undefined;
  }
  return setTimeout(() => controller.abort(new DeadlineExceeded()), remaining);
}

function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 10) / 10;
}
