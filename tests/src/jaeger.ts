/** Reading traces back from Jaeger's query API (its JSON, as the UI reads it), for the trace tests. */
import { eventually } from './shop';

export interface JaegerSpan {
  spanID: string;
  operationName: string;
  references: { refType: string; spanID: string }[];
  startTime: number;
  processID: string;
  tags: { key: string; value: unknown }[];
}
export interface JaegerTrace {
  spans: JaegerSpan[];
  processes: Record<string, { serviceName: string; tags: { key: string; value: unknown }[] }>;
}

/** A trace as Jaeger's query API serves it (at `ui`); undefined while Jaeger has none of its spans. */
export async function jaegerTrace(ui: string, traceId: string): Promise<JaegerTrace | undefined> {
  const response = await fetch(`${ui}/api/traces/${traceId}`);
  if (response.status === 404) return undefined;
  const { data } = (await response.json()) as { data: JaegerTrace[] };
  return data?.[0];
}

export const serviceOf = (trace: JaegerTrace, span: JaegerSpan) => trace.processes[span.processID].serviceName;
export const parentOf = (span: JaegerSpan) => span.references.find((reference) => reference.refType === 'CHILD_OF')?.spanID;

/** The span and its ancestors, the span first. */
export function ancestry(trace: JaegerTrace, span: JaegerSpan): JaegerSpan[] {
  const byId = new Map(trace.spans.map((each) => [each.spanID, each]));
  const chain = [span];
  for (let parent = parentOf(span); parent && byId.has(parent); parent = parentOf(byId.get(parent)!)) chain.push(byId.get(parent)!);
  return chain;
}

/**
 * The spans, as "service operation", whose parent is neither in the trace nor the caller's root
 * span `rootSpanId` (which a caller may or may not have sent to Jaeger).
 */
export function orphans(trace: JaegerTrace, rootSpanId: string): string[] {
  const ids = new Set(trace.spans.map((span) => span.spanID));
  return trace.spans
    .filter((span) => span.spanID !== rootSpanId && parentOf(span) !== rootSpanId && !ids.has(parentOf(span) ?? ''))
    .map((span) => `${serviceOf(trace, span)} ${span.operationName}`);
}

/** The spans a purchase (place and pay through Envoy) must reach, as service → operation name. */
export const PURCHASE_SPANS: [string, RegExp][] = [
  ['envoy', /./],
  ['order', /PlaceOrder$/],
  ['order', /PayOrder$/],
  ['order', /^outbox append$/],
  ['payment', /AuthorizePayment$/],
  ['cart', /^cart handle OrderPlaced$/],
  ['cart', /^cart handle OrderPaid$/],
  ['customer', /^customer handle OrderPlaced$/],
  ['customer', /^customer handle OrderPaid$/],
];

/** Those of `expected` the trace has no span for yet. */
export function missingSpans(trace: JaegerTrace | undefined, expected = PURCHASE_SPANS): [string, RegExp][] {
  return expected.filter(([service, operation]) => !trace?.spans.some((span) => serviceOf(trace, span) === service && operation.test(span.operationName)));
}

/**
 * What keeps a purchase's trace from being whole: spans it must reach that are not there yet, and
 * spans whose parent is not there.
 */
export function gaps(trace: JaegerTrace | undefined, rootSpanId: string, expected = PURCHASE_SPANS): string[] {
  if (!trace) return ['no span yet'];
  return [
    ...missingSpans(trace, expected).map(([service, operation]) => `missing: ${service} ${operation}`),
    ...orphans(trace, rootSpanId).map((span) => `parent not in the trace: ${span}`),
  ];
}

/**
 * The purchase's trace once it is whole: every span it must reach is there, and every span's
 * parent. Each process (every service, every Envoy pod) sends its spans in batches of its own,
 * every few seconds, so a span can arrive before its parent; a parent that never arrives (a hop
 * that lost the trace context) fails the wait, naming the orphans.
 */
export async function wholeTrace(ui: string, traceId: string, rootSpanId: string, timeoutMs: number, everyMs = 500): Promise<JaegerTrace> {
  let trace: JaegerTrace | undefined;
  await eventually(
    `the whole trace ${traceId} in Jaeger`,
    async () => gaps((trace = await jaegerTrace(ui, traceId).catch(() => undefined)), rootSpanId),
    (left) => left.length === 0,
    timeoutMs,
    everyMs,
  );
  return trace!;
}
