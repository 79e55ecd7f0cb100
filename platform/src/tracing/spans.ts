import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  context,
  isSpanContextValid,
  propagation,
  trace,
  type Context,
  type Link,
  type Span,
} from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';

/**
 * Spans of our own, where no instrumentation can see: the outbox, the relay, the consumers'
 * batches and handlers, the saga's timeout. Written against the OpenTelemetry API only, so they cost nothing when
 * the SDK is not started (tools, tests) or switched off (`OTEL_SDK_DISABLED=true`).
 */
const tracer = trace.getTracer('funshop');

export interface SpanOptions {
  kind?: SpanKind;
  attributes?: Record<string, string | number | boolean | string[]>;
  links?: Link[];
  /** Start a trace of its own instead of joining the active one (links can point back). */
  root?: boolean;
}

/**
 * Runs `work` in a new span, active for everything it awaits; a throw marks the span as an error.
 * `parent` is the context to start from (default: the active one).
 */
export function inSpan<T>(name: string, options: SpanOptions, work: (span: Span) => Promise<T>, parent: Context = context.active()): Promise<T> {
  return tracer.startActiveSpan(name, { ...options, kind: options.kind ?? SpanKind.INTERNAL }, parent, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      markFailed(span, error as Error);
      throw error;
    } finally {
      span.end();
    }
  });
}

/**
 * Runs `work` as the root span of a trace of its own, even inside untraced work: for what a
 * background job does on one object's behalf that deserves to be followed (a saga's timeout
 * compensating an order), while the sweep that found it stays untraced.
 */
export function inNewTrace<T>(name: string, attributes: SpanOptions['attributes'], work: (span: Span) => Promise<T>): Promise<T> {
  return inSpan(name, { attributes }, work, ROOT_CONTEXT);
}

/** Marks a span as failed, for an error handled inside it (one that `inSpan` does not see thrown). */
export function markFailed(span: Span, error: Error): void {
  span.recordException(error);
  span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
}

/** The active context: to hand to work that runs later, outside the current call (a batch, a timer). */
export function activeContext(): Context {
  return context.active();
}

/**
 * Runs `work` with tracing suppressed: background work on no request's behalf (polls, sweeps,
 * scrapes of gauges, migrations) would otherwise start a trace of one database statement each.
 */
export function untraced<T>(work: () => T): T {
  return context.with(suppressTracing(context.active()), work);
}

/** The active trace context as text headers (W3C `traceparent`, `tracestate`): for storing it with an event. */
export function traceHeaders(from: Context = context.active()): Record<string, string> {
  const headers: Record<string, string> = {};
  propagation.inject(from, headers);
  return headers;
}

/** The context that `traceHeaders` wrote. */
export function contextFromHeaders(headers: Record<string, string>): Context {
  return propagation.extract(ROOT_CONTEXT, headers);
}

/** A link to the span of `from`, when it has one. */
export function linkTo(from: Context): Link[] {
  const spanContext = trace.getSpanContext(from);
  return spanContext && isSpanContextValid(spanContext) ? [{ context: spanContext }] : [];
}

/** The active trace and span ids, for log lines; empty outside any trace. */
export function traceIds(): { trace_id?: string; span_id?: string } {
  const spanContext = trace.getSpanContext(context.active());
  return spanContext && isSpanContextValid(spanContext) ? { trace_id: spanContext.traceId, span_id: spanContext.spanId } : {};
}

export { ROOT_CONTEXT, SpanKind, context, type Context, type Span };
