import pino, { type Logger } from 'pino';
import { currentContext } from './request-context';

export type { Logger };

/**
 * Structured JSON logs on stdout, one object a line. Every line written while a request is being
 * handled carries its correlation id, without anyone passing it along by hand.
 */
export function createLogger(service: string, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    mixin() {
      const context = currentContext();
      return context ? { correlationId: context.correlationId } : {};
    },
  });
}
