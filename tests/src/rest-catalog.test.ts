import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { EDGE, as, rest, uniqueCustomer } from './shop';

test('GET /products lists the seeded catalog in pages, in the proto3 JSON mapping', async () => {
  const first = await rest('GET', '/products?pageSize=3');
  assert.is(first.status, 200);
  assert.is(first.headers.get('content-type'), 'application/json');
  assert.is(first.body.products.length, 3);
  assert.equal(Object.keys(first.body.products[0]).sort(), ['name', 'priceKrw', 'productId', 'stock']);
  assert.is(typeof first.body.products[0].priceKrw, 'string', 'int64 is a JSON string in the proto3 mapping');
  const rest1 = await rest('GET', `/products?pageSize=100&pageToken=${first.body.nextPageToken}`);
  const ids = [...first.body.products, ...rest1.body.products].map((p: { productId: string }) => p.productId);
  assert.is(ids.length, 8);
  assert.equal(ids, [...ids].sort());
  assert.is(rest1.body.nextPageToken, '');
});

test('GET /products/{id} returns one product; an unknown id is 404 with a JSON status', async () => {
  const found = await rest('GET', '/products/keyboard-mech');
  assert.is(found.status, 200);
  assert.is(found.body.product.name, 'Mechanical keyboard');
  assert.is(found.body.product.priceKrw, '129000');
  const missing = await rest('GET', '/products/no-such-thing');
  assert.is(missing.status, 404);
  assert.is(missing.body.code, 5);
  assert.is(missing.body.message, 'product "no-such-thing" not found');
});

test('bad paging input is 400: page size out of range, forged token, unknown query parameter', async () => {
  for (const query of ['pageSize=101', 'pageSize=-1', 'pageToken=forged', 'colour=red']) {
    const response = await rest('GET', `/products?${query}`);
    assert.is(response.status, 400, query);
    assert.is(response.body.code, 3, query);
  }
});

test('an unknown route is 404 as JSON', async () => {
  for (const [method, path] of [
    ['GET', '/nowhere'],
    ['GET', '/wishlists/x'],
  ]) {
    const response = await rest(method, path, { headers: as(uniqueCustomer()) });
    assert.is(response.status, 404, `${method} ${path}`);
    assert.is(response.body.code, 5, `${method} ${path}`);
    assert.type(response.body.message, 'string');
  }
});

test('a method a REST path does not offer is 405 naming the ones it does, as JSON (found by the fuzzing suite)', async () => {
  const customer = uniqueCustomer();
  const cases: [string, string, string][] = [
    ['DELETE', '/products/keyboard-mech', 'GET'],
    ['PUT', '/orders', 'GET, POST'],
    ['GET', '/orders/6f1c2b1e-0000-4000-8000-000000000000:pay', 'POST'],
    ['PATCH', `/mypages/${customer}/orders/x`, 'GET'],
    ['DELETE', `/carts/${customer}/cancellations`, 'GET'],
  ];
  for (const [method, path, allowed] of cases) {
    const response = await rest(method, path, { headers: as(customer) });
    assert.is(response.status, 405, `${method} ${path}`);
    assert.is(response.headers.get('allow'), allowed, `${method} ${path}`);
    assert.is(response.body.code, 12, `${method} ${path}: UNIMPLEMENTED`);
  }
  // The methods a path does offer still reach the service.
  assert.is((await rest('GET', '/products/keyboard-mech')).status, 200);
  const pay = await rest('POST', '/orders/6f1c2b1e-0000-4000-8000-000000000000:pay', { headers: as(customer), body: {} });
  assert.equal([pay.status, pay.body.code], [404, 5], 'the order service answered: no such order');
  assert.match(pay.body.message, /not found/);
});

test('CORS preflight is answered at the edge for an allowed origin, with credentials, and for no other', async () => {
  const preflight = (origin: string) =>
    fetch(`${EDGE}/orders`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization' },
    });
  const allowed = await preflight('http://localhost:3000');
  assert.is(allowed.status, 200);
  assert.is(allowed.headers.get('access-control-allow-origin'), 'http://localhost:3000');
  assert.is(allowed.headers.get('access-control-allow-credentials'), 'true');
  assert.match(allowed.headers.get('access-control-allow-headers') ?? '', /authorization/);
  const foreign = await preflight('http://evil.example');
  assert.is(foreign.headers.get('access-control-allow-origin'), null);
});

test.run();
