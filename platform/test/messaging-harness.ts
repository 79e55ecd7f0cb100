import { randomUUID } from 'node:crypto';
import { execFile } from 'node:child_process';
import { connect } from 'amqplib';
import { QueryTypes, type Sequelize } from 'sequelize';
import { ConcurrentModification } from '../src/errors';
import { connectDatabase } from '../src/db/database';
import { migrate } from '../src/db/migrations';
import { joinedTransaction } from '../src/db/transaction-scope';
import { createLogger } from '../src/logger';
import { Broker } from '../src/messaging/broker';
import { EventConsumer, type EventHandler } from '../src/messaging/consumer';
import { Outbox, messagingMigrations } from '../src/messaging/outbox';
import { OutboxRelay, type RelayOptions } from '../src/messaging/outbox-relay';
import { Metrics } from '../src/metrics';
import { runInContext } from '../src/request-context';

export const RABBITMQ_URL = process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
export const logger = createLogger('messaging-test', process.env.TEST_LOG_LEVEL ?? 'silent');

/** A database with the outbox, the inbox and a ledger the test consumer writes to. */
export async function openMessagingDatabase(): Promise<Sequelize> {
  const url = new URL(process.env.MESSAGING_TEST_DATABASE_URL ?? 'mysql://funshop:funshop@127.0.0.1:3306/funshop_test_messaging');
  const sequelize = await connectDatabase({ url, poolMax: 30, connectTimeoutMs: 10_000 }, logger);
  await migrate(sequelize, messagingMigrations, logger);
  await sequelize.query(`CREATE TABLE IF NOT EXISTS test_ledger (
    consumer VARCHAR(100) NOT NULL, aggregate_id VARCHAR(64) NOT NULL, applied INT NOT NULL, total INT NOT NULL,
    last_sequence INT NOT NULL, out_of_order INT NOT NULL, PRIMARY KEY (consumer, aggregate_id))`);
  return sequelize;
}

/** Writes events through the outbox, each in its own committed transaction. */
export async function writeEvents(
  sequelize: Sequelize,
  outbox: Outbox,
  eventType: string,
  events: { aggregateId: string; sequence: number; value: number }[],
): Promise<void> {
  for (const event of events) {
    await sequelize.transaction((transaction) =>
      outbox.append(transaction, [
        {
          eventType,
          aggregateType: 'test',
          aggregateId: event.aggregateId,
          sequence: event.sequence,
          payload: Buffer.from(JSON.stringify({ value: event.value })),
        },
      ]),
    );
  }
}

/** A handler whose effect shows duplicates (total would grow twice) and disorder (sequence gaps). */
export function ledgerHandler(consumer: string, sequelize: Sequelize, poisoned: (value: number) => boolean = () => false, conflictFirst = false): EventHandler {
  const seen = new Set<string>();
  return async (event, scope) => {
    const transaction = joinedTransaction(scope);
    const { value } = JSON.parse(event.payload.toString()) as { value: number };
    if (poisoned(value)) throw new Error(`cannot apply value ${value}`);
    // As if a concurrent delivery had changed the same entity first: the first try of each event loses.
    if (conflictFirst && !seen.has(event.eventId)) {
      seen.add(event.eventId);
      throw new ConcurrentModification(`${event.aggregateId} was changed concurrently`);
    }
    await sequelize.query(
      `INSERT INTO test_ledger (consumer, aggregate_id, applied, total, last_sequence, out_of_order) VALUES (?, ?, 1, ?, ?, 0)
       ON DUPLICATE KEY UPDATE applied = applied + 1, total = total + VALUES(total),
         out_of_order = out_of_order + IF(VALUES(last_sequence) <= last_sequence, 1, 0), last_sequence = VALUES(last_sequence)`,
      { replacements: [consumer, event.aggregateId, value, event.sequence], transaction },
    );
  };
}

export interface LedgerRow {
  aggregate_id: string;
  applied: number;
  total: number;
  last_sequence: number;
  out_of_order: number;
}

export function ledger(sequelize: Sequelize, consumer: string): Promise<LedgerRow[]> {
  return sequelize.query<LedgerRow>('SELECT * FROM test_ledger WHERE consumer = ? ORDER BY aggregate_id', {
    replacements: [consumer],
    type: QueryTypes.SELECT,
  });
}

/** Whether every outbox row of this event type is marked sent (the broker confirmed it). */
export async function allMarkedSent(sequelize: Sequelize, eventType: string): Promise<boolean> {
  const [{ unsent }] = await sequelize.query<{ unsent: number }>('SELECT COUNT(*) AS unsent FROM outbox_events WHERE event_type = ? AND sent_at IS NULL', {
    replacements: [eventType],
    type: QueryTypes.SELECT,
  });
  return Number(unsent) === 0;
}

export async function waitFor(what: string, condition: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A publisher side (outbox + relay on its own connection) and a consumer side, as two services would have. */
export async function startPipeline(
  sequelize: Sequelize,
  options: {
    consumer: string;
    eventType: string;
    relay?: Partial<RelayOptions>;
    retryDelaysMs?: number[];
    poisoned?: (value: number) => boolean;
    conflictFirst?: boolean;
  },
) {
  const metrics = new Metrics();
  const publisherBroker = new Broker(RABBITMQ_URL, logger, { initialMs: 100, maxMs: 1_000 });
  const consumerBroker = new Broker(RABBITMQ_URL, logger, { initialMs: 100, maxMs: 1_000 });
  const relay = new OutboxRelay(sequelize, publisherBroker, { batchSize: 50, pollIntervalMs: 200, retentionMs: 3_600_000, ...options.relay }, logger, metrics);
  const outbox = new Outbox(sequelize, () => relay.wake());
  const consumer = new EventConsumer(
    sequelize,
    consumerBroker,
    {
      consumer: options.consumer,
      handlers: { [options.eventType]: ledgerHandler(options.consumer, sequelize, options.poisoned, options.conflictFirst) },
      prefetch: 20,
      batchSize: 10,
      retryDelaysMs: options.retryDelaysMs ?? [50, 100],
    },
    logger,
    metrics,
  );
  await Promise.all([publisherBroker.start(), consumerBroker.start()]);
  await consumer.start();
  await relay.start();
  return {
    metrics,
    relay,
    outbox,
    consumer,
    publisherBroker,
    async stop() {
      await Promise.all([relay.stop(), consumer.stop()]);
      await Promise.all([publisherBroker.close(), consumerBroker.close()]);
      await deleteQueues(options.consumer);
    },
  };
}

/**
 * Lets `events` queue up while the pipeline's consumer is away, then starts a fresh consumer on
 * the same queue with `handler`: it finds them all waiting, as after a deploy or a slow spell.
 * Each event is written under its own correlation id, `corr-<value>`.
 */
export async function consumeAfterBacklog(
  sequelize: Sequelize,
  pipeline: Awaited<ReturnType<typeof startPipeline>>,
  options: { consumer: string; eventType: string; handler: EventHandler; batchSize: number; beforeConsuming?: () => Promise<void> },
  events: { aggregateId: string; sequence: number; value: number }[],
) {
  await pipeline.consumer.stop();
  for (const event of events) {
    const context = { correlationId: `corr-${event.value}`, causationId: 'test', signal: new AbortController().signal };
    await runInContext(context, () => writeEvents(sequelize, pipeline.outbox, options.eventType, [event]));
  }
  await waitFor('the relay to publish the backlog', () => allMarkedSent(sequelize, options.eventType));
  await options.beforeConsuming?.();
  const broker = new Broker(RABBITMQ_URL, logger, { initialMs: 100, maxMs: 1_000 });
  const consumer = new EventConsumer(
    sequelize,
    broker,
    {
      consumer: options.consumer,
      handlers: { [options.eventType]: options.handler },
      prefetch: 2 * options.batchSize,
      batchSize: options.batchSize,
      retryDelaysMs: [50, 100],
    },
    logger,
    pipeline.metrics,
  );
  await broker.start();
  await consumer.start();
  return {
    async stop() {
      await consumer.stop();
      await broker.close();
    },
  };
}

export async function deleteQueues(consumer: string): Promise<void> {
  const connection = await connect(RABBITMQ_URL);
  const channel = await connection.createChannel();
  for (const queue of [`${consumer}.events`, `${consumer}.events.dead`, `${consumer}.events.retry.50ms`, `${consumer}.events.retry.100ms`]) {
    await channel.deleteQueue(queue);
  }
  await connection.close();
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

export function rabbitmqctl(...args: string[]): Promise<void> {
  return new Promise((resolve, reject) =>
    execFile('rabbitmqctl', args, { timeout: 60_000 }, (error, _stdout, stderr) => (error ? reject(new Error(stderr || error.message)) : resolve())),
  );
}
