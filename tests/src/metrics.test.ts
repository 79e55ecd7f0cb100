import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { TEST } from '@funshop/tools/layout';
import { as, eventually, rest, uniqueCustomer } from './shop';

// The services' /metrics after real calls: latency histograms of the gRPC calls they serve and
// make and of the events they apply, beside Node's process and event-loop metrics.

const metricsOf = (service: string) => `http://127.0.0.1:${TEST.services.find((s) => s.name === service)!.metricsPort}/metrics`;
const scrape = async (service: string) => (await fetch(metricsOf(service))).text();

/** The value of one sample, 0 when it is not there yet. */
function sample(text: string, name: string, labels: Record<string, string>): number {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${name}{`) && wanted.every((label) => candidate.includes(label)));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}

const GET_PRODUCT = '/funshop.order.v1.CatalogService/GetProduct';

test('a latency histogram of every call the order service serves, by method and status', async () => {
  const before = await scrape('order');
  const ok = sample(before, 'funshop_grpc_server_handling_seconds_count', { method: GET_PRODUCT, code: 'OK' });
  const missing = sample(before, 'funshop_grpc_server_handling_seconds_count', { method: GET_PRODUCT, code: 'NOT_FOUND' });
  for (let i = 0; i < 5; i++) assert.is((await rest('GET', '/products/keyboard-mech')).status, 200);
  assert.is((await rest('GET', '/products/no-such-thing')).status, 404);

  const after = await scrape('order');
  assert.is(sample(after, 'funshop_grpc_server_handling_seconds_count', { method: GET_PRODUCT, code: 'OK' }), ok + 5);
  assert.is(sample(after, 'funshop_grpc_server_handling_seconds_count', { method: GET_PRODUCT, code: 'NOT_FOUND' }), missing + 1);
  // Cumulative buckets: every call is within 10 s, and the count agrees with the +Inf bucket.
  const labels = { method: GET_PRODUCT, code: 'OK' };
  assert.is(sample(after, 'funshop_grpc_server_handling_seconds_bucket', { ...labels, le: '10' }), ok + 5);
  assert.is(sample(after, 'funshop_grpc_server_handling_seconds_bucket', { ...labels, le: '+Inf' }), ok + 5);
  assert.ok(sample(after, 'funshop_grpc_server_handling_seconds_sum', labels) > 0);
  assert.match(after, /^process_cpu_seconds_total \d/m);
  assert.match(after, /^nodejs_eventloop_lag_seconds \d/m);
});

test('only the services that publish events run an outbox relay: order and payment, not the cart or the my page', async () => {
  const relays = await Promise.all(['order', 'payment', 'cart', 'customer'].map(async (service) => /^funshop_outbox_unsent \d/m.test(await scrape(service))));
  assert.equal(relays, [true, true, false, false]);
});

test('a purchase fills the histograms of the payment call the order service makes and of the events the cart applies', async () => {
  const customer = uniqueCustomer();
  const authorize = { method: '/funshop.payment.v1.PaymentService/AuthorizePayment', code: 'OK' };
  const applied = { consumer: 'cart', event_type: 'funshop.order.v1.OrderPaid' };
  const [orderBefore, cartBefore] = [await scrape('order'), await scrape('cart')];
  const placed = await rest('POST', '/orders', { body: { items: [{ productId: 'desk-lamp', quantity: 1 }] }, headers: as(customer) });
  assert.is(placed.status, 200, placed.text);
  const card = { number: '4242 4242 4242 4242', expiryMonth: 12, expiryYear: 2099, cvc: '123', holderName: 'Kim Funshop' };
  const paid = await rest('POST', `/orders/${placed.body.order.orderId}:pay`, { body: { card }, headers: as(customer) });
  assert.is(paid.status, 200, paid.text);

  const orderAfter = await scrape('order');
  assert.is(
    sample(orderAfter, 'funshop_grpc_client_handling_seconds_count', authorize),
    sample(orderBefore, 'funshop_grpc_client_handling_seconds_count', authorize) + 1,
  );
  await eventually(
    'the cart to apply OrderPaid',
    async () => sample(await scrape('cart'), 'funshop_event_handling_seconds_count', applied),
    (count) => count === sample(cartBefore, 'funshop_event_handling_seconds_count', applied) + 1,
  );
});

test.run();
