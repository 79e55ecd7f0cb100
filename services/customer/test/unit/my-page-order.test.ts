import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MyPageOrder } from '../../domain/my-page-order';

const t0 = new Date('2026-01-01T00:00:00Z');
const at = (s: number) => new Date(t0.getTime() + s * 1000);
const items = [{ productId: 'lamp', productName: 'Lamp', quantity: 1, unitPriceKrw: 32_000 }];

type Step = (order: MyPageOrder) => void;
const steps: Record<string, Step> = {
  placed: (o) => o.placed(1, { items, totalKrw: 32_000, placedAt: at(0), correlationId: 'corr-1' }),
  cartAwaiting: (o) => o.cartStatusChanged(1, 'AWAITING_PAYMENT', at(1)),
  paymentApproved: (o) => o.paymentStatusChanged('APPROVED', at(2)),
  paid: (o) => o.orderStatusChanged(2, 'PAID', at(2)),
  cartCompleted: (o) => o.cartStatusChanged(2, 'ORDER_COMPLETED', at(3)),
  cancelled: (o) => o.orderStatusChanged(3, 'CANCELLED', at(4)),
  refunded: (o) => o.paymentStatusChanged('CANCELLED', at(5)),
  cartCancelled: (o) => o.cartStatusChanged(3, 'CANCELLED', at(5)),
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

test('in order: placed, paid, completed, cancelled, refunded', () => {
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

test('every arrival order of the eight events, each delivered twice, gives the same my page', () => {
  const expected = project(Object.keys(steps));
  const orders = permutations(Object.keys(steps));
  assert.is(orders.length, 40_320);
  for (const order of orders.filter((_, i) => i % 97 === 0)) {
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
