import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FailedPrecondition, InvalidArgument } from '@funshop/platform/errors';
import { Order, type RequestedItem } from '../../domain/order';
import type { Product } from '../../domain/product';

const catalog = new Map<string, Product>([
  ['lamp', { productId: 'lamp', name: 'Lamp', priceKrw: 32_000, stock: 5 }],
  ['hub', { productId: 'hub', name: 'Hub', priceKrw: 45_000, stock: 5 }],
]);
const now = new Date('2026-01-01T00:00:00Z');

function place(items: RequestedItem[]): Order {
  return Order.place({ orderId: 'o-1', customerId: 'alice', items, catalog, now, paymentWindowMs: 60_000 });
}

function violationsOf(work: () => unknown): string[] {
  try {
    work();
  } catch (error) {
    assert.instance(error, InvalidArgument);
    return (error as InvalidArgument).violations.map((v) => `${v.field}: ${v.description}`);
  }
  throw new Error('expected InvalidArgument');
}

test('a new order awaits payment, copies catalog prices and computes its total', () => {
  const order = place([
    { productId: 'lamp', quantity: 2 },
    { productId: 'hub', quantity: 1 },
  ]);
  assert.is(order.status, 'PENDING_PAYMENT');
  assert.is(order.totalKrw, 2 * 32_000 + 45_000);
  assert.equal(order.snapshot.lines[0], { productId: 'lamp', productName: 'Lamp', unitPriceKrw: 32_000, quantity: 2 });
  assert.is(order.snapshot.version, 1);
  assert.is(order.snapshot.expiresAt.getTime(), now.getTime() + 60_000);
});

test('an order has 1..50 lines', () => {
  assert.equal(
    violationsOf(() => place([])),
    ['items: an order needs at least one item'],
  );
  const many = Array.from({ length: 51 }, (_, i) => ({ productId: `p${i}`, quantity: 1 }));
  assert.match(violationsOf(() => place(many))[0], /at most 50 items, got 51/);
});

test('quantities are whole numbers 1..99', () => {
  for (const quantity of [0, -1, 100, 1.5]) {
    assert.equal(
      violationsOf(() => place([{ productId: 'lamp', quantity }])),
      [`items[0].quantity: must be 1..99, got ${quantity}`],
    );
  }
  assert.is(place([{ productId: 'lamp', quantity: 99 }]).totalKrw, 99 * 32_000);
});

test('products must be known, named and listed once; every violation is reported', () => {
  assert.equal(
    violationsOf(() =>
      place([
        { productId: 'lamp', quantity: 1 },
        { productId: 'ghost', quantity: 1 },
        { productId: '', quantity: 0 },
        { productId: 'lamp', quantity: 2 },
      ]),
    ),
    [
      'items[1].product_id: unknown product "ghost"',
      'items[2].product_id: is required',
      'items[2].quantity: must be 1..99, got 0',
      'items[3].product_id: product "lamp" appears twice; combine the quantities',
    ],
  );
});

test('cancel: allowed while awaiting payment and once paid, never twice', () => {
  const pending = place([{ productId: 'lamp', quantity: 1 }]);
  pending.cancel('changed my mind', now);
  assert.is(pending.status, 'CANCELLED');
  assert.is(pending.snapshot.cancelReason, 'changed my mind');
  assert.is(pending.snapshot.version, 2);
  assert.throws(
    () => pending.cancel('again', now),
    (e: unknown) => e instanceof FailedPrecondition && /is cancelled; it cannot become cancelled/.test(e.message),
  );

  const paid = place([{ productId: 'lamp', quantity: 1 }]);
  paid.markPaid('pay-1', now);
  paid.cancel('', now);
  assert.is(paid.status, 'CANCELLED');
  assert.is(paid.snapshot.paymentId, 'pay-1');
});

test('pay: only while awaiting payment', () => {
  const order = place([{ productId: 'lamp', quantity: 1 }]);
  order.markPaid('pay-1', now);
  assert.is(order.status, 'PAID');
  assert.throws(
    () => order.markPaid('pay-2', now),
    (e: unknown) => e instanceof FailedPrecondition,
  );
  const cancelled = place([{ productId: 'lamp', quantity: 1 }]);
  cancelled.cancel('', now);
  assert.throws(
    () => cancelled.markPaid('pay-3', now),
    (e: unknown) => e instanceof FailedPrecondition,
  );
});

test('expire: only unpaid orders, and only once their payment window has passed', () => {
  const order = place([{ productId: 'lamp', quantity: 1 }]);
  assert.throws(() => order.expire(new Date(now.getTime() + 59_999)), /does not expire before/);
  order.expire(new Date(now.getTime() + 60_000));
  assert.is(order.status, 'EXPIRED');
  assert.throws(
    () => order.cancel('', now),
    (e: unknown) => e instanceof FailedPrecondition,
  );
  const paid = place([{ productId: 'lamp', quantity: 1 }]);
  paid.markPaid('pay-1', now);
  assert.throws(() => paid.expire(new Date(now.getTime() + 120_000)), /is paid; it cannot become expired/);
});

test('a cancel reason is at most 200 characters', () => {
  const order = place([{ productId: 'lamp', quantity: 1 }]);
  assert.equal(
    violationsOf(() => order.cancel('x'.repeat(201), now)),
    ['reason: must be at most 200 characters'],
  );
  assert.is(order.status, 'PENDING_PAYMENT');
});

test.run();
