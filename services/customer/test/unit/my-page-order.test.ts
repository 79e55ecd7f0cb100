import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MyPageOrder } from '../../domain/my-page-order';

const t0 = new Date('2026-01-01T00:00:00Z');
const at = (s: number) => new Date(t0.getTime() + s * 1000);
const items = [{ productId: 'lamp', productName: 'Lamp', quantity: 1, unitPriceKrw: 32_000 }];

type Step = (order: MyPageOrder) => void;
const steps: Record<string, Step> = {
  placed: (o) => o.placed(1, { items, totalKrw: 32_000, placedAt: at(0), correlationId: 'corr-1' }),
  declined: (o) => o.paymentStatusChanged('DECLINED', at(1)),
  paid: (o) => o.paid(2, at(2)),
  cancelled: (o) => o.orderStatusChanged(3, 'CANCELLED', at(4)),
  refunded: (o) => o.paymentStatusChanged('CANCELLED', at(5)),
};

function permutations<T>(list: T[]): T[][] {
  if (list.length <= 1) return [list];
  return list.flatMap((item, i) => permutations([...list.slice(0, i), ...list.slice(i + 1)]).map((rest) => [item, ...rest]));
}

function project(order: string[]) {
  const view = MyPageOrder.first('o-1', 'alice', at(9), 'first-seen');
  for (const name of order) steps[name](view);
  return view.snapshot;
}

test('in order: placed, declined, paid, cancelled, refunded', () => {
  const view = project(Object.keys(steps));
  assert.is(view.orderStatus, 'CANCELLED');
  assert.is(view.paymentStatus, 'CANCELLED');
  assert.is(view.cartStatus, 'CANCELLED');
  assert.equal(view.items, items);
  assert.is(view.totalKrw, 32_000);
  assert.is(view.correlationId, 'corr-1');
  assert.equal(view.createdAt, at(0));
  assert.equal(view.updatedAt, at(9));
});

test('the cart’s status follows the order’s, as the cart’s own policies move it', () => {
  const view = MyPageOrder.first('o-3', 'alice', at(0), 'c');
  const statuses = () => [view.snapshot.orderStatus, view.snapshot.paymentStatus, view.snapshot.cartStatus];
  view.paymentStatusChanged('DECLINED', at(1));
  assert.equal(statuses(), ['PENDING_PAYMENT', 'DECLINED', 'NONE'], 'a payment event alone says nothing of the cart');
  steps.placed(view);
  assert.equal(statuses(), ['PENDING_PAYMENT', 'DECLINED', 'AWAITING_PAYMENT']);
  steps.paid(view);
  assert.equal(statuses(), ['PAID', 'APPROVED', 'ORDER_COMPLETED']);
  view.orderStatusChanged(3, 'EXPIRED', at(3));
  assert.equal(statuses(), ['EXPIRED', 'APPROVED', 'CANCELLED']);
});

test('every arrival order of the five events, each delivered twice, gives the same my page', () => {
  const expected = project(Object.keys(steps));
  const orders = permutations(Object.keys(steps));
  assert.is(orders.length, 120);
  for (const order of orders) {
    assert.equal(project([...order, ...order.slice().reverse()]), expected, order.join(' → '));
  }
});

test('a declined attempt then an approval: approved; a late decline does not undo it', () => {
  const view = MyPageOrder.first('o-2', 'alice', at(0), 'c');
  view.paymentStatusChanged('DECLINED', at(1));
  view.paymentStatusChanged('APPROVED', at(2));
  view.paymentStatusChanged('DECLINED', at(3));
  assert.is(view.snapshot.paymentStatus, 'APPROVED');
});

test.run();
