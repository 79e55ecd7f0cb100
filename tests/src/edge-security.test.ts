import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mintToken } from '@funshop/tools/dev-keys';
import { as, rest, uniqueCustomer } from './shop';

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

test('REST calls need a valid bearer token: missing, malformed, forged and expired ones are 401', async () => {
  const customer = uniqueCustomer();
  const valid = mintToken(customer);
  const [header, payload] = valid.split('.');
  const forgedPayload = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), sub: 'someone-else' })).toString('base64url');
  const cases: [string, Record<string, string>][] = [
    ['missing', {}],
    ['malformed', bearer('not-a-jwt')],
    ['forged subject', bearer(`${header}.${forgedPayload}.${valid.split('.')[2]}`)],
    ['expired', bearer(mintToken(customer, { ttlSeconds: 60, now: Date.now() - 3_600_000 }))],
  ];
  for (const [what, headers] of cases) {
    const response = await rest('GET', '/orders', { headers });
    assert.is(response.status, 401, what);
    assert.is(response.body.code, 16, what);
  }
  assert.is((await rest('GET', '/orders', { headers: bearer(valid) })).status, 200);
});

test('the customer comes from the token: a spoofed x-customer-id is stripped at the edge', async () => {
  const alice = uniqueCustomer();
  const bob = uniqueCustomer();
  const placed = await rest('POST', '/orders', { body: { items: [{ productId: 'desk-lamp', quantity: 1 }] }, headers: { ...as(alice), 'x-customer-id': bob } });
  assert.is(placed.status, 200);
  assert.is(placed.body.order.customerId, alice);
  const bobsView = await rest('GET', '/orders', { headers: { ...as(bob), 'x-customer-id': alice } });
  assert.equal(bobsView.body.orders, [], 'bob cannot read alice’s orders by claiming to be her');
  const anonymous = await rest('GET', '/orders', { headers: { 'x-customer-id': alice } });
  assert.is(anonymous.status, 401, 'the header alone is no identity');
});

test('the catalog is public', async () => {
  assert.is((await rest('GET', '/products/desk-lamp')).status, 200);
});

test('a burst of order traffic beyond the edge limit is answered 429, fast, and the limit refills', async () => {
  const headers = as(uniqueCustomer());
  const responses = await Promise.all(Array.from({ length: 400 }, () => rest('GET', '/orders?pageSize=1', { headers })));
  const limited = responses.filter((r) => r.status === 429);
  assert.ok(limited.length > 0, 'nothing was rate limited');
  assert.ok(responses.filter((r) => r.status === 200).length >= 100, 'the allowed burst was served');
  assert.is(limited[0].headers.get('x-local-rate-limit'), 'true');
  assert.is(limited[0].body.code, 8, 'RESOURCE_EXHAUSTED in the JSON status');
  assert.is(responses.filter((r) => ![200, 429].includes(r.status)).length, 0);
  await new Promise((resolve) => setTimeout(resolve, 2_100));
  assert.is((await rest('GET', '/orders', { headers })).status, 200);
});

test.run();
