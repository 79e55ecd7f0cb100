import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { as, rest, uniqueCustomer } from './shop';

const lamp = { productId: 'desk-lamp', quantity: 2 };

async function stockOf(productId: string): Promise<number> {
  return (await rest('GET', `/products/${productId}`)).body.product.stock;
}

async function placeOrder(customer: string, items: unknown[] = [lamp], headers: Record<string, string> = {}) {
  return rest('POST', '/orders', { body: { items }, headers: { ...as(customer), ...headers } });
}

test('POST /orders places an order: total computed by the server, stock reserved', async () => {
  const customer = uniqueCustomer();
  const before = await stockOf('desk-lamp');
  const response = await placeOrder(customer, [lamp, { productId: 'usb-c-hub', quantity: 1 }]);
  assert.is(response.status, 200);
  const order = response.body.order;
  assert.match(order.orderId, /^[0-9a-f-]{36}$/);
  assert.is(order.customerId, customer);
  assert.is(order.status, 'ORDER_STATUS_PENDING_PAYMENT');
  assert.is(order.totalKrw, String(2 * 32_000 + 45_000));
  assert.equal(order.lines[0], { productId: 'desk-lamp', productName: 'LED desk lamp', unitPriceKrw: '32000', quantity: 2, lineTotalKrw: '64000' });
  assert.is(order.version, '1');
  assert.ok(Date.parse(order.expireTime) > Date.parse(order.createTime));
  assert.is(await stockOf('desk-lamp'), before - 2);
});

test('a client cannot set the total or the customer: they are not request fields, and the server decides them', async () => {
  // Envoy's transcoder drops JSON fields the request message does not define (it has no strict
  // mode, envoyproxy/envoy#46623), so these arrive as nothing at all.
  const customer = uniqueCustomer();
  const body = { items: [lamp], totalKrw: '1', customerId: 'someone-else', status: 'ORDER_STATUS_PAID' };
  const response = await rest('POST', '/orders', { body, headers: as(customer) });
  assert.is(response.status, 200);
  assert.is(response.body.order.totalKrw, '64000');
  assert.is(response.body.order.customerId, customer);
  assert.is(response.body.order.status, 'ORDER_STATUS_PENDING_PAYMENT');
});

test('the JSON body accepts proto field names as well as lowerCamelCase', async () => {
  const response = await rest('POST', '/orders', { body: '{"items":[{"product_id":"desk-lamp","quantity":1}]}', headers: as(uniqueCustomer()) });
  assert.is(response.status, 200);
  assert.is(response.body.order.lines[0].productId, 'desk-lamp');
});

test('GET /orders/{id} reads the order; another customer gets 404, no customer gets 401', async () => {
  const customer = uniqueCustomer();
  const { orderId } = (await placeOrder(customer)).body.order;
  const mine = await rest('GET', `/orders/${orderId}`, { headers: as(customer) });
  assert.is(mine.status, 200);
  assert.is(mine.body.order.orderId, orderId);
  const theirs = await rest('GET', `/orders/${orderId}`, { headers: as(uniqueCustomer()) });
  assert.is(theirs.status, 404);
  assert.is(theirs.body.message, `order ${orderId} not found`);
  const anonymous = await rest('GET', `/orders/${orderId}`);
  assert.is(anonymous.status, 401);
  assert.is(anonymous.body.code, 16);
  const malformed = await rest('GET', '/orders/not-a-uuid', { headers: as(customer) });
  assert.is(malformed.status, 400);
  const unknown = await rest('GET', '/orders/00000000-0000-4000-8000-000000000000', { headers: as(customer) });
  assert.is(unknown.status, 404);
});

test('GET /orders lists only the caller’s orders, newest first, with pagination', async () => {
  const customer = uniqueCustomer();
  const placed: string[] = [];
  for (let i = 0; i < 3; i++) placed.push((await placeOrder(customer)).body.order.orderId);
  await placeOrder(uniqueCustomer());
  const page1 = await rest('GET', '/orders?pageSize=2', { headers: as(customer) });
  assert.is(page1.status, 200);
  assert.equal(
    page1.body.orders.map((o: { orderId: string }) => o.orderId),
    [placed[2], placed[1]],
  );
  const page2 = await rest('GET', `/orders?pageSize=2&pageToken=${page1.body.nextPageToken}`, { headers: as(customer) });
  assert.equal(
    page2.body.orders.map((o: { orderId: string }) => o.orderId),
    [placed[0]],
  );
  assert.is(page2.body.nextPageToken, '');
});

test('POST /orders/{id}:cancel cancels and restores stock; cancelling again is 409 Conflict', async () => {
  const customer = uniqueCustomer();
  const before = await stockOf('desk-lamp');
  const { orderId } = (await placeOrder(customer)).body.order;
  assert.is(await stockOf('desk-lamp'), before - 2);
  const cancelled = await rest('POST', `/orders/${orderId}:cancel`, { body: { reason: 'changed my mind' }, headers: as(customer) });
  assert.is(cancelled.status, 200);
  assert.is(cancelled.body.order.status, 'ORDER_STATUS_CANCELLED');
  assert.is(cancelled.body.order.cancelReason, 'changed my mind');
  assert.is(cancelled.body.order.version, '2');
  assert.is(await stockOf('desk-lamp'), before);
  const again = await rest('POST', `/orders/${orderId}:cancel`, { body: {}, headers: as(customer) });
  assert.is(again.status, 409);
  assert.is(again.body.code, 9);
  assert.match(again.body.message, /is cancelled; it cannot become cancelled/);
  assert.is(await stockOf('desk-lamp'), before, 'stock restored once only');
  const someoneElse = await rest('POST', `/orders/${orderId}:cancel`, { body: {}, headers: as(uniqueCustomer()) });
  assert.is(someoneElse.status, 404);
});

test('bad input is 400 with field violations and loses nothing', async () => {
  const customer = uniqueCustomer();
  const before = await stockOf('desk-lamp');
  const cases: [unknown, RegExp][] = [
    [{ items: [] }, /items: an order needs at least one item/],
    [{ items: [{ productId: 'desk-lamp', quantity: -1 }] }, /items\[0\]\.quantity: must be 1\.\.99, got -1/],
    [{ items: [{ productId: 'desk-lamp', quantity: 100 }] }, /items\[0\]\.quantity: must be 1\.\.99, got 100/],
    [{ items: [{ productId: 'desk-lamp' }] }, /items\[0\]\.quantity: must be 1\.\.99, got 0/],
    [{ items: [{ productId: 'no-such-product', quantity: 1 }] }, /unknown product "no-such-product"/],
    [{ items: [{ quantity: 1 }] }, /items\[0\]\.product_id: is required/],
  ];
  for (const [body, message] of cases) {
    const response = await rest('POST', '/orders', { body, headers: as(customer) });
    assert.is(response.status, 400, JSON.stringify(body));
    assert.is(response.body.code, 3);
    assert.match(response.body.message, message);
    const badRequest = response.body.details.find((d: { '@type': string }) => d['@type'] === 'type.googleapis.com/google.rpc.BadRequest');
    assert.ok(badRequest?.fieldViolations?.length >= 1, 'field violations are in the details');
  }
  assert.is(await stockOf('desk-lamp'), before);
  assert.is((await rest('GET', '/orders', { headers: as(customer) })).body.orders.length, 0);
});

test('malformed or out-of-range JSON is refused by the gateway as 400 JSON', async () => {
  const customer = uniqueCustomer();
  const bodies = [
    '{"items":[{"productId":"desk-lamp","quantity":1}',
    '{"items":[{"productId":"desk-lamp","quantity":1e20}]}',
    '{"items":[{"productId":"desk-lamp","quantity":"many"}]}',
    '{"items":"desk-lamp"}',
    'not json',
  ];
  for (const body of bodies) {
    const response = await rest('POST', '/orders', { body, headers: as(customer) });
    assert.is(response.status, 400, body);
    assert.is(response.body.code, 3, body);
    assert.type(response.body.message, 'string');
  }
});

test('too little stock is 409 and reserves nothing', async () => {
  const before = await stockOf('monitor-27');
  assert.ok(before < 99, 'the test needs a product with less than 99 in stock');
  const response = await placeOrder(uniqueCustomer(), [
    { productId: 'desk-lamp', quantity: 1 },
    { productId: 'monitor-27', quantity: 99 },
  ]);
  assert.is(response.status, 409);
  assert.match(response.body.message, /not enough stock of "monitor-27"/);
  assert.is(await stockOf('monitor-27'), before);
});

test('an idempotency-key makes POST /orders safe to retry', async () => {
  const customer = uniqueCustomer();
  const key = `retry-${Date.now()}`;
  const before = await stockOf('desk-lamp');
  const first = await placeOrder(customer, [lamp], { 'idempotency-key': key });
  const retried = await placeOrder(customer, [lamp], { 'idempotency-key': key });
  assert.is(first.status, 200);
  assert.is(retried.status, 200);
  assert.is(retried.body.order.orderId, first.body.order.orderId);
  assert.is(await stockOf('desk-lamp'), before - 2);
  const misused = await placeOrder(customer, [{ productId: 'desk-lamp', quantity: 1 }], { 'idempotency-key': key });
  assert.is(misused.status, 400);
});

test('the correlation id: Envoy returns x-request-id, and the service’s error carries the same id', async () => {
  const response = await rest('GET', '/orders/00000000-0000-4000-8000-000000000000', { headers: as(uniqueCustomer()) });
  const requestId = response.headers.get('x-request-id');
  assert.ok(requestId);
  const info = response.body.details.find((d: { '@type': string }) => d['@type'] === 'type.googleapis.com/google.rpc.RequestInfo');
  assert.is(info.requestId, requestId);
});

test.run();
