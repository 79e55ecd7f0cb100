import { integer, integerList, string } from '../config';

/** The messaging settings every service reads. */
export function messagingSettings(prefix: string, defaultMetricsPort: number) {
  return {
    rabbitmqUrl: string('RABBITMQ_URL', 'amqp://guest:guest@127.0.0.1:5672'),
    outboxBatchSize: integer('OUTBOX_BATCH_SIZE', 200, { min: 1, max: 5_000 }),
    // Under load the relay waits this long after a busy pass, so one claim, one confirm and one
    // update carry many events instead of one each; an idle relay publishes at once.
    outboxLingerMs: integer('OUTBOX_LINGER_MS', 5, { min: 0, max: 1_000 }),
    outboxPollIntervalMs: integer('OUTBOX_POLL_INTERVAL_MS', 500, { min: 10, max: 60_000 }),
    outboxRetentionHours: integer('OUTBOX_RETENTION_HOURS', 72, { min: 0, max: 24 * 90 }),
    // How long a consumer's inbox remembers an event after it occurred; an older delivery is
    // dead-lettered, never guessed at. At least the outbox retention (checked at start: anything an
    // operator can still re-publish from an outbox is then recognised as a duplicate).
    inboxRetentionHours: integer('INBOX_RETENTION_HOURS', 24 * 7, { min: 1, max: 24 * 365 }),
    // How often retention jobs run (inbox pruning, and a service's own, such as expired idempotency keys).
    retentionSweepMs: integer('RETENTION_SWEEP_MS', 60_000, { min: 1_000, max: 3_600_000 }),
    consumerPrefetch: integer('CONSUMER_PREFETCH', 32, { min: 1, max: 10_000 }),
    // At most this many deliveries share a transaction; below the prefetch, so the next batch
    // gathers while one is applied.
    consumerBatchSize: integer('CONSUMER_BATCH_SIZE', 16, { min: 1, max: 1_000 }),
    consumerRetryDelaysMs: integerList('CONSUMER_RETRY_DELAYS_MS', [1_000, 5_000, 30_000], { min: 1, max: 3_600_000 }),
    metricsHost: string(`${prefix}_METRICS_HOST`, '127.0.0.1'),
    metricsPort: integer(`${prefix}_METRICS_PORT`, defaultMetricsPort, { min: 0, max: 65535 }),
  };
}
