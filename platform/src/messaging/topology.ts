import type { Channel } from 'amqplib';

/** Every integration event goes to this durable topic exchange, routed by its event type. */
export const EVENTS_EXCHANGE = 'funshop.events';
/** Events no queue is bound for land here instead of vanishing (the exchange's alternate exchange). */
export const UNROUTED_EXCHANGE = 'funshop.events.unrouted';
export const UNROUTED_QUEUE = 'funshop.events.unrouted';

export interface ConsumerQueues {
  main: string;
  dead: string;
  retry(delayMs: number): string;
}

/** The queues of one consuming service: `<service>.events`, its retry tiers and its dead letters. */
export function consumerQueues(consumer: string): ConsumerQueues {
  const main = `${consumer}.events`;
  return { main, dead: `${main}.dead`, retry: (delayMs) => `${main}.retry.${delayMs}ms` };
}

/** The exchanges every service shares. Declaring is idempotent, so every service does it at start-up. */
export async function declareExchanges(channel: Channel): Promise<void> {
  await channel.assertExchange(UNROUTED_EXCHANGE, 'fanout', { durable: true });
  await channel.assertQueue(UNROUTED_QUEUE, { durable: true, arguments: { 'x-queue-type': 'quorum', 'x-message-ttl': 7 * 24 * 3600_000 } });
  await channel.bindQueue(UNROUTED_QUEUE, UNROUTED_EXCHANGE, '');
  await channel.assertExchange(EVENTS_EXCHANGE, 'topic', { durable: true, arguments: { 'alternate-exchange': UNROUTED_EXCHANGE } });
}

/**
 * A consumer's durable quorum queue bound to the event types it handles (and no longer to those
 * it retired), one retry queue per backoff tier (a message waits out the tier's TTL there, then
 * dead-letters back to the main queue), and a dead-letter queue for what exhausted its retries.
 */
export async function declareConsumerQueues(
  channel: Channel,
  queues: ConsumerQueues,
  eventTypes: readonly string[],
  retryDelaysMs: readonly number[],
  retiredEventTypes: readonly string[] = [],
): Promise<void> {
  await declareExchanges(channel);
  await channel.assertQueue(queues.main, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
  for (const eventType of eventTypes) await channel.bindQueue(queues.main, EVENTS_EXCHANGE, eventType);
  // Unbinding a binding that does not exist is not an error, so this is idempotent too.
  for (const eventType of retiredEventTypes) await channel.unbindQueue(queues.main, EVENTS_EXCHANGE, eventType);
  for (const delayMs of retryDelaysMs) {
    await channel.assertQueue(queues.retry(delayMs), {
      durable: true,
      arguments: { 'x-message-ttl': delayMs, 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': queues.main },
    });
  }
  await channel.assertQueue(queues.dead, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
}
