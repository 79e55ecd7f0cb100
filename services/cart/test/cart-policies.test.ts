import { randomUUID } from 'node:crypto';
import { Metadata } from '@grpc/grpc-js';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { QueryTypes, type Sequelize } from 'sequelize';
import { connectDatabase } from '@funshop/platform/db/database';
import { migrate } from '@funshop/platform/db/migrations';
import { Statements } from '@funshop/platform/db/statements';
import { scopeOf, type TransactionScope } from '@funshop/platform/db/transaction-scope';
import { createLogger } from '@funshop/platform/logger';
import { Metrics } from '@funshop/platform/metrics';
import { CartPolicies } from '../app/cart-policies';
import { CartQueries } from '../app/cart-queries';
import { cartGrpcService } from '../adapters/in/cart-grpc';
import { defineModels } from '../adapters/out/models';
import { SequelizeCartUnitOfWork } from '../adapters/out/sequelize-unit-of-work';
import { SequelizeCancellationRepository, SequelizeCartOrderRepository } from '../adapters/out/sequelize-repositories';
import { migrations } from '../migrations';

const it = suite('cart policies on MariaDB', {} as { sequelize: Sequelize });
let policies: CartPolicies;
let queries: CartQueries;
const items = [{ productId: 'lamp', productName: 'Lamp', quantity: 2, unitPriceKrw: 32_000 }];

it.before(async (context) => {
  const logger = createLogger('cart-test', 'silent');
  const url = new URL(process.env.CART_TEST_DATABASE_URL ?? 'mysql://funshop:funshop@127.0.0.1:3306/funshop_test_cart_it');
  context.sequelize = await connectDatabase({ url, poolMax: 10, connectTimeoutMs: 10_000 }, logger);
  await migrate(context.sequelize, migrations, logger);
  defineModels(context.sequelize);
  policies = new CartPolicies(new SequelizeCartUnitOfWork(new Statements(context.sequelize)), { now: () => new Date() }, { newId: () => randomUUID() });
  queries = new CartQueries(new SequelizeCartOrderRepository(new Statements(context.sequelize), {}), new SequelizeCancellationRepository());
});
it.after(({ sequelize }) => sequelize.close());

/** As an event consumer runs a policy: in a transaction it opened, whose scope the policy joins. */
function inTransaction(sequelize: Sequelize, work: (scope: TransactionScope) => Promise<void>) {
  return sequelize.transaction((transaction) => work(scopeOf(transaction)));
}

it('placed → awaiting payment; paid → order-completed; the cart announces nothing', async ({ sequelize }) => {
  const customerId = `c-${randomUUID().slice(0, 8)}`;
  const orderId = randomUUID();
  await inTransaction(sequelize, (scope) => policies.orderPlaced(scope, { orderId, customerId, items }));
  let cart = await queries.cart(customerId, customerId);
  assert.is(cart.cartOrders[0].snapshot.status, 'AWAITING_PAYMENT');
  assert.equal(cart.cartOrders[0].snapshot.items, items);
  assert.is(cart.awaitingPaymentKrw, 64_000, 'two lamps awaiting payment');
  await inTransaction(sequelize, (scope) => policies.orderPaid(scope, { orderId, customerId }));
  cart = await queries.cart(customerId, customerId);
  assert.is(cart.cartOrders[0].snapshot.status, 'ORDER_COMPLETED');
  assert.is(cart.awaitingPaymentKrw, 0, 'nothing left to pay');

  assert.is(cart.cartOrders[0].snapshot.version, 2);

  // Its status follows from the order's events alone, which the my page consumes itself.
  const [{ n }] = await sequelize.query<{ n: number }>('SELECT COUNT(*) AS n FROM outbox_events WHERE aggregate_id = ?', {
    replacements: [orderId],
    type: QueryTypes.SELECT,
  });
  assert.is(Number(n), 0);
});

it('cancellation arriving before the placement: the entry ends cancelled, with its items and one record', async ({ sequelize }) => {
  const customerId = `c-${randomUUID().slice(0, 8)}`;
  const orderId = randomUUID();
  await inTransaction(sequelize, (scope) => policies.orderEnded(scope, { orderId, customerId, reason: 'not paid in time' }));
  await inTransaction(sequelize, (scope) => policies.orderPlaced(scope, { orderId, customerId, items }));
  await inTransaction(sequelize, (scope) => policies.orderEnded(scope, { orderId, customerId, reason: 'not paid in time' }));
  const [entry] = (await queries.cart(customerId, customerId)).cartOrders;
  assert.is(entry.snapshot.status, 'CANCELLED');
  assert.equal(entry.snapshot.items, items);
  const page = await queries.listCancellations(customerId, { customerId, pageSize: 0, pageToken: '' });
  assert.equal(
    page.items.map(({ cancellation }) => [cancellation.orderId, cancellation.reason]),
    [[orderId, 'not paid in time']],
  );
  assert.equal(page.items[0].cartOrder?.snapshot.items, items, 'with the items of the order it cancelled');
});

it('cancellations are listed newest first, page by page', async ({ sequelize }) => {
  const customerId = `c-${randomUUID().slice(0, 8)}`;
  const orders = [randomUUID(), randomUUID(), randomUUID()];
  for (const orderId of orders) {
    await inTransaction(sequelize, (scope) => policies.orderPlaced(scope, { orderId, customerId, items }));
    await inTransaction(sequelize, (scope) => policies.orderEnded(scope, { orderId, customerId, reason: `r-${orderId}` }));
  }
  const first = await queries.listCancellations(customerId, { customerId, pageSize: 2, pageToken: '' });
  const second = await queries.listCancellations(customerId, { customerId, pageSize: 2, pageToken: first.nextPageToken });
  assert.equal(
    [...first.items, ...second.items].map(({ cancellation }) => cancellation.orderId),
    [...orders].reverse(),
  );
  assert.is(second.nextPageToken, '');
});

it('a page of cancellations reads the items of all its orders with one query', async ({ sequelize }) => {
  const customerId = `c-${randomUUID().slice(0, 8)}`;
  const orders = [randomUUID(), randomUUID(), randomUUID()];
  for (const [index, orderId] of orders.entries()) {
    const ofOrder = [{ ...items[0], productId: `item-${index}` }];
    await inTransaction(sequelize, (scope) => policies.orderPlaced(scope, { orderId, customerId, items: ofOrder }));
    await inTransaction(sequelize, (scope) => policies.orderEnded(scope, { orderId, customerId, reason: 'changed my mind' }));
  }
  const metrics = new Metrics();
  const cartOrders = new SequelizeCartOrderRepository(new Statements(sequelize), { metrics });
  const service = cartGrpcService(new CartQueries(cartOrders, new SequelizeCancellationRepository()));
  const metadata = new Metadata();
  metadata.set('x-customer-id', customerId);
  const context = { method: 'ListCancellations', correlationId: 'cancellations-test', metadata, signal: new AbortController().signal };

  const page = await service.listCancellations({ customerId, pageSize: 10, pageToken: '' }, context);

  assert.equal(
    page.cancellations.map((c) => [c.orderId, c.items.map((item) => item.productId)]),
    [...orders].reverse().map((orderId) => [orderId, [`item-${orders.indexOf(orderId)}`]]),
  );
  assert.is(await metrics.value('funshop_coalesced_read_queries_total', { reader: 'cart_order' }), 1, 'one query for the items of three cancellations');
});

it('another customer’s cart is NOT_FOUND', async () => {
  try {
    await queries.cart('mallory', 'alice');
    assert.unreachable('read another customer’s cart');
  } catch (error) {
    assert.match((error as Error).message, /cart of customer alice not found/);
  }
});

it.run();
