import type { ConsumeMessage, Options } from 'amqplib';

export const PROTOBUF_CONTENT_TYPE = 'application/x-protobuf';

/**
 * An integration event as it travels: the protobuf payload plus what a consumer needs to apply it
 * once and in order (event id, aggregate, per-aggregate sequence) and to trace it (correlation
 * and causation ids). On the wire the envelope is AMQP properties and headers around the bytes.
 */
export interface EventEnvelope {
  eventId: string;
  /** The protobuf message's full name, e.g. funshop.order.v1.OrderPlaced; also the routing key. */
  eventType: string;
  aggregateType: string;
  aggregateId: string;
  /** Position of this event in its aggregate's history, from 1. */
  sequence: number;
  occurredAt: Date;
  correlationId: string;
  causationId: string;
  contentType: string;
  payload: Buffer;
}

export const ENVELOPE_HEADERS = {
  aggregateType: 'x-aggregate-type',
  aggregateId: 'x-aggregate-id',
  sequence: 'x-sequence',
  causationId: 'x-causation-id',
  occurredAt: 'x-occurred-at',
} as const;

export function toPublishOptions(event: EventEnvelope, extraHeaders: Record<string, unknown> = {}): Options.Publish {
  return {
    persistent: true,
    messageId: event.eventId,
    type: event.eventType,
    contentType: event.contentType,
    correlationId: event.correlationId,
    timestamp: Math.floor(event.occurredAt.getTime() / 1000),
    headers: {
      [ENVELOPE_HEADERS.aggregateType]: event.aggregateType,
      [ENVELOPE_HEADERS.aggregateId]: event.aggregateId,
      [ENVELOPE_HEADERS.sequence]: event.sequence,
      [ENVELOPE_HEADERS.causationId]: event.causationId,
      [ENVELOPE_HEADERS.occurredAt]: event.occurredAt.toISOString(),
      ...extraHeaders,
    },
  };
}

/** Reads an envelope back from a delivery; undefined when the message is not one of ours. */
export function fromMessage(message: Pick<ConsumeMessage, 'properties' | 'content'>): EventEnvelope | undefined {
  const { properties, content } = message;
  const headers = properties.headers ?? {};
  const sequence = Number(headers[ENVELOPE_HEADERS.sequence]);
  const occurredAt = new Date(String(headers[ENVELOPE_HEADERS.occurredAt]));
  if (
    !properties.messageId ||
    !properties.type ||
    !headers[ENVELOPE_HEADERS.aggregateId] ||
    !Number.isInteger(sequence) ||
    Number.isNaN(occurredAt.getTime())
  ) {
    return undefined;
  }
  return {
    eventId: String(properties.messageId),
    eventType: String(properties.type),
    aggregateType: String(headers[ENVELOPE_HEADERS.aggregateType] ?? ''),
    aggregateId: String(headers[ENVELOPE_HEADERS.aggregateId]),
    sequence,
    occurredAt,
    correlationId: String(properties.correlationId ?? ''),
    causationId: String(headers[ENVELOPE_HEADERS.causationId] ?? ''),
    contentType: String(properties.contentType ?? PROTOBUF_CONTENT_TYPE),
    payload: content,
  };
}
