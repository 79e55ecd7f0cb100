import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { InvalidArgument } from '../src/errors';
import { card, check, customerId, identifier, pageToken, text } from '../src/grpc/request-rules';

const fields = (violations: { field: string }[]) => violations.map((v) => v.field);

test('identifiers: required, at most 64 characters, letters and digits first, then . _ : - too', () => {
  assert.equal(identifier('order_id', '3f2a9c1e-7b44-4b8a-9d0e-1c2b3a4d5e6f'), []);
  assert.equal(identifier('product_id', 'keyboard-mech'), []);
  assert.equal(identifier('product_id', 'x'.repeat(64)), []);
  for (const bad of ['', 'x'.repeat(65), '-leading', 'has space', 'semi;colon', 'ünï', 'x'.repeat(20_000)]) {
    assert.equal(fields(identifier('product_id', bad)), ['product_id'], JSON.stringify(bad.slice(0, 20)));
  }
  assert.equal(identifier('page', '', { required: false }), []);
});

test('customer ids, texts and page tokens', () => {
  assert.equal(customerId('customer_id', 'e2e-ab_12'), []);
  assert.equal(fields(customerId('customer_id', 'a.b')), ['customer_id']);
  assert.equal(text('reason', 'changed my mind 😀', 200), []);
  assert.equal(text('reason', '😀'.repeat(200), 200), [], 'counted in characters, not UTF-16 units');
  assert.equal(fields(text('reason', 'r'.repeat(201), 200)), ['reason']);
  assert.equal(fields(text('reason', 'a\nb', 200)), ['reason']);
  assert.equal(pageToken('page_token', ''), []);
  assert.equal(pageToken('page_token', Buffer.from('["a",1]').toString('base64url')), []);
  assert.equal(fields(pageToken('page_token', 'A'.repeat(513))), ['page_token']);
  assert.equal(fields(pageToken('page_token', 'not/base64url=')), ['page_token']);
});

test('the card message: digits and spaces, a short cvc, a bounded holder name', () => {
  const good = { number: '4242 4242 4242 4242', cvc: '123', holderName: 'Kim Funshop' };
  assert.equal(card('card', good), []);
  assert.equal(card('card', undefined), []);
  assert.equal(fields(card('card', { number: '4242-4242', cvc: '12345', holderName: 'h'.repeat(101) })), ['card.number', 'card.cvc', 'card.holder_name']);
});

test('check throws one INVALID_ARGUMENT with every violation, and never quotes the value', () => {
  const huge = 'q'.repeat(20_000);
  try {
    check((request: { a: string; b: string }) => [...identifier('a', request.a), ...text('b', request.b, 10)], { a: huge, b: huge });
    assert.unreachable('should have thrown');
  } catch (error) {
    assert.instance(error, InvalidArgument);
    assert.equal(fields((error as InvalidArgument).violations), ['a', 'b']);
    assert.not.ok((error as Error).message.includes('qqqq'));
  }
});

test.run();
