import { connect, type ConfirmChannel, type GetMessage } from 'amqplib';
import { ATTEMPTS_HEADER, LAST_ERROR_HEADER } from './consumer';
import { ACCEPT_PAST_HORIZON_HEADER } from './inbox';
import { consumerQueues } from './topology';

export interface DeadLetter {
  messageId: string;
  eventType: string;
  attempts: number;
  lastError: string;
  correlationId: string;
  headers: Record<string, unknown>;
  payloadBase64: string;
}

/**
 * Reads every message of a consumer's dead-letter queue without removing any (they are fetched
 * unacknowledged and returned when the channel closes).
 */
export async function listDeadLetters(url: string, consumer: string): Promise<DeadLetter[]> {
  return withDeadLetters(url, consumer, async (messages) => messages.map(describe));
}

/**
 * Moves dead letters back onto the consumer's main queue with their retry count reset, all of them
 * or the one with `messageId`. Each is published (confirmed) before it is removed from the
 * dead-letter queue, so a crash duplicates at worst, and the inbox absorbs duplicates.
 *
 * `acceptPastHorizon` marks them to be applied even if they occurred before the inbox horizon:
 * only for an event an operator checked was never applied (the inbox can no longer tell).
 */
export async function replayDeadLetters(url: string, consumer: string, messageId?: string, options: { acceptPastHorizon?: boolean } = {}): Promise<string[]> {
  const queues = consumerQueues(consumer);
  return withDeadLetters(url, consumer, async (messages, channel) => {
    const chosen = messages.filter((m) => messageId === undefined || m.properties.messageId === messageId);
    for (const message of chosen) {
      const headers: Record<string, unknown> = { ...message.properties.headers, [ATTEMPTS_HEADER]: 0, 'x-replayed-at': new Date().toISOString() };
      if (options.acceptPastHorizon) headers[ACCEPT_PAST_HORIZON_HEADER] = true;
      channel.sendToQueue(queues.main, message.content, { ...message.properties, headers });
    }
    await channel.waitForConfirms();
    for (const message of chosen) channel.ack(message);
    return chosen.map((m) => String(m.properties.messageId));
  });
}

async function withDeadLetters<T>(url: string, consumer: string, work: (messages: GetMessage[], channel: ConfirmChannel) => Promise<T>): Promise<T> {
  const dead = consumerQueues(consumer).dead;
  const connection = await connect(url);
  // Errors arrive as rejected calls below; unhandled 'error' events would crash the process.
  connection.on('error', () => undefined);
  try {
    const channel = await connection.createConfirmChannel();
    channel.on('error', () => undefined);
    await channel.checkQueue(dead).catch(() => {
      throw new Error(`there is no queue ${dead}: has a "${consumer}" consumer ever started?`);
    });
    const messages: GetMessage[] = [];
    for (let message = await channel.get(dead); message; message = await channel.get(dead)) messages.push(message);
    const result = await work(messages, channel);
    // Close the channel before the connection: the broker settles the acks before close-ok,
    // whereas a connection closed right after an ack can requeue the message on a quorum queue.
    await channel.close();
    return result;
  } finally {
    await connection.close();
  }
}

function describe(message: GetMessage): DeadLetter {
  const headers = message.properties.headers ?? {};
  return {
    messageId: String(message.properties.messageId),
    eventType: String(message.properties.type),
    attempts: Number(headers[ATTEMPTS_HEADER] ?? 0),
    lastError: String(headers[LAST_ERROR_HEADER] ?? ''),
    correlationId: String(message.properties.correlationId ?? ''),
    headers,
    payloadBase64: message.content.toString('base64'),
  };
}
