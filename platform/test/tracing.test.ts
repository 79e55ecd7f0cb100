import { execFileSync } from 'node:child_process';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Writable } from 'node:stream';
import { QueryTypes, type Sequelize } from 'sequelize';
import { ROOT_CONTEXT, TraceFlags, context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { tracing } from '@opentelemetry/sdk-node';
import { createLogger } from '../src/logger';
import { Outbox, OUTBOX_TABLE } from '../src/messaging/outbox';
import { contextFromHeaders, inNewTrace, traceHeaders, untraced } from '../src/tracing/spans';
import { openMessagingDatabase, uniqueName } from './messaging-harness';

// What the platform does with the trace context it is handed: log lines carry its ids, the
// outbox stores it with each event, and work marked untraced sees none. (The spans themselves,
// across processes and the broker, are checked end to end against Jaeger: tests/src/tracing.test.ts.)
// Only the API's context and propagation are set up here, as the SDK would: no spans are recorded,
// except by the one test that installs a tracer provider of its own.

const it = suite('trace context in logs and the outbox', {} as { sequelize: Sequelize });

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';
const traced = trace.setSpanContext(ROOT_CONTEXT, { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: TraceFlags.SAMPLED, isRemote: true });

it.before(async (state) => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  state.sequelize = await openMessagingDatabase();
});

it.after(async ({ sequelize }) => {
  await sequelize.close();
  context.disable();
  propagation.disable();
});

function capturedLogger() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { logger: createLogger('tracing-test', 'info', destination), lines };
}

it('a log line written in a trace carries its trace and span ids; one outside carries none', async () => {
  const { logger, lines } = capturedLogger();
  await context.with(traced, async () => {
    await new Promise((resolve) => setImmediate(resolve)); // across an await, as in a handler
    logger.info('inside');
  });
  logger.info('outside');
  untraced(() => context.with(traced, () => logger.info('inside, untraced')));
  await new Promise((resolve) => setImmediate(resolve));
  const [inside, outside, suppressed] = lines;
  assert.is(inside.trace_id, TRACE_ID);
  assert.is(inside.span_id, SPAN_ID);
  assert.not.ok('trace_id' in outside);
  // Suppressing tracing stops new spans, not the ids of the trace already in hand.
  assert.is(suppressed.trace_id, TRACE_ID);
});

it('the trace context travels as W3C headers and comes back the same', () => {
  const headers = traceHeaders(traced);
  assert.is(headers.traceparent, `00-${TRACE_ID}-${SPAN_ID}-01`);
  const back = trace.getSpanContext(contextFromHeaders(headers))!;
  assert.is(back.traceId, TRACE_ID);
  assert.is(back.spanId, SPAN_ID);
  assert.equal(traceHeaders(ROOT_CONTEXT), {});
});

it('the outbox stores the trace context of the transaction that wrote each event, and none outside a trace', async ({ sequelize }) => {
  const outbox = new Outbox(sequelize);
  const [inTrace, outside] = [uniqueName('traced'), uniqueName('untraced')];
  const event = (aggregateId: string) => ({ eventType: 'test.Traced', aggregateType: 'test', aggregateId, sequence: 1, payload: Buffer.from('{}') });
  await context.with(traced, () => sequelize.transaction((transaction) => outbox.append(transaction, [event(inTrace)])));
  await sequelize.transaction((transaction) => outbox.append(transaction, [event(outside)]));
  const rows = await sequelize.query<{ aggregate_id: string; trace_context: string | null }>(
    `SELECT aggregate_id, trace_context FROM ${OUTBOX_TABLE} WHERE aggregate_id IN (?, ?)`,
    { replacements: [inTrace, outside], type: QueryTypes.SELECT },
  );
  const stored = new Map(rows.map((row) => [row.aggregate_id, row.trace_context]));
  const headers = JSON.parse(stored.get(inTrace) ?? '{}') as Record<string, string>;
  assert.is(trace.getSpanContext(contextFromHeaders(headers))?.traceId, TRACE_ID);
  assert.is(stored.get(outside), null);
  await sequelize.query(`DELETE FROM ${OUTBOX_TABLE} WHERE aggregate_id IN (?, ?)`, { replacements: [inTrace, outside] });
});

it('a new trace started inside untraced work is recorded, as a root span, and the outbox stores its context', async ({ sequelize }) => {
  // The SDK's tracer provider, recording into memory, for this test only.
  const exporter = new tracing.InMemorySpanExporter();
  const provider = new tracing.BasicTracerProvider({ spanProcessors: [new tracing.SimpleSpanProcessor(exporter)] });
  trace.setGlobalTracerProvider(provider);
  const outbox = new Outbox(sequelize);
  const aggregateId = uniqueName('expired');
  try {
    await context.with(traced, () =>
      untraced(() =>
        inNewTrace('order expire', { 'funshop.order_id': aggregateId }, () =>
          sequelize.transaction((transaction) =>
            outbox.append(transaction, [{ eventType: 'test.Expired', aggregateType: 'test', aggregateId, sequence: 1, payload: Buffer.from('{}') }]),
          ),
        ),
      ),
    );
    const spans = exporter.getFinishedSpans();
    const root = spans.find((span) => span.name === 'order expire')!;
    assert.ok(root, spans.map((span) => span.name).join(', '));
    assert.is(root.parentSpanContext, undefined, 'a root: neither the surrounding trace nor the untraced sweep is its parent');
    assert.is.not(root.spanContext().traceId, TRACE_ID);
    assert.is(root.attributes['funshop.order_id'], aggregateId);
    const [row] = await sequelize.query<{ trace_context: string }>(`SELECT trace_context FROM ${OUTBOX_TABLE} WHERE aggregate_id = ?`, {
      replacements: [aggregateId],
      type: QueryTypes.SELECT,
    });
    assert.is(trace.getSpanContext(contextFromHeaders(JSON.parse(row.trace_context) as Record<string, string>))?.traceId, root.spanContext().traceId);
  } finally {
    trace.disable();
    await provider.shutdown();
    await sequelize.query(`DELETE FROM ${OUTBOX_TABLE} WHERE aggregate_id = ?`, { replacements: [aggregateId] });
  }
});

/** Starts tracing in a fresh process, then says whether grpc-js, amqplib and mysql2 came out patched. */
function patchedAfterStart(env: Record<string, string>): boolean[] {
  const script = `
    require(${JSON.stringify(require.resolve('../src/tracing/sdk'))}).startTracing('tracing-test');
    const grpc = require('@grpc/grpc-js'), mysql = require('mysql2');
    // amqplib exports no path to its channel classes: reach them by file, once the package loaded them.
    require('amqplib');
    const amqp = require(require('node:path').join(require('node:path').dirname(require.resolve('amqplib')), 'lib/channel_model.js'));
    console.log(JSON.stringify([grpc.Server.prototype.register, amqp.Channel.prototype.publish, mysql.Connection.prototype.query].map((f) => '__wrapped' in f)));
    process.exit(0);`;
  const output = execFileSync(process.execPath, ['-e', script], { env: { ...process.env, OTEL_TRACES_EXPORTER: 'console', ...env }, encoding: 'utf8' });
  return JSON.parse(output.trim().split('\n').at(-1)!) as boolean[];
}

it('tracing patches grpc-js, amqplib and mysql2 when on, and nothing at all when switched off (OTEL_SDK_DISABLED=true)', () => {
  assert.equal(patchedAfterStart({}), [true, true, true]);
  assert.equal(patchedAfterStart({ OTEL_SDK_DISABLED: 'true' }), [false, false, false]);
});

it.run();
