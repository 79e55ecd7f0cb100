import { randomUUID } from 'node:crypto';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { QueryTypes, type Sequelize } from 'sequelize';
import { FailedPrecondition } from '@funshop/platform/errors';
import { runInContext } from '@funshop/platform/request-context';
import { OrderCancelled, OrderPlaced } from '@funshop/proto/funshop/order/v1/order_events';
import { CancelOrder } from '../app/cancel-order';
import { PlaceOrder } from '../app/place-order';
import type { SequelizeUnitOfWork } from '../adapters/out/sequelize-unit-of-work';
import { createProduct, openTestDatabase } from './database';

const it = suite('order events through the outbox', {} as { sequelize: Sequelize; unitOfWork: SequelizeUnitOfWork });
const clock = { now: () => new Date() };
const ids = { newId: () => randomUUID() };

it.before(async (context) => {
  Object.assign(context, await openTestDatabase());
});
it.after(async ({ sequelize }) => sequelize.close());

interface Row {
  event_type: string;
  aggregate_type: string;
  sequence: number;
  correlation_id: string;
  causation_id: string;
  payload: Buffer;
  sent_at: Date | null;
}

function outboxRows(sequelize: Sequelize, orderId: string): Promise<Row[]> {
  return sequelize.query<Row>('SELECT * FROM outbox_events WHERE aggregate_id = ? ORDER BY sequence', { replacements: [orderId], type: QueryTypes.SELECT });
}

const context = { correlationId: 'corr-outbox-1', causationId: 'req-outbox-1', signal: new AbortController().signal };

it('PlaceOrder and CancelOrder record their events with the order, in sequence, with the correlation id', async ({ sequelize, unitOfWork }) => {
  const productId = await createProduct(10, 25_000);
  const customerId = `c-${randomUUID().slice(0, 8)}`;
  const order = await runInContext(context, () =>
    new PlaceOrder(unitOfWork, clock, ids, 60_000).execute({ customerId, items: [{ productId, quantity: 2 }], idempotencyKey: undefined }),
  );
  await runInContext(context, () => new CancelOrder(unitOfWork, clock).execute({ customerId, orderId: order.orderId, reason: 'no longer needed' }));

  const [placed, cancelled] = await outboxRows(sequelize, order.orderId);
  assert.is(placed.event_type, 'funshop.order.v1.OrderPlaced');
  assert.is(placed.aggregate_type, 'order');
  assert.is(placed.sequence, 1);
  assert.is(placed.correlation_id, 'corr-outbox-1');
  assert.is(placed.causation_id, 'req-outbox-1');
  assert.is(placed.sent_at, null);
  const placedEvent = OrderPlaced.decode(placed.payload);
  assert.is(placedEvent.customerId, customerId);
  assert.is(placedEvent.totalKrw, 50_000);
  assert.equal(
    placedEvent.lines.map((l) => [l.productId, l.quantity, l.unitPriceKrw]),
    [[productId, 2, 25_000]],
  );

  assert.is(cancelled.event_type, 'funshop.order.v1.OrderCancelled');
  assert.is(cancelled.sequence, 2);
  assert.is(OrderCancelled.decode(cancelled.payload).reason, 'no longer needed');
});

it('an order that is not placed leaves no event behind', async ({ sequelize, unitOfWork }) => {
  const productId = await createProduct(1);
  const before = await sequelize.query<{ n: number }>('SELECT COUNT(*) AS n FROM outbox_events', { type: QueryTypes.SELECT });
  try {
    await new PlaceOrder(unitOfWork, clock, ids, 60_000).execute({ customerId: 'c-x', items: [{ productId, quantity: 5 }], idempotencyKey: undefined });
    assert.unreachable('placed beyond stock');
  } catch (error) {
    assert.instance(error, FailedPrecondition);
  }
  const after = await sequelize.query<{ n: number }>('SELECT COUNT(*) AS n FROM outbox_events', { type: QueryTypes.SELECT });
  assert.is(Number(after[0].n), Number(before[0].n));
});

it.run();
