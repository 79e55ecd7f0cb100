import { randomUUID } from 'node:crypto';
import { UniqueConstraintError, type Sequelize, type Transaction } from 'sequelize';
import type { ConfirmChannel, ConsumeMessage } from 'amqplib';
import { inTransaction } from '../db/database';
import { Statements } from '../db/statements';
import { ConcurrentModification } from '../errors';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics';
import { runInContext } from '../request-context';
import type { Broker } from './broker';
import { ENVELOPE_HEADERS, fromMessage, type EventEnvelope } from './envelope';
import { INBOX_TABLE } from './outbox';
import { consumerQueues, declareConsumerQueues, type ConsumerQueues } from './topology';

/** Applies one event inside the consumer's database transaction. Throw to have it retried. */
export type EventHandler = (event: EventEnvelope, transaction: Transaction) => Promise<void>;

export interface ConsumerOptions {
  /** The consuming service (or projection): names its queues and its inbox rows. */
  consumer: string;
  handlers: Record<string, EventHandler>;
  /** Unacknowledged deliveries in flight at once. */
  prefetch: number;
  /** Backoff before each retry; after the last one a failing event goes to the dead-letter queue. */
  retryDelaysMs: number[];
}

export const ATTEMPTS_HEADER = 'x-attempts';
export const LAST_ERROR_HEADER = 'x-last-error';
const NEVER_ABORTED = new AbortController().signal;

/**
 * Consumes a service's queue with manual acknowledgements: an event is acked only after the
 * handler's transaction committed, and that transaction also records the event in the inbox,
 * so a redelivered event is recognised and skipped. A failing handler is retried after a delay
 * (a retry queue with a TTL, never a hot loop) and, past the limit, dead-lettered; nothing is
 * dropped.
 */
export class EventConsumer {
  readonly queues: ConsumerQueues;
  private readonly inFlight = new Map<string, Promise<void>>();
  private consuming: { channel: ConfirmChannel; consumerTag: string } | undefined;
  private readonly statements: Statements;
  private readonly count: Record<'consumed' | 'redelivered' | 'duplicates' | 'retried' | 'deadLettered', (labels: Record<string, string>) => void>;

  constructor(
    private readonly sequelize: Sequelize,
    private readonly broker: Broker,
    private readonly options: ConsumerOptions,
    private readonly logger: Logger,
    metrics: Metrics,
  ) {
    this.statements = new Statements(sequelize);
    this.queues = consumerQueues(options.consumer);
    this.count = {
      consumed: metrics.counter('funshop_events_consumed_total', 'Events applied by a consumer'),
      redelivered: metrics.counter('funshop_events_redelivered_total', 'Deliveries the broker flagged as redelivered'),
      duplicates: metrics.counter('funshop_events_duplicate_total', 'Deliveries skipped because the inbox had already applied them'),
      retried: metrics.counter('funshop_events_retried_total', 'Failed deliveries sent to a retry queue'),
      deadLettered: metrics.counter('funshop_events_dead_lettered_total', 'Events moved to the dead-letter queue'),
    };
  }

  async start(): Promise<void> {
    await this.broker.use(`consumer ${this.options.consumer}`, async (connection) => {
      const channel = await connection.createConfirmChannel();
      channel.on('error', (error: Error) => this.logger.warn({ err: error.message }, 'consumer channel error'));
      channel.on('close', () => this.broker.recycle(`consumer ${this.options.consumer} channel closed`));
      await declareConsumerQueues(channel, this.queues, Object.keys(this.options.handlers), this.options.retryDelaysMs);
      await channel.prefetch(this.options.prefetch);
      const { consumerTag } = await channel.consume(this.queues.main, (message) => message && this.inAggregateOrder(channel, message), {
        noAck: false,
      });
      this.consuming = { channel, consumerTag };
    });
  }

  /** Stops taking deliveries and lets the ones in hand finish (unacked ones return to the queue). */
  async stop(): Promise<void> {
    const consuming = this.consuming;
    this.consuming = undefined;
    await consuming?.channel.cancel(consuming.consumerTag).catch(() => undefined);
    await Promise.all(this.inFlight.values());
  }

  /**
   * Deliveries of different aggregates are handled concurrently (up to the prefetch), those of
   * one aggregate one after another, in the order the queue delivered them.
   */
  private inAggregateOrder(channel: ConfirmChannel, message: ConsumeMessage): void {
    const key = String(message.properties.headers?.[ENVELOPE_HEADERS.aggregateId] ?? message.properties.messageId);
    const handled = (this.inFlight.get(key) ?? Promise.resolve()).then(() => this.deliver(channel, message));
    this.inFlight.set(key, handled);
    void handled.then(() => this.inFlight.get(key) === handled && this.inFlight.delete(key));
  }

  private async deliver(channel: ConfirmChannel, message: ConsumeMessage): Promise<void> {
    const event = fromMessage(message);
    const labels = { consumer: this.options.consumer, event_type: String(message.properties.type ?? 'unknown') };
    if (message.fields.redelivered) this.count.redelivered(labels);
    const context = { correlationId: event?.correlationId || randomUUID(), causationId: event?.eventId ?? '', signal: NEVER_ABORTED };
    await runInContext(context, async () => {
      try {
        if (!event) throw new Unprocessable('not a Funshop event envelope');
        const handler = this.options.handlers[event.eventType];
        if (!handler) throw new Unprocessable(`no handler for ${event.eventType}`);
        const applied = await this.applyOnce(event, handler);
        channel.ack(message);
        this.count[applied ? 'consumed' : 'duplicates'](labels);
      } catch (error) {
        await this.retryOrDeadLetter(channel, message, error as Error, labels).catch((publishError: Error) =>
          // The channel is gone; the unacked delivery comes back after reconnect.
          this.logger.warn({ err: publishError.message }, 'could not reroute a failed delivery; it will be redelivered'),
        );
      }
    });
  }

  /**
   * Runs the handler and records the event in the inbox in one transaction; false if already
   * applied. A conflict with a concurrent delivery (two first events of one entity both inserting
   * it, a version check lost) is retried at once, a few times: it will pass on a second look, and
   * the delayed retry queue would add a second or more to the event's journey.
   */
  private async applyOnce(event: EventEnvelope, handler: EventHandler): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.applyInTransaction(event, handler);
      } catch (error) {
        if (attempt >= CONFLICT_ATTEMPTS || !isConflict(error)) throw error;
        await new Promise((resolve) => setTimeout(resolve, attempt * (2 + Math.random() * 10)));
      }
    }
  }

  private applyInTransaction(event: EventEnvelope, handler: EventHandler): Promise<boolean> {
    const ignoreDuplicate = this.sequelize.getDialect() === 'postgres' ? 'ON CONFLICT (consumer, event_id) DO NOTHING' : 'ON DUPLICATE KEY UPDATE event_id = event_id';
    return inTransaction(this.sequelize, undefined, async (transaction) => {
      // A concurrent delivery of the same event waits on this row's lock, then sees it as taken.
      const inserted = await this.statements.execute(
        `INSERT INTO ${INBOX_TABLE} (consumer, event_id, event_type, aggregate_id, sequence, processed_at)
         VALUES (?, ?, ?, ?, ?, ?) ${ignoreDuplicate}`,
        [this.options.consumer, event.eventId, event.eventType, event.aggregateId, event.sequence, new Date()],
        transaction,
      );
      if (inserted === 0) return false;
      await handler(event, transaction);
      return true;
    });
  }

  private async retryOrDeadLetter(channel: ConfirmChannel, message: ConsumeMessage, error: Error, labels: Record<string, string>): Promise<void> {
    const attempt = Number(message.properties.headers?.[ATTEMPTS_HEADER] ?? 0) + 1;
    const delayMs = error instanceof Unprocessable ? undefined : this.options.retryDelaysMs[attempt - 1];
    const headers = { ...message.properties.headers, [ATTEMPTS_HEADER]: attempt, [LAST_ERROR_HEADER]: error.message.slice(0, 500) };
    const target = delayMs === undefined ? this.queues.dead : this.queues.retry(delayMs);
    channel.sendToQueue(target, message.content, { ...message.properties, headers });
    await channel.waitForConfirms();
    channel.ack(message);
    if (delayMs === undefined) {
      this.count.deadLettered(labels);
      this.logger.error({ err: error.message, attempt, queue: target, messageId: message.properties.messageId }, 'event dead-lettered');
    } else {
      this.count.retried(labels);
      this.logger.warn({ err: error.message, attempt, retryInMs: delayMs, messageId: message.properties.messageId }, 'event handler failed; retrying');
    }
  }
}

const CONFLICT_ATTEMPTS = 3;

function isConflict(error: unknown): boolean {
  return error instanceof ConcurrentModification || error instanceof UniqueConstraintError;
}

/** A delivery that can never succeed however often it is retried: it goes straight to dead letters. */
class Unprocessable extends Error {}
