import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { InvalidArgument } from '@funshop/platform/errors';
import { validateCard } from '../../domain/card';
import { Payment } from '../../domain/payment';

const now = new Date('2026-06-15T00:00:00Z');
const good = { number: '4242 4242 4242 4242', expiryMonth: 12, expiryYear: 2030, cvc: '123' };

function violations(card: Parameters<typeof validateCard>[0]): string[] {
  try {
    validateCard(card, now);
  } catch (error) {
    assert.instance(error, InvalidArgument);
    return (error as InvalidArgument).violations.map((v) => `${v.field}: ${v.description}`);
  }
  throw new Error('expected INVALID_ARGUMENT');
}

test('a valid card keeps only its last four digits', () => {
  assert.equal(validateCard(good, now), { last4: '4242', declineReason: undefined });
});

test('card number: digits only (spaces and dashes ignored), 12..19 long, passing the Luhn check', () => {
  assert.equal(violations({ ...good, number: '4242-4242-4242-4241' }), ['card.number: is not a valid card number (Luhn check failed)']);
  assert.equal(violations({ ...good, number: '4242abcd' }), ['card.number: must be 12..19 digits']);
  assert.equal(violations({ ...good, number: '42424242424' }), ['card.number: must be 12..19 digits']);
});

test('expiry: month 1..12, and valid through the end of its month', () => {
  assert.equal(violations({ ...good, expiryMonth: 13 }), ['card.expiry_month: must be 1..12']);
  assert.equal(validateCard({ ...good, expiryMonth: 6, expiryYear: 2026 }, now).last4, '4242');
  assert.equal(violations({ ...good, expiryMonth: 5, expiryYear: 2026 }), ['card.expiry_year: the card expired at the end of 5/2026']);
  assert.equal(violations({ ...good, expiryYear: 26 }), ['card.expiry_year: must be a four-digit year']);
});

test('cvc: 3 or 4 digits; a missing card is refused', () => {
  assert.equal(violations({ ...good, cvc: '12' }), ['card.cvc: must be 3 or 4 digits']);
  assert.equal(violations(undefined), ['card: is required']);
});

test('documented test cards are declined with their reason, and the payment says so', () => {
  const payment = Payment.authorize({ paymentId: 'p-1', orderId: 'o-1', customerId: 'c', amountKrw: 1000, card: { ...good, number: '4000000000009995' }, now });
  assert.is(payment.snapshot.status, 'DECLINED');
  assert.is(payment.snapshot.declineReason, 'insufficient funds');
  assert.is(payment.snapshot.cardLast4, '9995');
  assert.not.ok(payment.refund('nothing to refund', now));
});

test('an approved payment is refunded once', () => {
  const payment = Payment.authorize({ paymentId: 'p-1', orderId: 'o-1', customerId: 'c', amountKrw: 1000, card: good, now });
  assert.is(payment.snapshot.status, 'APPROVED');
  assert.ok(payment.refund('order cancelled', now));
  assert.is(payment.snapshot.status, 'CANCELLED');
  assert.is(payment.snapshot.version, 2);
  assert.not.ok(payment.refund('again', now));
});

test('the amount must be a positive number of won', () => {
  assert.throws(() => Payment.authorize({ paymentId: 'p', orderId: 'o', customerId: 'c', amountKrw: 0, card: good, now }), /amount_krw/);
});

test.run();
