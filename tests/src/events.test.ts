import { randomUUID } from 'node:crypto';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { connect, type ConsumeMessage } from 'amqplib';
import { OrderCancelled, OrderPlaced } from '@funshop/proto/funshop/order/v1/order_events';
import { TEST, brokerUrl } from '@funshop/tools/layout';
import { ORDER_GRPC, REPO_ROOT, as, rest, run, uniqueCustomer } from './shop';

const RABBITMQ_URL = brokerUrl(TEST);
const ORDER_METRICS = `http://127.0.0.1:${TEST.services.find((s) => s.name === 'order')!.metricsPort}/metrics`;

/** A throw-away queue bound to the events exchange, as a consumer of order events would be. */
async function listen(routingKey: string) {
  const connection = await connect(RABBITMQ_URL);
  const channel = await connection.createChannel();
  const { queue } = await channel.assertQueue('', { exclusive: true });
  await channel.bindQueue(queue, 'funshop.events', routingKey);
  const received: ConsumeMessage[] = [];
  await channel.consume(queue, (message) => message && received.push(message), { noAck: true });
  return {
    async next(match: (message: ConsumeMessage) => boolean, timeoutMs = 10_000): Promise<ConsumeMessage> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = received.find(match);
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`no matching event within ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    close: () => connection.close(),
  };
}

test('an order placed over REST reaches RabbitMQ as OrderPlaced, carrying the request id Envoy returned', async () => {
  const events = await listen('funshop.order.v1.#');
  try {
    const customer = uniqueCustomer();
    const placed = await rest('POST', '/orders', { body: { items: [{ productId: 'usb-c-hub', quantity: 3 }] }, headers: as(customer) });
    assert.is(placed.status, 200);
    const orderId: string = placed.body.order.orderId;
    const requestId = placed.headers.get('x-request-id');
    const message = await events.next((m) => m.properties.headers?.['x-aggregate-id'] === orderId);

    assert.is(message.properties.type, 'funshop.order.v1.OrderPlaced');
    assert.is(message.fields.routingKey, 'funshop.order.v1.OrderPlaced');
    assert.is(message.properties.contentType, 'application/x-protobuf');
    assert.is(message.properties.deliveryMode, 2, 'persistent');
    assert.is(message.properties.correlationId, requestId, 'the correlation id is the request id of the REST call');
    assert.is(message.properties.headers?.['x-sequence'], 1);
    assert.match(String(message.properties.messageId), /^[0-9a-f-]{36}$/);
    const event = OrderPlaced.decode(message.content);
    assert.is(event.customerId, customer);
    assert.is(event.totalKrw, 3 * 45_000);

    await rest('POST', `/orders/${orderId}:cancel`, { body: { reason: 'test' }, headers: as(customer) });
    const cancelled = await events.next((m) => m.properties.type === 'funshop.order.v1.OrderCancelled' && m.properties.headers?.['x-aggregate-id'] === orderId);
    assert.is(cancelled.properties.headers?.['x-sequence'], 2);
    assert.is(OrderCancelled.decode(cancelled.content).reason, 'test');
  } finally {
    await events.close();
  }
});

test('the order service reports published events, outbox lag and broker health', async () => {
  const customer = uniqueCustomer();
  await rest('POST', '/orders', { body: { items: [{ productId: 'desk-lamp', quantity: 1 }] }, headers: as(customer) });
  let text = '';
  for (let tries = 0; tries < 50; tries++) {
    text = await (await fetch(ORDER_METRICS)).text();
    // The two gauges are read one after the other: wait for a reading where both show it drained.
    if (/funshop_outbox_unsent 0\b/.test(text) && /funshop_outbox_lag_seconds 0\b/.test(text)) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.match(text, /funshop_events_published_total\{event_type="funshop\.order\.v1\.OrderPlaced"\} [1-9]/);
  assert.match(text, /funshop_outbox_unsent 0\b/);
  assert.match(text, /funshop_outbox_lag_seconds 0\b/);
  assert.match(text, /^funshop_outbox_relay_batch_events_count [1-9]/m);
  const health = await run('grpcurl', ['-plaintext', '-d', '{"service":"funshop.dependency.rabbitmq"}', ORDER_GRPC, 'grpc.health.v1.Health/Check']);
  assert.is(JSON.parse(health.stdout).status, 'SERVING');
});

test('npm run dlq lists, inspects and replays a consumer’s dead letters', async () => {
  const consumer = `e2e-dlq-${randomUUID().slice(0, 8)}`;
  const connection = await connect(RABBITMQ_URL);
  const channel = await connection.createConfirmChannel();
  try {
    await channel.assertQueue(`${consumer}.events`, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
    await channel.assertQueue(`${consumer}.events.dead`, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
    const payload = Buffer.from(OrderCancelled.encode({ orderId: 'o-1', customerId: 'c-1', paymentId: '', reason: 'dead on arrival' }).finish());
    channel.sendToQueue(`${consumer}.events.dead`, payload, {
      messageId: 'dead-1',
      type: 'funshop.order.v1.OrderCancelled',
      headers: { 'x-attempts': 4, 'x-last-error': 'boom', 'x-aggregate-id': 'o-1', 'x-sequence': 2, 'x-occurred-at': new Date().toISOString() },
    });
    await channel.waitForConfirms();

    const list = await run('node', ['tools/dist/dead-letters.js', 'list', consumer], REPO_ROOT, { RABBITMQ_URL });
    assert.match(list.stdout, /dead-1 {2}funshop\.order\.v1\.OrderCancelled {2}attempts=4 {2}boom/);
    const inspect = await run('node', ['tools/dist/dead-letters.js', 'inspect', consumer, 'dead-1'], REPO_ROOT, { RABBITMQ_URL });
    assert.is(JSON.parse(inspect.stdout).payload.reason, 'dead on arrival');
    const replay = await run('node', ['tools/dist/dead-letters.js', 'replay', consumer], REPO_ROOT, { RABBITMQ_URL });
    assert.match(replay.stdout, /replayed 1: dead-1/);
    assert.is((await channel.checkQueue(`${consumer}.events.dead`)).messageCount, 0);
    const back = await channel.get(`${consumer}.events`, { noAck: true });
    assert.ok(back, 'the replayed message is on the main queue');
    assert.is(back && back.properties.headers?.['x-attempts'], 0);
  } finally {
    await channel.deleteQueue(`${consumer}.events`);
    await channel.deleteQueue(`${consumer}.events.dead`);
    await connection.close();
  }
});

test.run();
