import pino, { type DestinationStream, type Logger } from 'pino';
import { currentContext } from './request-context';
import { traceIds } from './tracing/spans';

export type { Logger };

/**
 * Structured JSON logs on stdout, one object a line. Every line written while a request or an event
 * is being handled carries its correlation id and, when it is traced, the trace and span ids (the
 * same ids the trace UI shows), without anyone passing them along by hand.
 */
export function createLogger(service: string, level = process.env.LOG_LEVEL ?? 'info', destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      mixin() {
        const context = currentContext();
        return context ? { correlationId: context.correlationId, ...traceIds() } : traceIds();
      },
    },
    destination,
  );
}
