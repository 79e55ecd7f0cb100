import { session } from '../session';
import type { ErrorBody } from './types';

/**
 * An API call that failed: the HTTP status, the `google.rpc.Status` the shop answered (or Envoy
 * made in its shape), and what the UI needs from it.
 */
export class ApiError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly body: ErrorBody | undefined,
  ) {
    super(body?.message || `the shop answered ${httpStatus}`);
  }

  /** The field violations of a 400, by field path as the services name them (e.g. `card.number`). */
  get fieldViolations(): Map<string, string> {
    const violations = this.body?.details?.flatMap((detail) => detail.fieldViolations ?? []) ?? [];
    return new Map(violations.map((violation) => [violation.field, violation.description]));
  }

  /** Envoy's x-request-id of the call: the correlation id support finds it by. */
  get requestId(): string | undefined {
    return this.body?.details?.find((detail) => detail.requestId)?.requestId;
  }
}

/** The browser could not reach the shop at all (offline, connection refused). */
export class NetworkError extends Error {}

/** A failure that may pass by itself: the shop was unreachable, overloaded (429, 503) or too slow (504). */
export function passing(error: unknown): boolean {
  return error instanceof NetworkError || (error instanceof ApiError && [429, 503, 504].includes(error.httpStatus));
}

export interface CallOptions {
  body?: unknown;
  headers?: Record<string, string>;
}

/**
 * One call of the public REST API, on this page's own origin (Envoy serves both), with the
 * signed-in customer's bearer token. A 401 ends the session: the token expired or was refused.
 */
export async function call<T>(method: 'GET' | 'POST', path: string, options: CallOptions = {}): Promise<T> {
  const token = session.current()?.token;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers: {
        accept: 'application/json',
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...options.headers,
      },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
  } catch {
    throw new NetworkError('could not reach the shop');
  }
  const text = await response.text();
  const body = text ? parseJson(text) : undefined;
  if (response.ok) return body as T;
  if (response.status === 401 && token) session.end('expired');
  throw new ApiError(response.status, body as ErrorBody | undefined);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
