import { randomUUID } from 'node:crypto';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { QueryTypes, type Sequelize } from 'sequelize';
import { ExpireOrders } from '../app/expire-orders';
import { PlaceOrder } from '../app/place-order';
import type { SequelizeUnitOfWork } from '../adapters/out/sequelize-unit-of-work';
import { createProduct, openTestDatabase, stockOf } from './database';

const it = suite('unpaid orders expire', {} as { sequelize: Sequelize; unitOfWork: SequelizeUnitOfWork });

it.before(async (context) => {
  Object.assign(context, await openTestDatabase());
});
it.after(({ sequelize }) => sequelize.close());

it('after the payment window: EXPIRED, stock released, OrderExpired recorded; a paid order is left alone', async ({ sequelize, unitOfWork }) => {
  let now = new Date('2030-01-01T00:00:00Z');
  const clock = { now: () => now };
  const productId = await createProduct(10);
  const place = new PlaceOrder(unitOfWork, clock, { newId: () => randomUUID() }, 60_000);
  const unpaid = await place.execute({ customerId: 'c-exp', items: [{ productId, quantity: 3 }], idempotencyKey: undefined });
  const paid = await place.execute({ customerId: 'c-exp', items: [{ productId, quantity: 2 }], idempotencyKey: undefined });
  await unitOfWork.run(async ({ orders }) => {
    const order = (await orders.find(paid.orderId))!;
    order.markPaid('pay-1', now);
    await orders.update(order, 1);
  });
  assert.is(await stockOf(productId), 5);

  const expire = new ExpireOrders(unitOfWork, clock);
  now = new Date(now.getTime() + 59_000);
  await expire.runOnce();
  assert.is((await unitOfWork.repositories.orders.find(unpaid.orderId))!.status, 'PENDING_PAYMENT', 'not before its window closes');

  now = new Date(now.getTime() + 1_000);
  assert.ok((await expire.runOnce()) >= 1);
  assert.is((await unitOfWork.repositories.orders.find(unpaid.orderId))!.status, 'EXPIRED');
  assert.is((await unitOfWork.repositories.orders.find(paid.orderId))!.status, 'PAID');
  assert.is(await stockOf(productId), 8, 'only the expired order’s stock came back');
  const events = await sequelize.query<{ event_type: string; sequence: number }>(
    'SELECT event_type, sequence FROM outbox_events WHERE aggregate_id = ? ORDER BY sequence',
    { replacements: [unpaid.orderId], type: QueryTypes.SELECT },
  );
  assert.equal(
    events.map((e) => [e.event_type, e.sequence]),
    [
      ['funshop.order.v1.OrderPlaced', 1],
      ['funshop.order.v1.OrderExpired', 2],
    ],
  );
  assert.is(await expire.runOnce(), 0, 'nothing left to expire');
});

it.run();
