import { randomUUID } from 'node:crypto';
import { ExponentialBackoff, handleWhen, retry } from 'cockatiel';
import { UniqueConstraintError, type Sequelize } from 'sequelize';
import type { ConfirmChannel, ConsumeMessage } from 'amqplib';
import { inTransaction } from '../db/database';
import { scopeOf, type TransactionScope } from '../db/transaction-scope';
import { ConcurrentModification } from '../errors';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics';
import { runInContext, type RequestContext } from '../request-context';
import type { Broker } from './broker';
import { fromMessage, type EventEnvelope } from './envelope';
import { ACCEPT_PAST_HORIZON_HEADER, Inbox, PastInboxHorizon, type InboxEntry } from './inbox';
import { consumerQueues, declareConsumerQueues, type ConsumerQueues } from './topology';
import { ROOT_CONTEXT, SpanKind, activeContext, inSpan, linkTo, markFailed, type Context, type Span } from '../tracing/spans';

/**
 * Applies one event inside the consumer's database transaction, which it joins through `scope`
 * (a use case's unit of work does). Throw to have it retried.
 */
export type EventHandler = (event: EventEnvelope, scope: TransactionScope) => Promise<void>;

export interface ConsumerOptions {
  /** The consuming service (or projection): names its queues and its inbox rows. */
  consumer: string;
  handlers: Record<string, EventHandler>;
  /**
   * Event types this consumer once handled and no longer does, each with what replaced it. Their
   * binding is removed at start-up; one still queued from before is acknowledged and recorded in
   * the inbox without effect (the fact it carried reaches the consumer in its successor). Keep an
   * entry until no queue or dead-letter queue can hold such an event any more.
   */
  retired?: Record<string, string>;
  /** Unacknowledged deliveries in flight at once. */
  prefetch: number;
  /** The most deliveries applied in one transaction; keep it below the prefetch so the next batch gathers meanwhile. */
  batchSize: number;
  /** Backoff before each retry; after the last one a failing event goes to the dead-letter queue. */
  retryDelaysMs: number[];
}

export const ATTEMPTS_HEADER = 'x-attempts';
export const LAST_ERROR_HEADER = 'x-last-error';
const NEVER_ABORTED = new AbortController().signal;

/** One message as received, with what the consumer needs to apply, count and trace it. */
interface Delivery {
  channel: ConfirmChannel;
  message: ConsumeMessage;
  event: EventEnvelope | undefined;
  labels: Record<string, string>;
  context: RequestContext;
  /** The delivery's trace: the amqplib instrumentation's receive span, continuing the publisher's trace. */
  trace: Context;
  /** performance.now() when the delivery arrived. */
  receivedAt: number;
}

/**
 * Consumes a service's queue with manual acknowledgements: an event is acked only after the
 * transaction that applied it committed, and that transaction also records the event in the inbox,
 * so a redelivered event is recognised and skipped. A failing handler is retried after a delay
 * (a retry queue with a TTL, never a hot loop) and, past the limit, dead-lettered; nothing is
 * dropped.
 *
 * Deliveries are applied one batch at a time, in the order the queue delivered them, so the
 * events of one aggregate keep their order and the consumer's own transactions never deadlock
 * each other. A batch is whatever arrived while the previous one was being applied, so an idle
 * consumer applies an event at once, and a busy one shares one transaction, one inbox insert and
 * one commit among many events (group commit). If anything in a batch fails, it is rolled back and
 * its deliveries applied one by one, so only the failing event is retried.
 */
export class EventConsumer {
  readonly queues: ConsumerQueues;
  private readonly waiting: Delivery[] = [];
  private draining: Promise<void> | undefined;
  private consuming: { channel: ConfirmChannel; consumerTag: string } | undefined;
  private readonly inbox: Inbox;
  private readonly count: Record<
    'consumed' | 'redelivered' | 'duplicates' | 'retried' | 'deadLettered' | 'pastHorizon' | 'batches' | 'batchesSplit',
    (labels: Record<string, string>) => void
  >;
  private readonly handled: (labels: Record<string, string>, seconds: number) => void;

  constructor(
    private readonly sequelize: Sequelize,
    private readonly broker: Broker,
    private readonly options: ConsumerOptions,
    private readonly logger: Logger,
    metrics: Metrics,
  ) {
    this.inbox = new Inbox(sequelize, options.consumer);
    this.queues = consumerQueues(options.consumer);
    this.count = {
      consumed: metrics.counter('funshop_events_consumed_total', 'Events applied by a consumer', PER_EVENT),
      redelivered: metrics.counter('funshop_events_redelivered_total', 'Deliveries the broker flagged as redelivered', PER_EVENT),
      duplicates: metrics.counter('funshop_events_duplicate_total', 'Deliveries skipped because the inbox had already applied them', PER_EVENT),
      retried: metrics.counter('funshop_events_retried_total', 'Failed deliveries sent to a retry queue', PER_EVENT),
      deadLettered: metrics.counter('funshop_events_dead_lettered_total', 'Events moved to the dead-letter queue', PER_EVENT),
      pastHorizon: metrics.counter(
        'funshop_events_past_horizon_total',
        'Deliveries refused (dead-lettered) because they occurred before the inbox horizon',
        PER_EVENT,
      ),
      batches: metrics.counter(
        'funshop_event_batches_total',
        'Transactions a consumer applied events in (events consumed / batches = mean batch size)',
        PER_CONSUMER,
      ),
      batchesSplit: metrics.counter('funshop_event_batches_split_total', 'Batches rolled back and applied one delivery at a time', PER_CONSUMER),
    };
    this.handled = metrics.histogram(
      'funshop_event_handling_seconds',
      'Time from a delivery arriving to its event applied and committed (the wait for its batch included), by consumer and event type',
      PER_EVENT,
    );
  }

  async start(): Promise<void> {
    await this.broker.use(`consumer ${this.options.consumer}`, async (connection) => {
      const channel = await connection.createConfirmChannel();
      channel.on('error', (error: Error) => this.logger.warn({ err: error.message }, 'consumer channel error'));
      channel.on('close', () => this.broker.recycle(`consumer ${this.options.consumer} channel closed`));
      await declareConsumerQueues(channel, this.queues, Object.keys(this.options.handlers), this.options.retryDelaysMs, Object.keys(this.retired));
      await channel.prefetch(this.options.prefetch);
      const { consumerTag } = await channel.consume(this.queues.main, (message) => message && this.receive(channel, message), { noAck: false });
      this.consuming = { channel, consumerTag };
    });
  }

  /** Stops taking deliveries and lets the ones in hand finish (unacked ones return to the queue). */
  async stop(): Promise<void> {
    const consuming = this.consuming;
    this.consuming = undefined;
    await consuming?.channel.cancel(consuming.consumerTag).catch(() => undefined);
    while (this.draining) await this.draining;
  }

  private receive(channel: ConfirmChannel, message: ConsumeMessage): void {
    const event = fromMessage(message);
    const labels = { consumer: this.options.consumer, event_type: String(message.properties.type ?? 'unknown') };
    if (message.fields.redelivered) this.count.redelivered(labels);
    const context = { correlationId: event?.correlationId || randomUUID(), causationId: event?.eventId ?? '', signal: NEVER_ABORTED };
    this.waiting.push({ channel, message, event, labels, context, trace: activeContext(), receivedAt: performance.now() });
    // Started after the current turn of the event loop, so deliveries that came in one read of the
    // socket go into one batch.
    this.draining ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.drain());
  }

  private async drain(): Promise<void> {
    try {
      for (let batch = this.takeBatch(); batch.length > 0; batch = this.takeBatch()) {
        await (batch.length === 1 ? this.deliverOne(batch[0]) : this.deliverBatch(batch));
      }
    } finally {
      // In the same turn as the last look at the queue: a delivery arriving later starts a new drain.
      this.draining = undefined;
    }
  }

  private takeBatch(): Delivery[] {
    return this.waiting.splice(0, this.options.batchSize);
  }

  private async deliverBatch(batch: Delivery[]): Promise<void> {
    try {
      // The batch's transaction is a trace of its own, linked to the trace of each event in it.
      const span = {
        kind: SpanKind.CONSUMER,
        root: true,
        links: batch.flatMap((delivery) => linkTo(delivery.trace)),
        attributes: { 'messaging.consumer.group.name': this.options.consumer, 'messaging.batch.message_count': batch.length },
      };
      await inSpan(`${this.options.consumer} apply batch`, span, () => this.applyBatch(batch), ROOT_CONTEXT);
    } catch (error) {
      this.count.batchesSplit({ consumer: this.options.consumer });
      this.logger.debug({ err: (error as Error).message, deliveries: batch.length }, 'batch rolled back; applying its deliveries one by one');
      for (const delivery of batch) await this.deliverOne(delivery);
      return;
    }
    this.count.batches({ consumer: this.options.consumer });
    for (const delivery of batch) {
      this.consumed(delivery);
      try {
        delivery.channel.ack(delivery.message);
      } catch (error) {
        // The channel is gone: the broker delivers the event again, and the inbox skips it.
        this.logger.warn({ err: (error as Error).message }, 'could not ack an applied delivery; it will be redelivered');
      }
    }
  }

  /** All or nothing: every event of the batch new to the inbox and applied, or the batch rolled back. */
  private applyBatch(batch: Delivery[]): Promise<void> {
    return inTransaction(this.sequelize, undefined, async (transaction) => {
      const inserted = await this.inbox.record(batch.map(inboxEntry), transaction);
      if (inserted < batch.length) throw new Error('some of the batch was applied before');
      for (const delivery of batch) {
        const handler = this.handlerFor(delivery.event!);
        await this.handling(delivery, () => runInContext(delivery.context, () => handler(delivery.event!, scopeOf(transaction))));
      }
    });
  }

  private async deliverOne(delivery: Delivery): Promise<void> {
    const { channel, message, event, labels } = delivery;
    await runInContext(delivery.context, () =>
      this.handling(delivery, async (span) => {
        try {
          if (!event) unprocessable('not a Funshop event envelope');
          const applied = await this.applyOnce(inboxEntry(delivery), this.handlerFor(event));
          channel.ack(message);
          if (applied) {
            this.count.batches({ consumer: this.options.consumer });
            this.consumed(delivery);
          } else this.count.duplicates(labels);
        } catch (error) {
          markFailed(span, error as Error);
          await this.retryOrDeadLetter(channel, message, error as Error, labels).catch((publishError: Error) =>
            // The channel is gone; the unacked delivery comes back after reconnect.
            this.logger.warn({ err: publishError.message }, 'could not reroute a failed delivery; it will be redelivered'),
          );
        }
      }),
    );
  }

  /**
   * `work` in a span of the event's own trace (a child of its receive span): the handler, and its
   * database statements, show up in the trace of the request that caused the event.
   */
  private handling<T>(delivery: Delivery, work: (span: Span) => Promise<T>): Promise<T> {
    const eventType = delivery.labels.event_type;
    const attributes = {
      'messaging.consumer.group.name': this.options.consumer,
      'messaging.message.id': String(delivery.message.properties.messageId ?? ''),
      'funshop.event_type': eventType,
      'funshop.aggregate_id': delivery.event?.aggregateId ?? '',
    };
    return inSpan(`${this.options.consumer} handle ${eventType.slice(eventType.lastIndexOf('.') + 1)}`, { attributes }, work, delivery.trace);
  }

  private consumed(delivery: Delivery): void {
    this.count.consumed(delivery.labels);
    this.handled(delivery.labels, (performance.now() - delivery.receivedAt) / 1000);
  }

  private handlerFor(event: EventEnvelope): EventHandler {
    const handler = this.options.handlers[event.eventType];
    if (handler) return handler;
    const successor = this.retired[event.eventType];
    if (successor === undefined) unprocessable(`no handler for ${event.eventType}`);
    return () => {
      this.logger.info({ eventType: event.eventType, eventId: event.eventId, supersededBy: successor }, 'skipped a retired event type');
      return Promise.resolve();
    };
  }

  private get retired(): Record<string, string> {
    return this.options.retired ?? {};
  }

  /**
   * Runs the handler and records the event in the inbox in one transaction; false if already
   * applied. A conflict with a concurrent transaction (an API call changing the same entity, a
   * version check lost) is retried at once (conflictRetry): it will pass on a second look, and
   * the delayed retry queue would add a second or more to the event's journey.
   */
  private applyOnce(entry: InboxEntry, handler: EventHandler): Promise<boolean> {
    return conflictRetry.execute(() =>
      inTransaction(this.sequelize, undefined, async (transaction) => {
        // A concurrent delivery of the same event waits on this row's lock, then sees it as taken.
        if ((await this.inbox.record([entry], transaction)) === 0) return false;
        await handler(entry.event, scopeOf(transaction));
        return true;
      }),
    );
  }

  private async retryOrDeadLetter(channel: ConfirmChannel, message: ConsumeMessage, error: Error, labels: Record<string, string>): Promise<void> {
    const attempt = Number(message.properties.headers?.[ATTEMPTS_HEADER] ?? 0) + 1;
    const neverRetried = error instanceof Unprocessable || error instanceof PastInboxHorizon;
    const delayMs = neverRetried ? undefined : this.options.retryDelaysMs[attempt - 1];
    const headers = { ...message.properties.headers, [ATTEMPTS_HEADER]: attempt, [LAST_ERROR_HEADER]: error.message.slice(0, 500) };
    const target = delayMs === undefined ? this.queues.dead : this.queues.retry(delayMs);
    channel.sendToQueue(target, message.content, { ...message.properties, headers });
    await channel.waitForConfirms();
    channel.ack(message);
    if (delayMs === undefined) {
      this.count.deadLettered(labels);
      if (error instanceof PastInboxHorizon) this.count.pastHorizon(labels);
      this.logger.error({ err: error.message, attempt, queue: target, messageId: message.properties.messageId }, 'event dead-lettered');
    } else {
      this.count.retried(labels);
      this.logger.warn({ err: error.message, attempt, retryInMs: delayMs, messageId: message.properties.messageId }, 'event handler failed; retrying');
    }
  }
}

/** The label names of the consumers' counters. */
const PER_CONSUMER = ['consumer'];
const PER_EVENT = ['consumer', 'event_type'];

/**
 * A conflict with a concurrent transaction (a version check lost, a key taken meanwhile) is
 * retried twice after a few milliseconds of random pause: it passes on a second look.
 */
const conflictRetry = retry(
  handleWhen((error) => error instanceof ConcurrentModification || error instanceof UniqueConstraintError),
  { maxAttempts: 2, backoff: new ExponentialBackoff({ initialDelay: 5, maxDelay: 50 }) },
);

/** A delivery that can never succeed however often it is retried: it goes straight to dead letters. */
class Unprocessable extends Error {}

function unprocessable(reason: string): never {
  throw new Unprocessable(reason);
}

function inboxEntry({ event, message }: Delivery): InboxEntry {
  return {
    event: event ?? unprocessable('not a Funshop event envelope'),
    acceptPastHorizon: message.properties.headers?.[ACCEPT_PAST_HORIZON_HEADER] === true,
  };
}
