import { randomUUID } from 'node:crypto';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Sequelize } from 'sequelize';
import { Metrics } from '@funshop/platform/metrics';
import { Outbox } from '@funshop/platform/messaging/outbox';
import { Catalog } from '../app/catalog';
import { GetOrder } from '../app/get-order';
import { PlaceOrder } from '../app/place-order';
import { SequelizeUnitOfWork } from '../adapters/out/sequelize-unit-of-work';
import { createProduct, openTestDatabase } from './database';

const it = suite('order reads on MariaDB', {} as { sequelize: Sequelize; unitOfWork: SequelizeUnitOfWork; metrics: Metrics });

it.before(async (context) => {
  const { sequelize } = await openTestDatabase();
  context.sequelize = sequelize;
  context.metrics = new Metrics();
  context.unitOfWork = new SequelizeUnitOfWork(sequelize, new Outbox(sequelize), context.metrics);
});
it.after(async ({ sequelize }) => sequelize.close());

const clock = { now: () => new Date() };
const ids = { newId: () => randomUUID() };
const queries = (metrics: Metrics, reader: string) => metrics.value('funshop_coalesced_read_queries_total', { reader });

it('concurrent GetOrder and GetProduct calls share queries, and each gets its own order and product', async ({ unitOfWork, metrics }) => {
  const products = await Promise.all([createProduct(50, 1_000), createProduct(50, 2_000), createProduct(50, 3_000)]);
  const placed: { customerId: string; orderId: string; productId: string; quantity: number }[] = [];
  for (const [index, productId] of products.entries()) {
    const customerId = `reader-${index}-${randomUUID().slice(0, 8)}`;
    const order = await new PlaceOrder(unitOfWork, clock, ids, 60_000).execute({
      customerId,
      items: [{ productId, quantity: index + 1 }],
      idempotencyKey: undefined,
    });
    placed.push({ customerId, orderId: order.orderId, productId, quantity: index + 1 });
  }
  const orderQueriesBefore = await queries(metrics, 'order');
  const productQueriesBefore = await queries(metrics, 'product');

  // Every order read four times and every product twice, all asked for at once, as concurrent calls would.
  const getOrder = new GetOrder(unitOfWork);
  const catalog = new Catalog(unitOfWork);
  const [orders, found] = await Promise.all([
    Promise.all(placed.flatMap((p) => Array.from({ length: 4 }, () => getOrder.execute({ customerId: p.customerId, orderId: p.orderId })))),
    Promise.all([...products, ...products].map((productId) => catalog.getProduct(productId))),
  ]);

  orders.forEach((order, index) => {
    const expected = placed[Math.floor(index / 4)];
    assert.is(order.orderId, expected.orderId);
    assert.is(order.snapshot.customerId, expected.customerId);
    assert.equal(
      order.snapshot.lines.map((line) => [line.productId, line.quantity]),
      [[expected.productId, expected.quantity]],
    );
  });
  assert.equal(
    found.map((product) => [product.productId, product.stock]),
    [...placed, ...placed].map((p) => [p.productId, 50 - p.quantity]),
  );
  assert.is((await queries(metrics, 'order')) - orderQueriesBefore, 1, 'twelve order reads, one query');
  assert.is((await queries(metrics, 'product')) - productQueriesBefore, 1, 'six product reads, one query');

  // Two reads of one order are two orders: a caller changing its copy changes nobody else's.
  const [first, second] = orders;
  assert.is.not(first, second);
  first.cancel('changed by its reader only', new Date());
  assert.is(second.status, 'PENDING_PAYMENT');
});

it('an order read right after it changed shows the change, and another customer still cannot read it', async ({ unitOfWork }) => {
  const productId = await createProduct(5);
  const customerId = `reader-${randomUUID().slice(0, 8)}`;
  const order = await new PlaceOrder(unitOfWork, clock, ids, 60_000).execute({ customerId, items: [{ productId, quantity: 1 }], idempotencyKey: undefined });
  const getOrder = new GetOrder(unitOfWork);
  assert.is((await getOrder.execute({ customerId, orderId: order.orderId })).status, 'PENDING_PAYMENT');
  await unitOfWork.run(async ({ orders }) => {
    const current = (await orders.find(order.orderId))!;
    const version = current.snapshot.version;
    current.cancel('read-after-write test', new Date());
    await orders.update(current, version);
  });
  const [after, stranger] = await Promise.allSettled([
    getOrder.execute({ customerId, orderId: order.orderId }),
    getOrder.execute({ customerId: 'someone-else', orderId: order.orderId }),
  ]);
  assert.is(after.status === 'fulfilled' && after.value.status, 'CANCELLED');
  assert.is(stranger.status === 'rejected' && (stranger.reason as Error).constructor.name, 'NotFound');
});

it.run();
