import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Metadata, credentials, status } from '@grpc/grpc-js';
import { OrderServiceClient } from '@funshop/proto/funshop/order/v1/order';
import { mintToken } from '@funshop/tools/dev-keys';
import { EDGE_GRPC, as, rest, uniqueCustomer, until } from './shop';

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

// Each burst places orders that the order service refuses (quantity 0: INVALID_ARGUMENT), so the
// limit is measured without using up any stock; a refused order still took a token at the edge.
const REFUSED_ORDER = { items: [{ productId: 'desk-lamp', quantity: 0 }] };

test('a burst of REST order placements beyond the edge limit is answered 429, fast, and the limit refills', async () => {
  const headers = as(uniqueCustomer());
  const responses = await Promise.all(Array.from({ length: 400 }, () => rest('POST', '/orders', { body: REFUSED_ORDER, headers })));
  const limited = responses.filter((r) => r.status === 429);
  assert.ok(limited.length > 0, 'nothing was rate limited');
  assert.ok(responses.filter((r) => r.status === 400).length >= 100, 'the allowed burst reached the order service');
  assert.is(limited[0].headers.get('x-local-rate-limit'), 'true');
  assert.is(limited[0].body.code, 8, 'RESOURCE_EXHAUSTED in the JSON status');
  assert.is(responses.filter((r) => ![400, 429].includes(r.status)).length, 0);
  // Reading orders is not placing them: never limited.
  const reads = await Promise.all(Array.from({ length: 50 }, () => rest('GET', '/orders?pageSize=1', { headers })));
  assert.equal([...new Set(reads.map((r) => r.status))], [200]);
  await until('the bucket to refill', async () => (await rest('POST', '/orders', { body: REFUSED_ORDER, headers })).status === 400, 5_000);
});

test('native gRPC PlaceOrder through Envoy shares the same limit: a burst gets RESOURCE_EXHAUSTED', async () => {
  const client = new OrderServiceClient(EDGE_GRPC, credentials.createInsecure());
  const metadata = new Metadata();
  metadata.set('authorization', as(uniqueCustomer()).authorization);
  try {
    const codes = await Promise.all(
      Array.from(
        { length: 400 },
        () => new Promise<number>((resolve) => client.placeOrder(REFUSED_ORDER, metadata, (error) => resolve(error?.code ?? status.OK))),
      ),
    );
    // One bucket for both: what the REST burst above left of it is all this burst gets.
    assert.ok(codes.filter((code) => code === status.RESOURCE_EXHAUSTED).length > 0, 'nothing was rate limited');
    assert.ok(codes.includes(status.INVALID_ARGUMENT), 'what the bucket allowed reached the order service');
    assert.equal([...new Set(codes)].sort(), [status.INVALID_ARGUMENT, status.RESOURCE_EXHAUSTED].sort());
  } finally {
    client.close();
  }
});

test.run();
