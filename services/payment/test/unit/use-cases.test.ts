import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FailedPrecondition } from '@funshop/platform/errors';
import type { TransactionScope } from '@funshop/platform/db/transaction-scope';
import { AuthorizePayment } from '../../app/authorize-payment';
import { RefundPolicy } from '../../app/refund-policy';
import { InMemoryUnitOfWork } from '../../adapters/out/memory/in-memory-unit-of-work';

// The payment service's use cases on in-memory adapters: charge at most once, never after the
// order ended, refund once. The same use cases run on MariaDB in test/authorize-payment.test.ts.

const CARD = { number: '4242 4242 4242 4242', expiryMonth: 12, expiryYear: 2099, cvc: '123', holderName: 'Kim Minji' };
const DECLINED = { ...CARD, number: '4000000000000002' };
/** The in-memory unit of work joins whatever transaction `run` opened; the scope is only passed on. */
const SCOPE = {} as TransactionScope;

function payments() {
  let sequence = 0;
  const unitOfWork = new InMemoryUnitOfWork();
  const clock = { now: () => new Date('2026-12-02T10:00:00Z') };
  const authorize = new AuthorizePayment(unitOfWork, clock, { newId: () => `pay-${++sequence}` });
  const refunds = new RefundPolicy(unitOfWork, clock);
  const orderEnded = (orderId: string) => unitOfWork.run(() => refunds.orderEnded(SCOPE, { orderId, reason: 'changed my mind' }));
  return { unitOfWork, authorize, orderEnded };
}

const eventTypes = (unitOfWork: InMemoryUnitOfWork) => unitOfWork.events.map((event) => event.eventType);

test('an order is charged at most once: a retry returns the approved payment; a decline is recorded and paying again may succeed', async () => {
  const { unitOfWork, authorize } = payments();
  const declined = await authorize.execute({ customerId: 'alice', orderId: 'o-1', amountKrw: 32_000, card: DECLINED });
  assert.equal([declined.snapshot.status, declined.snapshot.declineReason], ['DECLINED', 'card declined']);
  const approved = await authorize.execute({ customerId: 'alice', orderId: 'o-1', amountKrw: 32_000, card: CARD });
  const again = await authorize.execute({ customerId: 'alice', orderId: 'o-1', amountKrw: 32_000, card: CARD });
  assert.is(again.snapshot.paymentId, approved.snapshot.paymentId, 'the retry got the first approval');
  assert.equal(eventTypes(unitOfWork), ['declined'], 'an approval is announced by the order service, not here');
  assert.equal(unitOfWork.receipts, [`${approved.snapshot.paymentId}.approved`]);
});

test('a retry with a card that would be declined still gets the approval: no decline recorded, nothing charged again', async () => {
  const { unitOfWork, authorize } = payments();
  const approved = await authorize.execute({ customerId: 'alice', orderId: 'o-5', amountKrw: 32_000, card: CARD });
  const retried = await authorize.execute({ customerId: 'alice', orderId: 'o-5', amountKrw: 32_000, card: DECLINED });
  assert.is(retried.snapshot.paymentId, approved.snapshot.paymentId);
  assert.is(retried.snapshot.status, 'APPROVED');
  assert.equal(eventTypes(unitOfWork), []);
});

test('an order that ended is never charged, even when the news came before the payment', async () => {
  const { unitOfWork, authorize, orderEnded } = payments();
  await orderEnded('o-2');
  try {
    await authorize.execute({ customerId: 'alice', orderId: 'o-2', amountKrw: 32_000, card: CARD });
    assert.unreachable('charged an ended order');
  } catch (error) {
    assert.instance(error, FailedPrecondition);
  }
  assert.equal(eventTypes(unitOfWork), []);
});

test('an order that ends after its payment is refunded once, with PaymentCancelled and a receipt', async () => {
  const { unitOfWork, authorize, orderEnded } = payments();
  const payment = await authorize.execute({ customerId: 'alice', orderId: 'o-3', amountKrw: 32_000, card: CARD });
  await orderEnded('o-3');
  await orderEnded('o-3');
  assert.is((await unitOfWork.payments.find(payment.snapshot.paymentId))!.snapshot.status, 'CANCELLED');
  assert.equal(eventTypes(unitOfWork), ['cancelled']);
  assert.equal(unitOfWork.receipts, [`${payment.snapshot.paymentId}.approved`, `${payment.snapshot.paymentId}.cancelled`]);
});

test('another customer asking about the order gets NOT_FOUND, not the payment', async () => {
  const { authorize } = payments();
  await authorize.execute({ customerId: 'alice', orderId: 'o-4', amountKrw: 32_000, card: CARD });
  try {
    await authorize.execute({ customerId: 'mallory', orderId: 'o-4', amountKrw: 32_000, card: CARD });
    assert.unreachable('handed alice’s payment to mallory');
  } catch (error) {
    assert.match((error as Error).message, /order o-4 not found/);
  }
});

test.run();
