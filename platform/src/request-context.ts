import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/**
 * What travels with one request or one consumed event through every await: the correlation id
 * that ties its log lines and the events it causes together, and the signal that fires when its
 * deadline passes or the caller goes away.
 */
export interface RequestContext {
  readonly correlationId: string;
  /** The id of what caused this work: the request's id, or the event a consumer is handling. */
  readonly causationId: string;
  readonly signal: AbortSignal;
}

const storage = new AsyncLocalStorage<RequestContext>();

export function runInContext<T>(context: RequestContext, work: () => T): T {
  return storage.run(context, work);
}

export function currentContext(): RequestContext | undefined {
  return storage.getStore();
}

/** A correlation id must be safe to log and to put in headers; anything else is replaced. */
export function acceptCorrelationId(candidate: string | undefined): string {
  return candidate && /^[A-Za-z0-9._:-]{1,128}$/.test(candidate) ? candidate : randomUUID();
}

/** Runs `work` in no request's context: for work done on behalf of many requests at once. */
export function runOutsideContext<T>(work: () => T): T {
  return storage.exit(work);
}
