import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { as, eventually, rest, uniqueCustomer } from './shop';

const cartOf = async (customer: string) => (await rest('GET', `/carts/${customer}`, { headers: as(customer) })).body.cart;
const statusesIn = (cart: { items: { orderId: string; status: string }[] }, orderId: string) =>
  cart.items.filter((item) => item.orderId === orderId).map((item) => item.status);

test('an order placed over REST waits in the cart; paying it completes it', async () => {
  const customer = uniqueCustomer();
  const placed = await rest('POST', '/orders', { body: { items: [{ productId: 'webcam-fhd', quantity: 2 }] }, headers: as(customer) });
  const orderId: string = placed.body.order.orderId;
  const cart = await eventually(
    'the order in the cart',
    () => cartOf(customer),
    (c) => statusesIn(c, orderId).length > 0,
  );
  assert.equal(statusesIn(cart, orderId), ['CART_ITEM_STATUS_AWAITING_PAYMENT']);
  assert.is(cart.awaitingPaymentKrw, String(2 * 59_000));
  const [item] = cart.items;
  assert.equal([item.productId, item.productName, item.quantity, item.unitPriceKrw], ['webcam-fhd', 'Full HD webcam', 2, '59000']);

  const card = { number: '4242 4242 4242 4242', expiryMonth: 12, expiryYear: 2099, cvc: '123', holderName: 'Kim Funshop' };
  const paid = await rest('POST', `/orders/${orderId}:pay`, { body: { card }, headers: as(customer) });
  assert.is(paid.status, 200, paid.text);
  const completed = await eventually(
    'the cart to complete',
    () => cartOf(customer),
    (c) => statusesIn(c, orderId)[0] === 'CART_ITEM_STATUS_ORDER_COMPLETED',
  );
  assert.is(completed.awaitingPaymentKrw, '0');
});

test('a cancelled order cancels its cart items and is listed at /carts/{customerId}/cancellations', async () => {
  const customer = uniqueCustomer();
  const placed = await rest('POST', '/orders', { body: { items: [{ productId: 'laptop-stand', quantity: 1 }] }, headers: as(customer) });
  const orderId: string = placed.body.order.orderId;
  await eventually(
    'the order in the cart',
    () => cartOf(customer),
    (c) => statusesIn(c, orderId).length > 0,
  );
  await rest('POST', `/orders/${orderId}:cancel`, { body: { reason: 'found it cheaper' }, headers: as(customer) });
  await eventually(
    'the cart items to be cancelled',
    () => cartOf(customer),
    (c) => statusesIn(c, orderId)[0] === 'CART_ITEM_STATUS_CANCELLED',
  );
  const cancellations = await rest('GET', `/carts/${customer}/cancellations`, { headers: as(customer) });
  assert.is(cancellations.status, 200);
  const [record] = cancellations.body.cancellations;
  assert.is(record.orderId, orderId);
  assert.is(record.reason, 'found it cheaper');
  assert.is(record.items[0].productId, 'laptop-stand');
  assert.is(cancellations.body.nextPageToken, '');
});

test('a cart is its customer’s only: another customer gets 404, nobody gets 401', async () => {
  const customer = uniqueCustomer();
  assert.is((await rest('GET', `/carts/${customer}`, { headers: as(customer) })).status, 200);
  const other = await rest('GET', `/carts/${customer}`, { headers: as(uniqueCustomer()) });
  assert.is(other.status, 404);
  assert.is(other.body.code, 5);
  assert.is((await rest('GET', `/carts/${customer}/cancellations`, { headers: as(uniqueCustomer()) })).status, 404);
  assert.is((await rest('GET', `/carts/${customer}`)).status, 401);
});

test.run();
