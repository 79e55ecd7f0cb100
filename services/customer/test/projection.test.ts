import { randomUUID } from 'node:crypto';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { QueryTypes, type Sequelize } from 'sequelize';
import { connectDatabase } from '@funshop/platform/db/database';
import { migrate } from '@funshop/platform/db/migrations';
import { Statements } from '@funshop/platform/db/statements';
import { scopeOf } from '@funshop/platform/db/transaction-scope';
import type { EventHandler } from '@funshop/platform/messaging/consumer';
import { createLogger } from '@funshop/platform/logger';
import type { EventEnvelope } from '@funshop/platform/messaging/envelope';
import { CartItemStatus } from '@funshop/proto/funshop/cart/v1/cart';
import { CartUpdated } from '@funshop/proto/funshop/cart/v1/cart_events';
import { OrderCancelled, OrderPaid, OrderPlaced } from '@funshop/proto/funshop/order/v1/order_events';
import { PaymentApproved, PaymentCancelled, PaymentDeclined } from '@funshop/proto/funshop/payment/v1/payment_events';
import { MyPageProjector } from '../app/my-page-projector';
import { MyPageQueries } from '../app/my-page-queries';
import { myPageEventHandlers } from '../adapters/in/event-handlers';
import { compactStoredEvents, rebuildMyPage } from '../adapters/out/stored-events';
import { SequelizeMyPageUnitOfWork } from '../adapters/out/sequelize-unit-of-work';
import { RecordEvent } from '../app/record-event';
import { myPageProjections } from '../adapters/in/event-projections';
import { defineModels } from '../adapters/out/models';
import { SequelizeMyPageRepository } from '../adapters/out/sequelize-my-page-repository';
import { migrations } from '../migrations';

const it = suite('my page on PostgreSQL', {} as { sequelize: Sequelize });
const logger = createLogger('customer-test', 'silent');
const projections = myPageProjections(new MyPageProjector());
let handlers: Record<string, EventHandler>;
let queries: MyPageQueries;

it.before(async (context) => {
  const url = new URL(process.env.CUSTOMER_TEST_DATABASE_URL ?? 'postgres://funshop:funshop@127.0.0.1:5432/funshop_test_customer_it');
  context.sequelize = await connectDatabase({ url, poolMax: 10, connectTimeoutMs: 10_000 }, logger);
  await migrate(context.sequelize, migrations, logger);
  defineModels(context.sequelize);
  const statements = new Statements(context.sequelize);
  handlers = myPageEventHandlers(projections, new RecordEvent(new SequelizeMyPageUnitOfWork(statements)));
  queries = new MyPageQueries(new SequelizeMyPageRepository(statements, {}));
});
it.after(({ sequelize }) => sequelize.close());

function envelope(eventType: string, aggregateId: string, sequence: number, payload: Uint8Array, seconds: number): EventEnvelope {
  return {
    eventId: randomUUID(),
    eventType,
    aggregateType: '',
    aggregateId,
    sequence,
    occurredAt: new Date(Date.UTC(2026, 0, 1, 0, 0, seconds)),
    correlationId: `corr-${aggregateId}`,
    causationId: 'test',
    contentType: 'application/x-protobuf',
    payload: Buffer.from(payload),
  };
}

const LINE = { productId: 'lamp', productName: 'Lamp', unitPriceKrw: 32_000, quantity: 2, lineTotalKrw: 64_000 };

/** An order placed, a card declined, another approved (announced as OrderPaid), then cancelled and refunded. */
function purchaseEvents(orderId: string, customerId: string): EventEnvelope[] {
  const [declined, approved] = [randomUUID(), randomUUID()];
  const payment = { orderId, customerId, amountKrw: 64_000 };
  return [
    envelope('funshop.order.v1.OrderPlaced', orderId, 1, OrderPlaced.encode({ orderId, customerId, lines: [LINE], totalKrw: 64_000 }).finish(), 0),
    envelope(
      'funshop.payment.v1.PaymentDeclined',
      declined,
      1,
      PaymentDeclined.encode({ ...payment, paymentId: declined, reason: 'card declined' }).finish(),
      1,
    ),
    envelope('funshop.order.v1.OrderPaid', orderId, 2, OrderPaid.encode({ orderId, customerId, paymentId: approved, totalKrw: 64_000 }).finish(), 2),
    envelope('funshop.order.v1.OrderCancelled', orderId, 3, OrderCancelled.encode({ orderId, customerId, paymentId: approved, reason: 'x' }).finish(), 3),
    envelope('funshop.payment.v1.PaymentCancelled', approved, 2, PaymentCancelled.encode({ ...payment, paymentId: approved, reason: 'x' }).finish(), 4),
  ];
}

async function deliver(sequelize: Sequelize, events: EventEnvelope[]): Promise<void> {
  for (const event of events) await sequelize.transaction((t) => handlers[event.eventType](event, scopeOf(t)));
}

it('events in reverse order build the same my page as in order', async ({ sequelize }) => {
  const customerId = `c-${randomUUID().slice(0, 8)}`;
  const [inOrder, reversed] = [randomUUID(), randomUUID()];
  await deliver(sequelize, purchaseEvents(inOrder, customerId));
  await deliver(sequelize, purchaseEvents(reversed, customerId).reverse());
  const a = (await queries.order(customerId, customerId, inOrder)).snapshot;
  const b = (await queries.order(customerId, customerId, reversed)).snapshot;
  for (const view of [a, b]) {
    assert.equal([view.orderStatus, view.paymentStatus, view.cartStatus, view.totalKrw], ['CANCELLED', 'CANCELLED', 'CANCELLED', 64_000]);
    assert.is(view.items[0].productName, 'Lamp');
  }
  assert.is(a.correlationId, `corr-${inOrder}`);
  assert.is(b.correlationId, `corr-${reversed}`);
  const page = await queries.orders(customerId, { customerId, pageSize: 0, pageToken: '' });
  assert.is(page.items.length, 2);
});

it('events of one new order applied at the same moment: none overwrites another', async ({ sequelize }) => {
  const customerId = `c-${randomUUID().slice(0, 8)}`;
  const orders = Array.from({ length: 15 }, () => randomUUID());
  // Placement, decline and payment of each order, all in flight at once.
  await Promise.all(
    orders.flatMap((orderId) =>
      purchaseEvents(orderId, customerId)
        .slice(0, 3)
        .map((event) => sequelize.transaction((t) => handlers[event.eventType](event, scopeOf(t)))),
    ),
  );
  for (const orderId of orders) {
    const view = (await queries.order(customerId, customerId, orderId)).snapshot;
    assert.equal(
      [view.totalKrw, view.items.length, view.orderStatus, view.paymentStatus, view.cartStatus],
      [64_000, 1, 'PAID', 'APPROVED', 'ORDER_COMPLETED'],
      orderId,
    );
  }
});

it('rebuild: dropping the read model and replaying the stored events gives it back exactly', async ({ sequelize }) => {
  const customerId = `c-${randomUUID().slice(0, 8)}`;
  const orderId = randomUUID();
  await deliver(sequelize, purchaseEvents(orderId, customerId).slice(0, 4));
  const before = (await queries.order(customerId, customerId, orderId)).snapshot;
  await sequelize.query('UPDATE my_page_orders SET order_status = ?, total_krw = 1 WHERE order_id = ?', { replacements: ['EXPIRED', orderId] });
  const replayed = await rebuildMyPage(sequelize, projections, logger);
  assert.ok(replayed >= 4);
  assert.equal((await queries.order(customerId, customerId, orderId)).snapshot, before);
  // One event a batch: each batch reads the row the batches before it wrote.
  await sequelize.query('UPDATE my_page_orders SET order_status = ?, total_krw = 1 WHERE order_id = ?', { replacements: ['EXPIRED', orderId] });
  assert.is(await rebuildMyPage(sequelize, projections, logger, 1), replayed);
  assert.equal((await queries.order(customerId, customerId, orderId)).snapshot, before);
});

it('compaction: old stored events are folded into the snapshot and deleted, and a rebuild still gives the my page back exactly', async ({ sequelize }) => {
  const customerId = `c-${randomUUID().slice(0, 8)}`;
  const [old, young] = [randomUUID(), randomUUID()];
  const oldEvents = purchaseEvents(old, customerId); // occurred on 2026-01-01
  const youngEvents = purchaseEvents(young, customerId).map((event) => ({ ...event, occurredAt: new Date() }));
  // The young order's first event is stored before the old order's last: the fold stops there.
  await deliver(sequelize, [...oldEvents.slice(0, 3), youngEvents[0], ...oldEvents.slice(3), ...youngEvents.slice(1)]);
  const views = async () => Promise.all([old, young].map(async (orderId) => (await queries.order(customerId, customerId, orderId)).snapshot));
  const before = await views();
  const eventIds = { [old]: oldEvents.map((event) => event.eventId), [young]: youngEvents.map((event) => event.eventId) };
  const stored = async (orderId: string) =>
    Number(
      (
        await sequelize.query<{ n: string }>('SELECT COUNT(*) AS n FROM stored_events WHERE event_id IN (?)', {
          replacements: [eventIds[orderId]],
          type: QueryTypes.SELECT,
        })
      )[0].n,
    );
  assert.is(await stored(old), 5);

  const cutoff = new Date(Date.UTC(2026, 0, 2));
  let folded = 0;
  for (let n = await compactStoredEvents(sequelize, projections, cutoff); n > 0; n = await compactStoredEvents(sequelize, projections, cutoff)) folded += n;
  assert.ok(folded >= 3, 'the old order’s events up to the young one’s first were folded');
  assert.is(await stored(old), 2, 'the two stored after the young event stay, in order');
  assert.is(await stored(young), 5);
  assert.equal(await views(), before, 'the my page itself is untouched');

  await sequelize.query('UPDATE my_page_orders SET order_status = ?, total_krw = 1 WHERE customer_id = ?', { replacements: ['EXPIRED', customerId] });
  await rebuildMyPage(sequelize, projections, logger);
  assert.equal(await views(), before, 'rebuilt from the snapshot and the remaining events');

  // Once the young events are old too, everything folds; a rebuild from the snapshot alone is still exact.
  let rest = 0;
  const later = new Date(Date.now() + 60_000);
  for (let n = await compactStoredEvents(sequelize, projections, later); n > 0; n = await compactStoredEvents(sequelize, projections, later)) rest += n;
  assert.ok(rest >= 7);
  assert.is((await stored(old)) + (await stored(young)), 0);
  await rebuildMyPage(sequelize, projections, logger);
  assert.equal(await views(), before);
});

it('a history stored before OrderPaid became the one "paid" fact (with PaymentApproved and CartUpdated) rebuilds to the same page as the new flow', async ({
  sequelize,
}) => {
  const customerId = `c-${randomUUID().slice(0, 8)}`;
  const [before, after] = [randomUUID(), randomUUID()];
  const paymentId = randomUUID();
  const cart = (orderId: string, sequence: number, status: CartItemStatus, seconds: number) =>
    envelope('funshop.cart.v1.CartUpdated', orderId, sequence, CartUpdated.encode({ customerId, orderId, status, items: [] }).finish(), seconds);
  const placed = (orderId: string) =>
    envelope('funshop.order.v1.OrderPlaced', orderId, 1, OrderPlaced.encode({ orderId, customerId, lines: [LINE], totalKrw: 64_000 }).finish(), 0);
  const paid = (orderId: string) =>
    envelope('funshop.order.v1.OrderPaid', orderId, 2, OrderPaid.encode({ orderId, customerId, paymentId, totalKrw: 64_000 }).finish(), 3);
  // As the my page of before stored them: every event it consumed, in the order received.
  const oldHistory = [
    placed(before),
    cart(before, 1, CartItemStatus.CART_ITEM_STATUS_AWAITING_PAYMENT, 1),
    envelope(
      'funshop.payment.v1.PaymentApproved',
      paymentId,
      1,
      PaymentApproved.encode({ paymentId, orderId: before, customerId, amountKrw: 64_000, cardLast4: '4242' }).finish(),
      2,
    ),
    paid(before),
    cart(before, 2, CartItemStatus.CART_ITEM_STATUS_ORDER_COMPLETED, 4),
  ];
  await sequelize.transaction(async (transaction) => {
    const { storedEvents } = new SequelizeMyPageUnitOfWork(new Statements(sequelize)).join(scopeOf(transaction));
    for (const event of oldHistory) await storedEvents.append(event);
  });
  await deliver(sequelize, [placed(after), paid(after)]);
  await rebuildMyPage(sequelize, projections, logger);
  const [old, now] = await Promise.all([before, after].map(async (orderId) => (await queries.order(customerId, customerId, orderId)).snapshot));
  assert.equal([old.orderStatus, old.paymentStatus, old.cartStatus], ['PAID', 'APPROVED', 'ORDER_COMPLETED']);
  assert.equal({ ...old, orderId: '', correlationId: '' }, { ...now, orderId: '', correlationId: '' });
});

it('another customer’s my page is NOT_FOUND', async () => {
  try {
    await queries.orders('mallory', { customerId: 'alice', pageSize: 0, pageToken: '' });
    assert.unreachable('read another customer’s my page');
  } catch (error) {
    assert.match((error as Error).message, /my page of customer alice not found/);
  }
});

it.run();
