import { randomUUID } from 'node:crypto';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Sequelize } from 'sequelize';
import { ConcurrentModification, FailedPrecondition, InvalidArgument } from '@funshop/platform/errors';
import { CancelOrder } from '../app/cancel-order';
import { ForgetIdempotencyKeys } from '../app/forget-idempotency-keys';
import { ListOrders } from '../app/list-orders';
import { PlaceOrder } from '../app/place-order';
import { OrderRow } from '../adapters/out/models';
import type { SequelizeUnitOfWork } from '../adapters/out/sequelize-unit-of-work';
import { createProduct, openTestDatabase, stockOf } from './database';

const it = suite('PlaceOrder and CancelOrder on MariaDB', {} as { sequelize: Sequelize; unitOfWork: SequelizeUnitOfWork });
const clock = { now: () => new Date() };
const ids = { newId: () => randomUUID() };

it.before(async (context) => {
  Object.assign(context, await openTestDatabase());
});
it.after(async ({ sequelize }) => sequelize.close());

const placeOrder = (unitOfWork: SequelizeUnitOfWork) => new PlaceOrder(unitOfWork, clock, ids, 60_000);
const customer = () => `c-${randomUUID().slice(0, 8)}`;

it('N concurrent orders for stock k: exactly k succeed and stock ends at 0, never below', async ({ unitOfWork }) => {
  const stock = 7;
  const attempts = 30;
  const productId = await createProduct(stock);
  const results = await Promise.allSettled(
    Array.from({ length: attempts }, () =>
      placeOrder(unitOfWork).execute({ customerId: customer(), items: [{ productId, quantity: 1 }], idempotencyKey: undefined }),
    ),
  );
  const succeeded = results.filter((r) => r.status === 'fulfilled').length;
  const refused = results.filter((r) => r.status === 'rejected' && r.reason instanceof FailedPrecondition).length;
  assert.is(succeeded, stock);
  assert.is(refused, attempts - stock, 'every other attempt fails with FAILED_PRECONDITION');
  assert.is(await stockOf(productId), 0);
  assert.is(await countOrdersFor(productId), stock);
});

async function countOrdersFor(productId: string): Promise<number> {
  const [rows] = await OrderRow.sequelize!.query('SELECT COUNT(*) AS n FROM order_lines WHERE product_id = ?', { replacements: [productId] });
  return Number((rows as { n: number }[])[0].n);
}

it('an order that cannot get all its stock reserves none of it', async ({ unitOfWork }) => {
  const plenty = await createProduct(10);
  const scarce = await createProduct(1);
  try {
    await placeOrder(unitOfWork).execute({
      customerId: customer(),
      items: [
        { productId: plenty, quantity: 3 },
        { productId: scarce, quantity: 2 },
      ],
      idempotencyKey: undefined,
    });
    assert.unreachable('an order beyond the stock was placed');
  } catch (error) {
    assert.instance(error, FailedPrecondition);
    assert.match((error as Error).message, new RegExp(`not enough stock of "${scarce}": 2 asked, 1 left`));
  }
  assert.is(await stockOf(plenty), 10);
  assert.is(await stockOf(scarce), 1);
});

it('a retried PlaceOrder with the same idempotency key returns the first order, even when retries race', async ({ unitOfWork }) => {
  const productId = await createProduct(50);
  const customerId = customer();
  const command = { customerId, items: [{ productId, quantity: 2 }], idempotencyKey: `key-${randomUUID()}` };
  const orders = await Promise.all(Array.from({ length: 8 }, () => placeOrder(unitOfWork).execute(command)));
  assert.is(new Set(orders.map((o) => o.orderId)).size, 1, 'one order for one key');
  const later = await placeOrder(unitOfWork).execute({ ...command, items: [{ productId, quantity: 2 }] });
  assert.is(later.orderId, orders[0].orderId);
  assert.is(await stockOf(productId), 48, 'stock reserved once');
  assert.is(await OrderRow.count({ where: { customerId } }), 1);
});

it('reusing an idempotency key for a different order is INVALID_ARGUMENT', async ({ unitOfWork }) => {
  const productId = await createProduct(50);
  const command = { customerId: customer(), items: [{ productId, quantity: 1 }], idempotencyKey: 'same-key' };
  await placeOrder(unitOfWork).execute(command);
  try {
    await placeOrder(unitOfWork).execute({ ...command, items: [{ productId, quantity: 3 }] });
    assert.unreachable('a reused key placed a different order');
  } catch (error) {
    assert.instance(error, InvalidArgument);
    assert.match((error as Error).message, /idempotency-key: was already used for a different request/);
  }
  assert.is(await stockOf(productId), 49);
});

it('the same idempotency key from two customers gives two orders', async ({ unitOfWork }) => {
  const productId = await createProduct(50);
  const items = [{ productId, quantity: 1 }];
  const first = await placeOrder(unitOfWork).execute({ customerId: customer(), items, idempotencyKey: 'shared' });
  const second = await placeOrder(unitOfWork).execute({ customerId: customer(), items, idempotencyKey: 'shared' });
  assert.is.not(first.orderId, second.orderId);
});

it('an idempotency key is kept for its time to live, then forgotten: a retry after that is a new order', async ({ unitOfWork }) => {
  const productId = await createProduct(50);
  const command = { customerId: customer(), items: [{ productId, quantity: 1 }], idempotencyKey: `key-${randomUUID()}` };
  const first = await placeOrder(unitOfWork).execute(command);
  const ttlMs = 24 * 3_600_000;
  const atTheEnd = { now: () => new Date(first.snapshot.createdAt.getTime() + ttlMs) };
  // (Other tests' keys are older and go now: the sweep is for the whole table.)
  await new ForgetIdempotencyKeys(unitOfWork, atTheEnd, ttlMs).runOnce();
  assert.is((await placeOrder(unitOfWork).execute(command)).orderId, first.orderId, 'kept for the whole time to live');

  const justAfter = { now: () => new Date(first.snapshot.createdAt.getTime() + ttlMs + 1) };
  assert.ok((await new ForgetIdempotencyKeys(unitOfWork, justAfter, ttlMs).runOnce(1, 1_000)) >= 1, 'forgotten just after, in chunks of one');
  assert.is(await new ForgetIdempotencyKeys(unitOfWork, justAfter, ttlMs).runOnce(), 0);
  const again = await placeOrder(unitOfWork).execute(command);
  assert.is.not(again.orderId, first.orderId, 'a new order under the forgotten key');
  assert.is((await placeOrder(unitOfWork).execute(command)).orderId, again.orderId, 'and the key now names it');
  assert.is(await stockOf(productId), 48);
});

it('cancelling puts the stock back exactly once, even when two cancels race', async ({ unitOfWork }) => {
  const productId = await createProduct(10);
  const customerId = customer();
  const order = await placeOrder(unitOfWork).execute({ customerId, items: [{ productId, quantity: 4 }], idempotencyKey: undefined });
  assert.is(await stockOf(productId), 6);
  const cancel = new CancelOrder(unitOfWork, clock);
  const results = await Promise.allSettled([1, 2, 3].map(() => cancel.execute({ customerId, orderId: order.orderId, reason: 'r' })));
  assert.is(results.filter((r) => r.status === 'fulfilled').length, 1);
  for (const result of results) {
    if (result.status === 'rejected') {
      assert.ok(result.reason instanceof ConcurrentModification || result.reason instanceof FailedPrecondition, String(result.reason));
    }
  }
  assert.is(await stockOf(productId), 10);
});

it('saving an order read before someone else changed it is a concurrent modification', async ({ unitOfWork }) => {
  const productId = await createProduct(10);
  const customerId = customer();
  const { orderId } = await placeOrder(unitOfWork).execute({ customerId, items: [{ productId, quantity: 1 }], idempotencyKey: undefined });
  const orders = unitOfWork.repositories.orders;
  const mine = (await orders.find(orderId))!;
  const theirs = (await orders.find(orderId))!;
  theirs.markPaid('pay-1', new Date());
  await orders.update(theirs, 1);
  mine.cancel('too late', new Date());
  try {
    await orders.update(mine, 1);
    assert.unreachable('a stale write overwrote a newer one');
  } catch (error) {
    assert.instance(error, ConcurrentModification);
  }
  const stored = (await orders.find(orderId))!;
  assert.is(stored.status, 'PAID');
  assert.is(stored.snapshot.version, 2);
});

it('lists a customer’s orders newest first, page by page, without gaps or repeats', async ({ unitOfWork }) => {
  const productId = await createProduct(50);
  const customerId = customer();
  const placed: string[] = [];
  for (let i = 0; i < 5; i++) {
    placed.push((await placeOrder(unitOfWork).execute({ customerId, items: [{ productId, quantity: 1 }], idempotencyKey: undefined })).orderId);
  }
  const list = new ListOrders(unitOfWork);
  const seen: string[] = [];
  let pageToken = '';
  do {
    const page = await list.execute({ customerId, pageSize: 2, pageToken });
    assert.ok(page.items.length <= 2);
    seen.push(...page.items.map((o) => o.orderId));
    pageToken = page.nextPageToken;
  } while (pageToken);
  assert.equal(seen, [...placed].reverse());
});

it.run();
