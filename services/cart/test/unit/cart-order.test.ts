import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CartOrder } from '../../domain/cart-order';

const at = new Date('2026-01-01T00:00:00Z');
const items = [{ productId: 'lamp', productName: 'Lamp', quantity: 2, unitPriceKrw: 32_000 }];

test('placed items await payment, then become order-completed', () => {
  const entry = CartOrder.open('o-1', 'alice', at);
  assert.ok(entry.place(items, at));
  assert.is(entry.snapshot.status, 'AWAITING_PAYMENT');
  assert.ok(entry.completePayment(at));
  assert.is(entry.snapshot.status, 'ORDER_COMPLETED');
  assert.is(entry.snapshot.version, 2);
});

test('repeated events change nothing', () => {
  const entry = CartOrder.open('o-1', 'alice', at);
  entry.place(items, at);
  assert.not.ok(entry.place([], at));
  entry.cancel('changed my mind', at);
  assert.not.ok(entry.cancel('again', at));
  assert.is(entry.snapshot.cancelReason, 'changed my mind');
  assert.equal(entry.snapshot.items, items);
  assert.is(entry.snapshot.version, 2);
});

test('a status never moves back: a late payment approval does not revive a cancelled entry', () => {
  const entry = CartOrder.open('o-1', 'alice', at);
  entry.place(items, at);
  entry.cancel('changed my mind', at);
  assert.not.ok(entry.completePayment(at));
  assert.is(entry.snapshot.status, 'CANCELLED');
});

test('events that overtake the placement: the items still arrive, the status stays where it got', () => {
  const entry = CartOrder.open('o-1', 'alice', at);
  assert.ok(entry.completePayment(at));
  assert.is(entry.snapshot.placed, false);
  assert.ok(entry.place(items, at));
  assert.is(entry.snapshot.status, 'ORDER_COMPLETED');
  assert.equal(entry.snapshot.items, items);
});

test('a paid order can still be cancelled (its payment is refunded elsewhere)', () => {
  const entry = CartOrder.open('o-1', 'alice', at);
  entry.place(items, at);
  entry.completePayment(at);
  assert.ok(entry.cancel('returned', at));
  assert.is(entry.snapshot.status, 'CANCELLED');
});

test.run();
