import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { TransactionScope } from '@funshop/platform/db/transaction-scope';
import { CartPolicies } from '../../app/cart-policies';
import { CartQueries } from '../../app/cart-queries';
import { InMemoryCartUnitOfWork } from '../../adapters/out/memory/in-memory-unit-of-work';

// The cart's policies and queries on in-memory adapters: events in any order end in the same
// place, and a repeated event changes nothing. The same policies run on MariaDB in test/cart-policies.test.ts.

const SCOPE = {} as TransactionScope;
const LAMPS = [{ productId: 'lamp', productName: 'Lamp', quantity: 2, unitPriceKrw: 32_000 }];

function cart() {
  let sequence = 0;
  let now = Date.parse('2026-12-02T10:00:00Z');
  const unitOfWork = new InMemoryCartUnitOfWork();
  const policies = new CartPolicies(unitOfWork, { now: () => new Date((now += 1_000)) }, { newId: () => `cancel-${++sequence}` });
  const queries = new CartQueries(unitOfWork.cartOrders, unitOfWork.cancellations);
  const deliver = (apply: (policies: CartPolicies) => Promise<void>) => unitOfWork.run(() => apply(policies));
  return { unitOfWork, queries, deliver };
}

test('placed → awaiting payment, with what it owes; paid → order completed; a repeated OrderPaid changes nothing', async () => {
  const { queries, deliver } = cart();
  await deliver((p) => p.orderPlaced(SCOPE, { orderId: 'o-1', customerId: 'alice', items: LAMPS }));
  let view = await queries.cart('alice', 'alice');
  assert.equal([view.cartOrders[0].snapshot.status, view.awaitingPaymentKrw], ['AWAITING_PAYMENT', 64_000]);
  await deliver((p) => p.orderPaid(SCOPE, { orderId: 'o-1', customerId: 'alice' }));
  const completed = (await queries.cart('alice', 'alice')).cartOrders[0].snapshot;
  await deliver((p) => p.orderPaid(SCOPE, { orderId: 'o-1', customerId: 'alice' }));
  view = await queries.cart('alice', 'alice');
  assert.equal([view.cartOrders[0].snapshot.status, view.awaitingPaymentKrw], ['ORDER_COMPLETED', 0]);
  assert.equal(view.cartOrders[0].snapshot, completed, 'the repeat left the entry as it was');
  assert.is(completed.version, 2, 'placed, then paid');
});

test('a cancellation that overtakes the placement: the entry ends cancelled, with its items, and one cancellation record', async () => {
  const { queries, deliver } = cart();
  await deliver((p) => p.orderEnded(SCOPE, { orderId: 'o-2', customerId: 'alice', reason: 'not paid in time' }));
  await deliver((p) => p.orderPlaced(SCOPE, { orderId: 'o-2', customerId: 'alice', items: LAMPS }));
  await deliver((p) => p.orderEnded(SCOPE, { orderId: 'o-2', customerId: 'alice', reason: 'not paid in time' }));
  const [entry] = (await queries.cart('alice', 'alice')).cartOrders;
  assert.equal([entry.snapshot.status, entry.snapshot.items], ['CANCELLED', LAMPS]);
  const page = await queries.listCancellations('alice', { customerId: 'alice', pageSize: 0, pageToken: '' });
  assert.equal(
    page.items.map(({ cancellation, cartOrder }) => [cancellation.orderId, cancellation.reason, cartOrder?.snapshot.items]),
    [['o-2', 'not paid in time', LAMPS]],
  );
});

test('another customer’s cart is NOT_FOUND', async () => {
  const { queries } = cart();
  try {
    await queries.cart('mallory', 'alice');
    assert.unreachable('read another customer’s cart');
  } catch (error) {
    assert.match((error as Error).message, /cart of customer alice not found/);
  }
});

test.run();
