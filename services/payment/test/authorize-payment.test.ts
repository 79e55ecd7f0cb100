import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { QueryTypes, type Sequelize } from 'sequelize';
import { connectDatabase } from '@funshop/platform/db/database';
import { migrate } from '@funshop/platform/db/migrations';
import { FailedPrecondition } from '@funshop/platform/errors';
import { createLogger } from '@funshop/platform/logger';
import { Outbox } from '@funshop/platform/messaging/outbox';
import { AuthorizePayment } from '../app/authorize-payment';
import { RefundPolicy } from '../app/refund-policy';
import { scopeOf } from '@funshop/platform/db/transaction-scope';
import { defineModels } from '../adapters/out/models';
import { SequelizeUnitOfWork } from '../adapters/out/sequelize-unit-of-work';
import { migrations } from '../migrations';

const it = suite('payments on MariaDB', {} as { sequelize: Sequelize; unitOfWork: SequelizeUnitOfWork; receipts: string });
const clock = { now: () => new Date() };
const card = { number: '4242424242424242', expiryMonth: 12, expiryYear: 2099, cvc: '123' };

it.before(async (context) => {
  const logger = createLogger('payment-test', 'silent');
  const url = new URL(process.env.PAYMENT_TEST_DATABASE_URL ?? 'mysql://funshop:funshop@127.0.0.1:3306/funshop_test_payment_it');
  context.sequelize = await connectDatabase({ url, poolMax: 20, connectTimeoutMs: 10_000 }, logger);
  await migrate(context.sequelize, migrations, logger);
  defineModels(context.sequelize);
  // Not there yet: the first receipt makes it.
  context.receipts = join(mkdtempSync(join(tmpdir(), 'funshop-receipts-')), 'receipts');
  context.unitOfWork = new SequelizeUnitOfWork(context.sequelize, new Outbox(context.sequelize), context.receipts, logger);
});
it.after(async ({ sequelize, receipts }) => {
  await sequelize.close();
  // The temporary folder the receipts went to: nothing of a run stays on the machine.
  rmSync(dirname(receipts), { recursive: true, force: true });
});

const authorize = (unitOfWork: SequelizeUnitOfWork) => new AuthorizePayment(unitOfWork, clock, { newId: () => randomUUID() });
const events = (sequelize: Sequelize, orderId: string) =>
  sequelize.query<{ event_type: string }>(
    'SELECT o.event_type FROM outbox_events o JOIN payments p ON p.payment_id = o.aggregate_id WHERE p.order_id = ? ORDER BY o.id',
    { replacements: [orderId], type: QueryTypes.SELECT },
  );

it('concurrent retries for one order charge it once, and announce nothing (the order service announces it as OrderPaid)', async ({ sequelize, unitOfWork }) => {
  const orderId = randomUUID();
  const payments = await Promise.all(Array.from({ length: 6 }, () => authorize(unitOfWork).execute({ customerId: 'alice', orderId, amountKrw: 50_000, card })));
  assert.is(new Set(payments.map((p) => p.snapshot.paymentId)).size, 1);
  const [{ n }] = await sequelize.query<{ n: number }>("SELECT COUNT(*) AS n FROM payments WHERE order_id = ? AND status = 'APPROVED'", {
    replacements: [orderId],
    type: QueryTypes.SELECT,
  });
  assert.is(Number(n), 1);
  assert.equal(
    (await events(sequelize, orderId)).map((e) => e.event_type),
    [],
  );
});

it('a declined card is recorded with its event, and another card may then be tried', async ({ sequelize, unitOfWork }) => {
  const orderId = randomUUID();
  const declined = await authorize(unitOfWork).execute({ customerId: 'alice', orderId, amountKrw: 10_000, card: { ...card, number: '4000000000000002' } });
  assert.is(declined.snapshot.status, 'DECLINED');
  const approved = await authorize(unitOfWork).execute({ customerId: 'alice', orderId, amountKrw: 10_000, card });
  assert.is(approved.snapshot.status, 'APPROVED');
  assert.equal(
    (await events(sequelize, orderId)).map((e) => e.event_type),
    ['funshop.payment.v1.PaymentDeclined'],
  );
});

it('an ended order refunds its payment once, with an event and a receipt, and is never charged again', async ({ sequelize, unitOfWork, receipts }) => {
  const orderId = randomUUID();
  const payment = await authorize(unitOfWork).execute({ customerId: 'bob', orderId, amountKrw: 20_000, card });
  const policy = new RefundPolicy(unitOfWork, clock);
  await sequelize.transaction((t) => policy.orderEnded(scopeOf(t), { orderId, reason: 'changed my mind' }));
  await sequelize.transaction((t) => policy.orderEnded(scopeOf(t), { orderId, reason: 'changed my mind' }));
  const refunded = await unitOfWork.payments.find(payment.snapshot.paymentId);
  assert.is(refunded?.snapshot.status, 'CANCELLED');
  assert.equal(
    (await events(sequelize, orderId)).map((e) => e.event_type),
    ['funshop.payment.v1.PaymentCancelled'],
  );
  try {
    await authorize(unitOfWork).execute({ customerId: 'bob', orderId, amountKrw: 20_000, card });
    assert.unreachable('charged a cancelled order');
  } catch (error) {
    assert.instance(error, FailedPrecondition);
  }
  // Receipts are written after the commit, off the request's path.
  const receiptFiles = () =>
    readdirSync(receipts)
      .filter((f) => f.startsWith(payment.snapshot.paymentId))
      .sort();
  for (let tries = 0; receiptFiles().length < 2 && tries < 50; tries++) await new Promise((resolve) => setTimeout(resolve, 20));
  const files = receiptFiles();
  assert.equal(files, [`${payment.snapshot.paymentId}.approved.json`, `${payment.snapshot.paymentId}.cancelled.json`]);
  const receipt = JSON.parse(readFileSync(join(receipts, files[1]), 'utf8'));
  assert.is(receipt.cardLast4, '4242');
  assert.not.match(JSON.stringify(receipt), /4242424242424242/);
});

it('a cancellation that arrives before the payment: the order is refused, not charged', async ({ sequelize, unitOfWork }) => {
  const orderId = randomUUID();
  await sequelize.transaction((t) => new RefundPolicy(unitOfWork, clock).orderEnded(scopeOf(t), { orderId, reason: 'expired' }));
  try {
    await authorize(unitOfWork).execute({ customerId: 'carol', orderId, amountKrw: 5_000, card });
    assert.unreachable('charged an order that had already ended');
  } catch (error) {
    assert.match((error as Error).message, /was cancelled; it cannot be paid/);
  }
  assert.equal(await events(sequelize, orderId), []);
});

it.run();
