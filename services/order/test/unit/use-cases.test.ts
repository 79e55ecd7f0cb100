import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ConcurrentModification, FailedPrecondition, InvalidArgument } from '@funshop/platform/errors';
import { CancelOrder } from '../../app/cancel-order';
import { ExpireOrders } from '../../app/expire-orders';
import { ForgetIdempotencyKeys } from '../../app/forget-idempotency-keys';
import { PayOrder } from '../../app/pay-order';
import { PlaceOrder } from '../../app/place-order';
import type { PaymentGateway, PaymentResult } from '../../app/ports';
import { InMemoryUnitOfWork } from '../../adapters/out/memory/in-memory-unit-of-work';

// The order service's use cases on in-memory adapters: the rules of the saga's order side, in
// milliseconds. The same use cases run on MariaDB in the other suites of this folder.

const PAYMENT_WINDOW_MS = 15 * 60_000;
const CARD = { number: '4242 4242 4242 4242', expiryMonth: 12, expiryYear: 2099, cvc: '123', holderName: 'Kim Minji' };

function shop(stock = { lamp: 5, desk: 1 }) {
  let now = new Date('2026-12-02T10:00:00Z');
  let sequence = 0;
  const clock = { now: () => now };
  const ids = { newId: () => `00000000-0000-4000-8000-${String(++sequence).padStart(12, '0')}` };
  const unitOfWork = new InMemoryUnitOfWork([
    { productId: 'lamp', name: 'Lamp', priceKrw: 32_000, stock: stock.lamp },
    { productId: 'desk', name: 'Desk', priceKrw: 250_000, stock: stock.desk },
  ]);
  const payments: { next: Partial<PaymentResult>; asked: number } & PaymentGateway = {
    next: { approved: true },
    asked: 0,
    async authorize(request) {
      this.asked += 1;
      return {
        paymentId: `pay-${request.orderId}`,
        approved: true,
        declineReason: '',
        amountKrw: request.amountKrw,
        cardLast4: '4242',
        createdAt: now,
        ...this.next,
      };
    },
  };
  return {
    unitOfWork,
    payments,
    advance: (ms: number) => (now = new Date(now.getTime() + ms)),
    place: new PlaceOrder(unitOfWork, clock, ids, PAYMENT_WINDOW_MS),
    cancel: new CancelOrder(unitOfWork, clock),
    pay: new PayOrder(unitOfWork, payments, clock),
    expire: new ExpireOrders(unitOfWork, clock),
    forgetKeys: new ForgetIdempotencyKeys(unitOfWork, clock, 24 * 3_600_000),
  };
}

const eventTypes = (unitOfWork: InMemoryUnitOfWork) => unitOfWork.events.map((event) => event.eventType);

test('placing reserves every line’s stock and records OrderPlaced; an order that cannot get all its stock reserves none', async () => {
  const { unitOfWork, place } = shop();
  const order = await place.execute({
    customerId: 'alice',
    items: [
      { productId: 'lamp', quantity: 2 },
      { productId: 'desk', quantity: 1 },
    ],
    idempotencyKey: undefined,
  });
  assert.is(order.totalKrw, 2 * 32_000 + 250_000, 'priced by the catalog, never by the caller');
  assert.equal([unitOfWork.stockOf('lamp'), unitOfWork.stockOf('desk')], [3, 0]);
  assert.equal(eventTypes(unitOfWork), ['placed']);

  try {
    await place.execute({
      customerId: 'bob',
      items: [
        { productId: 'lamp', quantity: 1 },
        { productId: 'desk', quantity: 1 },
      ],
      idempotencyKey: undefined,
    });
    assert.unreachable('placed without stock');
  } catch (error) {
    assert.instance(error, FailedPrecondition);
    assert.match((error as Error).message, /not enough stock of "desk"/);
  }
  assert.is(unitOfWork.stockOf('lamp'), 3, 'the lamp reserved before the desk failed went back');
  assert.equal(eventTypes(unitOfWork), ['placed']);
});

test('an idempotency key returns the first order; another request under it is INVALID_ARGUMENT; after its time to live it names a new order', async () => {
  const { unitOfWork, place, advance, forgetKeys } = shop();
  const command = { customerId: 'alice', items: [{ productId: 'lamp', quantity: 1 }], idempotencyKey: 'k-1' };
  const first = await place.execute(command);
  assert.is((await place.execute(command)).orderId, first.orderId);
  assert.is(unitOfWork.stockOf('lamp'), 4, 'stock reserved once');
  try {
    await place.execute({ ...command, items: [{ productId: 'lamp', quantity: 2 }] });
    assert.unreachable('a reused key placed another order');
  } catch (error) {
    assert.instance(error, InvalidArgument);
  }
  advance(24 * 3_600_000 + 1);
  assert.is(await forgetKeys.runOnce(), 1);
  assert.is.not((await place.execute(command)).orderId, first.orderId);
});

test('paying: approved → PAID with OrderPaid; declined → still awaiting payment, the reason kept, FAILED_PRECONDITION, no event', async () => {
  const { unitOfWork, place, pay, payments } = shop();
  const declined = await place.execute({ customerId: 'alice', items: [{ productId: 'lamp', quantity: 1 }], idempotencyKey: undefined });
  payments.next = { approved: false, declineReason: 'card declined' };
  try {
    await pay.execute({ customerId: 'alice', orderId: declined.orderId, card: CARD });
    assert.unreachable('a declined payment paid the order');
  } catch (error) {
    assert.instance(error, FailedPrecondition);
    assert.match((error as Error).message, /payment declined: card declined/);
  }
  const afterDecline = (await unitOfWork.repositories.orders.find(declined.orderId))!.snapshot;
  assert.equal([afterDecline.status, afterDecline.paymentDeclineReason], ['PENDING_PAYMENT', 'card declined']);

  payments.next = { approved: true };
  const { order } = await pay.execute({ customerId: 'alice', orderId: declined.orderId, card: CARD });
  assert.is(order.snapshot.status, 'PAID');
  assert.equal(eventTypes(unitOfWork), ['placed', 'paid']);
  try {
    await pay.execute({ customerId: 'bob', orderId: declined.orderId, card: CARD });
    assert.unreachable('paid another customer’s order');
  } catch (error) {
    assert.match((error as Error).message, /not found/);
  }
});

test('an order cancelled while its card was charged is not marked paid: the approval is refused, nothing announced but the cancellation', async () => {
  const { unitOfWork, place, pay, cancel, payments } = shop();
  const order = await place.execute({ customerId: 'alice', items: [{ productId: 'lamp', quantity: 1 }], idempotencyKey: undefined });
  const charge = payments.authorize.bind(payments);
  payments.authorize = async (request, signal) => {
    await cancel.execute({ customerId: 'alice', orderId: order.orderId, reason: 'changed my mind' });
    return charge(request, signal);
  };
  try {
    await pay.execute({ customerId: 'alice', orderId: order.orderId, card: CARD });
    assert.unreachable('a cancelled order was marked paid');
  } catch (error) {
    assert.instance(error, FailedPrecondition);
  }
  assert.is((await unitOfWork.repositories.orders.find(order.orderId))!.snapshot.status, 'CANCELLED');
  assert.equal(eventTypes(unitOfWork), ['placed', 'cancelled']);
});

test('cancelling puts the stock back once and records OrderCancelled; a second cancel is FAILED_PRECONDITION', async () => {
  const { unitOfWork, place, cancel } = shop();
  const order = await place.execute({ customerId: 'alice', items: [{ productId: 'lamp', quantity: 3 }], idempotencyKey: undefined });
  await cancel.execute({ customerId: 'alice', orderId: order.orderId, reason: 'changed my mind' });
  assert.is(unitOfWork.stockOf('lamp'), 5);
  try {
    await cancel.execute({ customerId: 'alice', orderId: order.orderId, reason: 'again' });
    assert.unreachable('cancelled twice');
  } catch (error) {
    assert.instance(error, FailedPrecondition);
  }
  assert.is(unitOfWork.stockOf('lamp'), 5, 'not put back twice');
  assert.equal(eventTypes(unitOfWork), ['placed', 'cancelled']);
});

test('the saga’s timeout: an unpaid order expires after its window, stock back and OrderExpired; a paid one is left alone', async () => {
  const { unitOfWork, place, pay, expire, advance } = shop();
  const unpaid = await place.execute({ customerId: 'alice', items: [{ productId: 'lamp', quantity: 2 }], idempotencyKey: undefined });
  const paid = await place.execute({ customerId: 'alice', items: [{ productId: 'desk', quantity: 1 }], idempotencyKey: undefined });
  await pay.execute({ customerId: 'alice', orderId: paid.orderId, card: CARD });
  assert.is(await expire.runOnce(), 0, 'nothing is overdue yet');
  advance(PAYMENT_WINDOW_MS);
  assert.is(await expire.runOnce(), 1);
  assert.is((await unitOfWork.repositories.orders.find(unpaid.orderId))!.snapshot.status, 'EXPIRED');
  assert.is((await unitOfWork.repositories.orders.find(paid.orderId))!.snapshot.status, 'PAID');
  assert.equal([unitOfWork.stockOf('lamp'), unitOfWork.stockOf('desk')], [5, 0]);
  assert.equal(eventTypes(unitOfWork), ['placed', 'placed', 'paid', 'expired']);
});

test('the in-memory unit of work rolls back like the database: a failed transaction leaves nothing behind', async () => {
  const { unitOfWork } = shop();
  try {
    await unitOfWork.run(async ({ products, events }) => {
      await products.reserve('lamp', 5);
      await events.placed({ snapshot: {} } as never);
      throw new ConcurrentModification('lost a race');
    });
  } catch (error) {
    assert.instance(error, ConcurrentModification);
  }
  assert.is(unitOfWork.stockOf('lamp'), 5);
  assert.equal(unitOfWork.events, []);
});

test.run();
