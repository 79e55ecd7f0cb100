import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Metadata, credentials, status } from '@grpc/grpc-js';
import { CatalogServiceClient } from '@funshop/proto/funshop/order/v1/catalog';
import { ORDER_GRPC, as, rest, uniqueCustomer, type RestResponse } from './shop';

const LONG_ID = 'x'.repeat(65);
const HUGE = 'p'.repeat(20_000);

/** 400 with a short message, naming the field in the BadRequest details, and no echo of the input. */
function assertRefused(response: RestResponse, field: string, input: string): void {
  assert.is(response.status, 400, response.text.slice(0, 300));
  assert.is(response.body.code, 3);
  assert.ok(response.body.message.length < 200, `a short message: ${response.body.message.slice(0, 300)}`);
  assert.not.ok(response.text.includes(input.slice(0, 40)), 'the input is not echoed');
  const violations = response.body.details.find((d: { '@type': string }) => d['@type'].endsWith('BadRequest')).fieldViolations;
  assert.equal(
    violations.map((v: { field: string }) => v.field),
    [field],
  );
}

test('a 20,000-character product id is a 400 naming the field, not a reset stream', async () => {
  const response = await rest('POST', '/orders', { body: { items: [{ productId: HUGE, quantity: 1 }] }, headers: as(uniqueCustomer()) });
  assertRefused(response, 'items[0].product_id', HUGE);
});

test('every identifier, text and token of a request is bounded before any lookup', async () => {
  const customer = uniqueCustomer();
  const headers = as(customer);
  const placed = await rest('POST', '/orders', { body: { items: [{ productId: 'desk-lamp', quantity: 1 }] }, headers });
  const orderId: string = placed.body.order.orderId;
  const card = { number: '4242424242424242', expiryMonth: 12, expiryYear: 2099, cvc: '123' };
  const cases: [string, string, Promise<RestResponse>][] = [
    ['product_id', LONG_ID, rest('GET', `/products/${LONG_ID}`)],
    ['product_id', 'desk lamp', rest('GET', '/products/desk%20lamp')],
    ['order_id', LONG_ID, rest('GET', `/orders/${LONG_ID}`, { headers })],
    ['reason', 'r'.repeat(201), rest('POST', `/orders/${orderId}:cancel`, { body: { reason: 'r'.repeat(201) }, headers })],
    ['reason', 'line\u0007bell', rest('POST', `/orders/${orderId}:cancel`, { body: { reason: 'line\u0007bell' }, headers })],
    ['card.holder_name', 'h'.repeat(101), rest('POST', `/orders/${orderId}:pay`, { body: { card: { ...card, holderName: 'h'.repeat(101) } }, headers })],
    ['card.number', '4242-4242', rest('POST', `/orders/${orderId}:pay`, { body: { card: { ...card, number: '4242-4242' } }, headers })],
    ['page_token', '!'.repeat(30), rest('GET', `/orders?pageToken=${'!'.repeat(30)}`, { headers })],
    ['page_token', 'A'.repeat(513), rest('GET', `/products?pageToken=${'A'.repeat(513)}`)],
    ['payment_id', LONG_ID, rest('GET', `/paymentLists/${LONG_ID}`, { headers })],
    ['customer_id', 'a.b', rest('GET', '/carts/a.b', { headers })],
    ['order_id', LONG_ID, rest('GET', `/mypages/${customer}/orders/${LONG_ID}`, { headers })],
  ];
  for (const [field, input, response] of cases) assertRefused(await response, field, input);
  // Nothing above reached a use case: the order is still awaiting payment, uncancelled.
  assert.is((await rest('GET', `/orders/${orderId}`, { headers })).body.order.status, 'ORDER_STATUS_PENDING_PAYMENT');
});

test('native gRPC callers get the same INVALID_ARGUMENT, with a short grpc-message', async () => {
  const client = new CatalogServiceClient(ORDER_GRPC, credentials.createInsecure());
  try {
    const error = await new Promise<{ code: number; details: string }>((resolve) =>
      client.getProduct({ productId: HUGE }, new Metadata(), (failure) => resolve(failure as unknown as { code: number; details: string })),
    );
    assert.is(error.code, status.INVALID_ARGUMENT);
    assert.ok(error.details.length < 200, error.details.slice(0, 300));
    assert.not.ok(error.details.includes(HUGE.slice(0, 40)));
  } finally {
    client.close();
  }
});

test.run();
