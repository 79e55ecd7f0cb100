import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { as, eventually, rest, uniqueCustomer } from './shop';

const GOOD_CARD = { number: '4242 4242 4242 4242', expiryMonth: 12, expiryYear: 2099, cvc: '123', holderName: 'Kim Funshop' };
const INSUFFICIENT_FUNDS = { ...GOOD_CARD, number: '4000000000009995' };

async function placeOrder(customer: string, productId = 'headset-anc', quantity = 1): Promise<string> {
  const placed = await rest('POST', '/orders', { body: { items: [{ productId, quantity }] }, headers: as(customer) });
  assert.is(placed.status, 200, placed.text);
  return placed.body.order.orderId;
}

const pay = (customer: string, orderId: string, card: unknown = GOOD_CARD) => rest('POST', `/orders/${orderId}:pay`, { body: { card }, headers: as(customer) });
const stockOf = async (productId: string) => (await rest('GET', `/products/${productId}`)).body.product.stock as number;
const cartStatus = async (customer: string, orderId: string) =>
  (await rest('GET', `/carts/${customer}`, { headers: as(customer) })).body.cart.items.find((i: { orderId: string }) => i.orderId === orderId)?.status;

test('place → pay: the order is paid, the payment approved and listed, the cart order-completed', async () => {
  const customer = uniqueCustomer();
  const orderId = await placeOrder(customer);
  const paid = await pay(customer, orderId);
  assert.is(paid.status, 200, paid.text);
  assert.is(paid.body.order.status, 'ORDER_STATUS_PAID');
  assert.is(paid.body.payment.status, 'PAYMENT_STATUS_APPROVED');
  assert.is(paid.body.payment.cardLast4, '4242');
  assert.is(paid.body.payment.amountKrw, '219000');
  const paymentId = paid.body.payment.paymentId;
  assert.is(paid.body.order.paymentId, paymentId);

  const listed = await rest('GET', '/paymentLists', { headers: as(customer) });
  assert.equal(
    listed.body.payments.map((p: { paymentId: string }) => p.paymentId),
    [paymentId],
  );
  assert.not.match(listed.text, /4242424242424242/);
  assert.is((await rest('GET', `/paymentLists/${paymentId}`, { headers: as(customer) })).body.payment.status, 'PAYMENT_STATUS_APPROVED');
  assert.is((await rest('GET', `/paymentLists/${paymentId}`, { headers: as(uniqueCustomer()) })).status, 404);
  await eventually(
    'the cart to complete',
    () => cartStatus(customer, orderId),
    (s) => s === 'CART_ITEM_STATUS_ORDER_COMPLETED',
  );
});

test('a declined card: 409 with the reason, the order still awaits payment, another card then pays it', async () => {
  const customer = uniqueCustomer();
  const orderId = await placeOrder(customer);
  const declined = await pay(customer, orderId, INSUFFICIENT_FUNDS);
  assert.is(declined.status, 409);
  assert.is(declined.body.code, 9);
  assert.is(declined.body.message, 'payment declined: insufficient funds');
  const order = (await rest('GET', `/orders/${orderId}`, { headers: as(customer) })).body.order;
  assert.is(order.status, 'ORDER_STATUS_PENDING_PAYMENT');
  assert.is(order.paymentDeclineReason, 'insufficient funds');
  const paid = await pay(customer, orderId);
  assert.is(paid.body.order.status, 'ORDER_STATUS_PAID');
  assert.is(paid.body.order.paymentDeclineReason, '');
});

test('a malformed card is 400 with field violations, and charges nothing', async () => {
  const customer = uniqueCustomer();
  const orderId = await placeOrder(customer);
  const response = await pay(customer, orderId, { ...GOOD_CARD, number: '4242424242424241', cvc: '1' });
  assert.is(response.status, 400);
  const violations = response.body.details.find((d: { '@type': string }) => d['@type'].endsWith('BadRequest')).fieldViolations;
  assert.equal(
    violations.map((v: { field: string }) => v.field),
    ['card.number', 'card.cvc'],
  );
  assert.is((await rest('GET', '/paymentLists', { headers: as(customer) })).body.payments.length, 0);
});

test('pay twice: the second is 409 and nothing is charged twice', async () => {
  const customer = uniqueCustomer();
  const orderId = await placeOrder(customer);
  assert.is((await pay(customer, orderId)).status, 200);
  const again = await pay(customer, orderId);
  assert.is(again.status, 409);
  assert.match(again.body.message, /is paid; it cannot become paid/);
  assert.is((await rest('GET', '/paymentLists', { headers: as(customer) })).body.payments.length, 1);
});

test('cancel after payment: stock back, payment refunded, cart cancelled (the saga compensates)', async () => {
  const customer = uniqueCustomer();
  const before = await stockOf('headset-anc');
  const orderId = await placeOrder(customer, 'headset-anc', 2);
  const paymentId = (await pay(customer, orderId)).body.payment.paymentId;
  const cancelled = await rest('POST', `/orders/${orderId}:cancel`, { body: { reason: 'changed my mind' }, headers: as(customer) });
  assert.is(cancelled.body.order.status, 'ORDER_STATUS_CANCELLED');
  assert.is(await stockOf('headset-anc'), before);
  await eventually(
    'the payment to be refunded',
    async () => (await rest('GET', `/paymentLists/${paymentId}`, { headers: as(customer) })).body.payment.status,
    (s) => s === 'PAYMENT_STATUS_CANCELLED',
  );
  await eventually(
    'the cart to be cancelled',
    () => cartStatus(customer, orderId),
    (s) => s === 'CART_ITEM_STATUS_CANCELLED',
  );
  const again = await rest('POST', `/orders/${orderId}:cancel`, { body: {}, headers: as(customer) });
  assert.is(again.status, 409);
});

test('pay after cancel is 409 and charges nothing', async () => {
  const customer = uniqueCustomer();
  const orderId = await placeOrder(customer);
  await rest('POST', `/orders/${orderId}:cancel`, { body: {}, headers: as(customer) });
  const response = await pay(customer, orderId);
  assert.is(response.status, 409);
  assert.match(response.body.message, /is cancelled; it cannot become paid/);
  assert.is((await rest('GET', '/paymentLists', { headers: as(customer) })).body.payments.length, 0);
});

test.run();
