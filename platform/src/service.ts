import { ConfigError } from './config';
import { createLogger, type Logger } from './logger';
import { stopTracing } from './tracing/sdk';

/** Something to release on shutdown, in the order given (e.g. stop the server, then close the pool). */
export type Closer = () => Promise<void>;

/**
 * The process lifecycle every service shares: start, then on SIGTERM or SIGINT close everything in
 * order and exit. A configuration error is printed plainly and exits with code 2 before anything
 * starts; any other start-up failure is logged and exits with code 1.
 */
export function runService(name: string, start: (logger: Logger) => Promise<Closer[]>): void {
  const logger = createLogger(name);
  let closers: Closer[] = [];
  let shuttingDown = false;

  const shutdown = async (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    logger.info({ signal }, 'shutting down');
    for (const close of closers) {
      try {
        await close();
      } catch (error) {
        logger.error({ err: error }, 'error while shutting down');
      }
    }
    await stopTracing().catch((error: Error) => logger.warn({ err: error.message }, 'could not send the last spans'));
    logger.info('stopped');
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));

  start(logger).then(
    (started) => {
      closers = started;
    },
    (error: unknown) => {
      if (error instanceof ConfigError) {
        process.stderr.write(`${name}: ${error.message}\n`);
        process.exit(2);
      }
      logger.fatal({ err: error }, 'failed to start');
      process.exit(1);
    },
  );
}
