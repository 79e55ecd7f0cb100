import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { InvalidArgument, NotFound } from '@funshop/platform/errors';
import type { TransactionScope } from '@funshop/platform/db/transaction-scope';
import type { EventEnvelope } from '@funshop/platform/messaging/envelope';
import { OrderPaid, OrderPlaced } from '@funshop/proto/funshop/order/v1/order_events';
import { PaymentDeclined } from '@funshop/proto/funshop/payment/v1/payment_events';
import { MyPageProjector } from '../../app/my-page-projector';
import { MyPageQueries } from '../../app/my-page-queries';
import type { Projection } from '../../app/ports';
import { RecordEvent } from '../../app/record-event';
import { myPageProjections } from '../../adapters/in/event-projections';
import { InMemoryMyPageUnitOfWork } from '../../adapters/out/memory/in-memory-unit-of-work';

// The my page's use cases on in-memory adapters: every consumed event is logged and projected in
// one transaction, in any order to the same view, read only by its owner. The same use cases run
// on PostgreSQL in test/projection.test.ts.

const SCOPE = {} as TransactionScope;
const PROJECTIONS = myPageProjections(new MyPageProjector());

function myPage() {
  const unitOfWork = new InMemoryMyPageUnitOfWork();
  const record = new RecordEvent(unitOfWork);
  const queries = new MyPageQueries(unitOfWork.myPages);
  /** As the consumer delivers an event: in a transaction of its own. */
  const deliver = (event: EventEnvelope, project: Projection = PROJECTIONS[event.eventType]) => unitOfWork.run(() => record.apply(SCOPE, event, project));
  return { unitOfWork, queries, deliver };
}

let eventIds = 0;

function envelope(eventType: string, aggregateId: string, sequence: number, payload: Uint8Array, minute: number): EventEnvelope {
  return {
    eventId: `event-${++eventIds}`,
    eventType,
    aggregateType: eventType.split('.')[1],
    aggregateId,
    sequence,
    occurredAt: new Date(Date.UTC(2026, 11, 2, 10, minute)),
    correlationId: `purchase-${aggregateId}`,
    causationId: 'test',
    contentType: 'application/x-protobuf',
    payload: Buffer.from(payload),
  };
}

/** A purchase of two lamps, a first card declined, as the order and payment services announce it. */
function purchase(orderId: string, customerId: string, minute = 0): EventEnvelope[] {
  const line = { productId: 'lamp', productName: 'Lamp', unitPriceKrw: 32_000, quantity: 2, lineTotalKrw: 64_000 };
  const declined = `declined-${orderId}`;
  return [
    envelope('funshop.order.v1.OrderPlaced', orderId, 1, OrderPlaced.encode({ orderId, customerId, lines: [line], totalKrw: 64_000 }).finish(), minute),
    envelope(
      'funshop.payment.v1.PaymentDeclined',
      declined,
      1,
      PaymentDeclined.encode({ paymentId: declined, orderId, customerId, amountKrw: 64_000, reason: 'card declined' }).finish(),
      minute + 1,
    ),
    envelope(
      'funshop.order.v1.OrderPaid',
      orderId,
      2,
      OrderPaid.encode({ orderId, customerId, paymentId: `payment-${orderId}`, totalKrw: 64_000 }).finish(),
      minute + 4,
    ),
  ];
}

/** What the customer sees of an order. */
async function view(queries: MyPageQueries, customerId: string, orderId: string) {
  const { snapshot } = await queries.order(customerId, customerId, orderId);
  return {
    statuses: [snapshot.orderStatus, snapshot.paymentStatus, snapshot.cartStatus],
    items: snapshot.items,
    totalKrw: snapshot.totalKrw,
    createdAt: snapshot.createdAt.toISOString(),
    updatedAt: snapshot.updatedAt.toISOString(),
  };
}

test('a purchase’s events build its my page entry, each logged as received', async () => {
  const { unitOfWork, queries, deliver } = myPage();
  const events = purchase('o-1', 'alice');
  for (const event of events) await deliver(event);
  assert.equal(await view(queries, 'alice', 'o-1'), {
    statuses: ['PAID', 'APPROVED', 'ORDER_COMPLETED'],
    items: [{ productId: 'lamp', productName: 'Lamp', quantity: 2, unitPriceKrw: 32_000 }],
    totalKrw: 64_000,
    createdAt: '2026-12-02T10:00:00.000Z',
    updatedAt: '2026-12-02T10:04:00.000Z',
  });
  assert.equal(
    unitOfWork.storedEvents.map((event) => event.eventId),
    events.map((event) => event.eventId),
  );
});

test('in reverse, shuffled or delivered twice, the events build the same entry as in order', async () => {
  const { queries, deliver } = myPage();
  const inOrder = purchase('o-in-order', 'alice');
  for (const event of inOrder) await deliver(event);
  const expected = await view(queries, 'alice', 'o-in-order');
  const orderings: [string, (events: EventEnvelope[]) => EventEnvelope[]][] = [
    ['o-reversed', (events) => [...events].reverse()],
    ['o-shuffled', ([placed, declined, paid]) => [paid, placed, declined]],
    ['o-twice', (events) => events.flatMap((event) => [event, event])],
  ];
  for (const [orderId, reorder] of orderings) {
    for (const event of reorder(purchase(orderId, 'alice'))) await deliver(event);
    assert.equal(await view(queries, 'alice', orderId), expected, orderId);
  }
});

test('an event whose projection fails leaves neither its log entry nor any change to the my page', async () => {
  const { unitOfWork, queries, deliver } = myPage();
  const [placed, declined] = purchase('o-2', 'alice');
  await deliver(placed);
  const failing: Projection = async (event, repository) => {
    await PROJECTIONS[event.eventType](event, repository);
    throw new Error('the database went away');
  };
  await deliver(declined, failing).then(
    () => assert.unreachable('the failing projection succeeded'),
    (error: Error) => assert.match(error.message, /went away/),
  );
  assert.equal((await view(queries, 'alice', 'o-2')).statuses, ['PENDING_PAYMENT', 'NONE', 'AWAITING_PAYMENT']);
  assert.equal(
    unitOfWork.storedEvents.map((event) => event.eventId),
    [placed.eventId],
  );
  await deliver(declined);
  assert.equal((await view(queries, 'alice', 'o-2')).statuses, ['PENDING_PAYMENT', 'DECLINED', 'AWAITING_PAYMENT'], 'the redelivery applies it');
});

test('the my page lists its owner’s orders newest first, a page at a time', async () => {
  const { queries, deliver } = myPage();
  for (const [index, orderId] of ['o-a', 'o-b', 'o-c'].entries()) await deliver(purchase(orderId, 'alice', index * 10)[0]);
  await deliver(purchase('o-bob', 'bob', 30)[0]);
  const first = await queries.orders('alice', { customerId: 'alice', pageSize: 2, pageToken: '' });
  assert.equal(
    first.items.map((order) => order.snapshot.orderId),
    ['o-c', 'o-b'],
  );
  const second = await queries.orders('alice', { customerId: 'alice', pageSize: 2, pageToken: first.nextPageToken });
  assert.equal(
    second.items.map((order) => order.snapshot.orderId),
    ['o-a'],
  );
  assert.is(second.nextPageToken, '');
});

test('another customer’s my page and orders are NOT_FOUND; an order without an id is INVALID_ARGUMENT', async () => {
  const { queries, deliver } = myPage();
  await deliver(purchase('o-3', 'alice')[0]);
  for (const read of [
    () => queries.orders('mallory', { customerId: 'alice', pageSize: 0, pageToken: '' }),
    () => queries.order('mallory', 'alice', 'o-3'),
    () => queries.order('mallory', 'mallory', 'o-3'),
  ]) {
    await read().then(
      () => assert.unreachable('read another customer’s my page'),
      (error: unknown) => assert.instance(error, NotFound),
    );
  }
  await queries.order('alice', 'alice', '').then(
    () => assert.unreachable('read an order without an id'),
    (error: unknown) => assert.instance(error, InvalidArgument),
  );
});

test.run();
