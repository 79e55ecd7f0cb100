import { getBooleanFromEnv } from '@opentelemetry/core';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { AmqplibInstrumentation } from '@opentelemetry/instrumentation-amqplib';
import { GrpcInstrumentation } from '@opentelemetry/instrumentation-grpc';
import { MySQL2Instrumentation } from '@opentelemetry/instrumentation-mysql2';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';

let sdk: NodeSDK | undefined;

/**
 * Starts OpenTelemetry tracing for a service process. A service's `tracing.ts` calls it, and its
 * main imports that file first: the instrumentations patch @grpc/grpc-js, amqplib, mysql2 and pg
 * as they are loaded, so they must be in place before anything requires those.
 *
 * Configured the standard way, by the `OTEL_*` environment variables: `OTEL_EXPORTER_OTLP_ENDPOINT`
 * (default http://localhost:4318, OTLP over HTTP), `OTEL_TRACES_SAMPLER` and `_ARG` (default
 * parentbased_always_on: a request Envoy sampled is traced all the way, one it did not is not),
 * `OTEL_SERVICE_NAME` (default: the service's name), and `OTEL_SDK_DISABLED=true` to switch
 * tracing off: nothing is patched then, and the tracing API is a no-op.
 *
 * The SDK exports traces only. Metrics stay on prom-client (metrics.ts) and logs on stdout
 * (logger.ts, with the trace and span ids in every line).
 */
export function startTracing(service: string): void {
  // An instrumentation patches its library as soon as it is constructed, whether the SDK starts
  // or not: switched off means not made at all.
  if (sdk || getBooleanFromEnv('OTEL_SDK_DISABLED')) return;
  sdk = new NodeSDK({
    serviceName: process.env.OTEL_SERVICE_NAME ? undefined : service,
    instrumentations: [
      // Envoy's health checks and the services' own Watch streams would be a trace every second.
      new GrpcInstrumentation({ ignoreGrpcMethods: ['Check', 'Watch'] }),
      new AmqplibInstrumentation(),
      new MySQL2Instrumentation(),
      // pg names a span after a prepared statement's name, which for ours (db/statements.ts) is a
      // hash; name it after the statement's verb, as the mysql2 instrumentation does.
      new PgInstrumentation({ requestHook: (span, { query }) => span.updateName(`pg ${statementVerb(query.text)}`) }),
    ],
    metricReaders: [],
    logRecordProcessors: [],
  });
  sdk.start();
}

function statementVerb(sql: string): string {
  return sql.trimStart().split(/\s/, 1)[0].replace(/;$/, '').toUpperCase();
}

/** Sends the spans still buffered and stops the exporter (the last step of a shutdown). */
export async function stopTracing(): Promise<void> {
  await sdk?.shutdown();
  sdk = undefined;
}
