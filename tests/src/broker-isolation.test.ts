import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { connect, type Channel, type ChannelModel, type ConsumeMessage } from 'amqplib';
import { EVENTS_EXCHANGE, UNROUTED_EXCHANGE, UNROUTED_QUEUE, consumerQueues, declareExchanges } from '@funshop/platform/messaging/topology';
import { TEST, brokerUrl } from '@funshop/tools/layout';
import { as, eventually, rest, run, uniqueCustomer } from './shop';

/**
 * Where a shop's services go when nothing gives them a broker of their own: the platform's default
 * RABBITMQ_URL, the virtual host every shop shared before each got its own.
 */
const DEFAULT_BROKER_URL = 'amqp://guest:guest@127.0.0.1:5672';
/** The queues the test shop's services consume (`<service>.events`). */
const CONSUMERS = ['cart', 'payment', 'customer'];
const CARD = { number: '4242424242424242', expiryMonth: 12, expiryYear: 2099, cvc: '123' };

/**
 * Another shop on the same broker: the exchanges a shop declares, and consumers on the same queue
 * names bound to every event. It never acks, so whatever it is handed goes back to its queue when
 * it stops; it only records it. It removes what it created and leaves what was there before.
 */
async function neighbourShop(url: string) {
  const connection = await connect(url);
  const created = {
    exchanges: await missing(connection, [EVENTS_EXCHANGE, UNROUTED_EXCHANGE], (channel, name) => channel.checkExchange(name)),
    queues: await missing(connection, [UNROUTED_QUEUE, ...CONSUMERS.map((c) => consumerQueues(c).main)], (channel, name) => channel.checkQueue(name)),
  };
  const channel = await connection.createChannel();
  await declareExchanges(channel);
  const received: ConsumeMessage[] = [];
  for (const consumer of CONSUMERS) {
    const queue = consumerQueues(consumer).main;
    await channel.assertQueue(queue, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
    await channel.bindQueue(queue, EVENTS_EXCHANGE, '#');
    await channel.consume(queue, (message) => message && received.push(message), { noAck: false });
  }
  return {
    /** Deliveries of the given orders' events that reached this shop instead of the test shop. */
    receivedFor: (orderIds: string[]) => received.filter((message) => orderIds.some((id) => message.content.includes(id))).map((m) => m.properties.type),
    async stop() {
      for (const consumer of CONSUMERS) await channel.unbindQueue(consumerQueues(consumer).main, EVENTS_EXCHANGE, '#');
      for (const queue of created.queues) await channel.deleteQueue(queue);
      for (const exchange of created.exchanges) await channel.deleteExchange(exchange);
      await connection.close();
    },
  };
}

/** Which of these names the broker does not have yet (a failed check closes its channel, so each gets its own). */
async function missing(connection: ChannelModel, names: string[], check: (channel: Channel, name: string) => Promise<unknown>): Promise<string[]> {
  const absent: string[] = [];
  for (const name of names) {
    const probe = await connection.createChannel();
    probe.on('error', () => undefined);
    await check(probe, name).then(
      () => probe.close(),
      () => absent.push(name),
    );
  }
  return absent;
}

const myPageOrder = async (customer: string, orderId: string) =>
  (await rest('GET', `/mypages/${customer}/orders/${orderId}`, { headers: as(customer) })).body?.order;

async function placePayCancel(customer: string): Promise<string> {
  const placed = await rest('POST', '/orders', { body: { items: [{ productId: 'webcam-fhd', quantity: 1 }] }, headers: as(customer) });
  assert.is(placed.status, 200, placed.text);
  const orderId: string = placed.body.order.orderId;
  assert.is((await rest('POST', `/orders/${orderId}:pay`, { body: { card: CARD }, headers: as(customer) })).status, 200);
  assert.is((await rest('POST', `/orders/${orderId}:cancel`, { body: { reason: 'isolation check' }, headers: as(customer) })).status, 200);
  return orderId;
}

test('a shop on the same broker consuming the same queue names takes none of the test shop’s events', async () => {
  const neighbour = await neighbourShop(DEFAULT_BROKER_URL);
  try {
    // Three purchases, each cancelled: a dozen deliveries across the cart, payment and my page
    // consumers, so a neighbour that competed for them would get some (about half).
    const customers = [uniqueCustomer(), uniqueCustomer(), uniqueCustomer()];
    const orderIds = await Promise.all(customers.map(placePayCancel));
    for (const [n, orderId] of orderIds.entries()) {
      await eventually(
        'the cart, the refund and the my page to see every event',
        () => myPageOrder(customers[n], orderId),
        (o) => o?.orderStatus === 'ORDER_STATUS_CANCELLED' && o.paymentStatus === 'PAYMENT_STATUS_CANCELLED' && o.cartStatus === 'CART_ITEM_STATUS_CANCELLED',
      ).catch((error: Error) => {
        throw new Error(`${error.message}\nthe neighbour shop was handed: ${neighbour.receivedFor(orderIds).join(', ') || 'nothing'}`);
      });
    }
    assert.equal(neighbour.receivedFor(orderIds), [], 'the neighbour shop was handed the test shop’s events');
  } finally {
    await neighbour.stop();
  }
});

test('the test shop’s consumers are in its own virtual host, under its own account', async () => {
  const vhost = new URL(brokerUrl(TEST)).pathname.slice(1);
  const listed = await run('rabbitmqctl', ['-q', 'list_consumers', '-p', vhost, 'queue_name']);
  assert.is(listed.code, 0, listed.stderr);
  for (const consumer of CONSUMERS)
    assert.ok(listed.stdout.split('\n').includes(consumerQueues(consumer).main), `${consumer} consumes in ${vhost}: ${listed.stdout}`);
  const otherShopsAccount = new URL(brokerUrl({ name: 'development' }));
  otherShopsAccount.pathname = `/${vhost}`;
  const refused = await connect(otherShopsAccount.toString()).then(
    (connection) => connection.close().then(() => false),
    () => true,
  );
  assert.ok(refused, 'another shop’s account cannot open the test shop’s virtual host');
});

test.run();
