import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { as, eventually, rest, uniqueCustomer } from './shop';

const CARD = { number: '4242424242424242', expiryMonth: 12, expiryYear: 2099, cvc: '123' };

const myPageOrder = async (customer: string, orderId: string) =>
  (await rest('GET', `/mypages/${customer}/orders/${orderId}`, { headers: as(customer) })).body?.order;

test('the seven functional requirements, as a customer sees them on the my page', async () => {
  const customer = uniqueCustomer();
  // 1. choose products and order them (7. product information can be viewed)
  const product = (await rest('GET', '/products/monitor-27')).body.product;
  assert.is(product.name, '27-inch monitor');
  const placed = await rest('POST', '/orders', { body: { items: [{ productId: 'monitor-27', quantity: 1 }] }, headers: as(customer) });
  const orderId: string = placed.body.order.orderId;
  // 2. the ordered products wait in the cart for payment
  let view = await eventually(
    'the order on the my page, awaiting payment in the cart',
    () => myPageOrder(customer, orderId),
    (o) => o?.cartStatus === 'CART_ITEM_STATUS_AWAITING_PAYMENT',
  );
  assert.is(view.orderStatus, 'ORDER_STATUS_PENDING_PAYMENT');
  assert.is(view.totalKrw, '329000');
  assert.is(view.items[0].productName, '27-inch monitor');
  assert.is(view.correlationId, placed.headers.get('x-request-id'), 'the my page knows which request placed the order');
  // 3. the customer pays; 4. approved → the cart's items are order-completed
  assert.is((await rest('POST', `/orders/${orderId}:pay`, { body: { card: CARD }, headers: as(customer) })).status, 200);
  view = await eventually(
    'paid and completed',
    () => myPageOrder(customer, orderId),
    (o) => o.cartStatus === 'CART_ITEM_STATUS_ORDER_COMPLETED' && o.orderStatus === 'ORDER_STATUS_PAID',
  );
  assert.is(view.paymentStatus, 'PAYMENT_STATUS_APPROVED');
  // 5. the customer cancels; 6. the payment is cancelled (refunded)
  assert.is((await rest('POST', `/orders/${orderId}:cancel`, { body: { reason: 'no space on the desk' }, headers: as(customer) })).status, 200);
  await eventually(
    'cancelled and refunded',
    () => myPageOrder(customer, orderId),
    (o) => o.orderStatus === 'ORDER_STATUS_CANCELLED' && o.paymentStatus === 'PAYMENT_STATUS_CANCELLED' && o.cartStatus === 'CART_ITEM_STATUS_CANCELLED',
  );
  // 7. order and cart state can be viewed: the my page lists it
  const page = await rest('GET', `/mypages/${customer}`, { headers: as(customer) });
  assert.equal(
    page.body.myPage.orders.map((o: { orderId: string }) => o.orderId),
    [orderId],
  );
  assert.is((await rest('GET', `/mypages/${customer}`, { headers: as(uniqueCustomer()) })).status, 404);
});

test('after a burst of mixed operations the my page agrees with the order service about every order', async () => {
  const customer = uniqueCustomer();
  const orderIds: string[] = [];
  await Promise.all(
    Array.from({ length: 12 }, async (_, i) => {
      const placed = await rest('POST', '/orders', { body: { items: [{ productId: 'mouse-wireless', quantity: 1 + (i % 3) }] }, headers: as(customer) });
      const orderId: string = placed.body.order.orderId;
      orderIds.push(orderId);
      if (i % 3 !== 0)
        await rest('POST', `/orders/${orderId}:pay`, { body: { card: i % 4 === 1 ? { ...CARD, number: '4000000000000002' } : CARD }, headers: as(customer) });
      if (i % 2 === 0) await rest('POST', `/orders/${orderId}:cancel`, { body: {}, headers: as(customer) });
    }),
  );
  const truth = new Map<string, { status: string; totalKrw: string }>();
  for (const orderId of orderIds) truth.set(orderId, (await rest('GET', `/orders/${orderId}`, { headers: as(customer) })).body.order);
  await eventually(
    'the my page to agree with the order service',
    async () =>
      (await rest('GET', `/mypages/${customer}?pageSize=100`, { headers: as(customer) })).body.myPage.orders as {
        orderId: string;
        orderStatus: string;
        totalKrw: string;
      }[],
    (orders) =>
      orders.length === orderIds.length && orders.every((o) => truth.get(o.orderId)?.status === o.orderStatus && truth.get(o.orderId)?.totalKrw === o.totalKrw),
  );
});

test.run();
