import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { EDGE, REPO_ROOT, as, rest, run, uniqueCustomer } from './shop';

const COMMITTED = join(REPO_ROOT, 'proto/openapi/funshop.swagger.json');

interface Operation {
  operationId: string;
  parameters?: { name: string; in: string; type?: string }[];
  responses: Record<string, { schema?: { $ref?: string } }>;
  security?: unknown[];
}
type Document = {
  security: Record<string, string[]>[];
  securityDefinitions: Record<string, { type: string; in: string; name: string }>;
  paths: Record<string, Record<string, Operation>>;
  definitions: Record<string, { properties?: Record<string, { type?: string; format?: string }> }>;
};
const committed = (): Document => JSON.parse(readFileSync(COMMITTED, 'utf8'));

test('the committed OpenAPI document is what the contracts generate today (npm run openapi)', async () => {
  const out = mkdtempSync(join(tmpdir(), 'funshop-openapi-'));
  try {
    const { code, stderr } = await run('bash', ['scripts/openapi.sh', out]);
    assert.is(code, 0, stderr);
    const fresh = readFileSync(join(out, 'funshop.swagger.json'), 'utf8');
    assert.ok(fresh === readFileSync(COMMITTED, 'utf8'), 'proto/openapi/funshop.swagger.json is stale: run `npm run openapi` and commit it');
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('the document says what Envoy serves: bearer auth, a public catalog, the idempotency-key header, int64 as strings, errors as google.rpc.Status', () => {
  const document = committed();
  const { type, in: where, name } = document.securityDefinitions.bearer;
  assert.equal([type, where, name], ['apiKey', 'header', 'Authorization']);
  assert.equal(document.security, [{ bearer: [] }]);
  assert.equal(document.paths['/products'].get.security, [], 'the catalog needs no token');
  const placeOrder = document.paths['/orders'].post;
  assert.ok(placeOrder.parameters?.some((p) => p.name === 'idempotency-key' && p.in === 'header' && p.type === 'string'));
  assert.equal(document.definitions.Order.properties?.totalKrw, { type: 'string', format: 'int64' });
  assert.ok(document.definitions.Order.properties?.customerId, 'proto3 JSON names');
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      assert.is(operation.responses.default?.schema?.$ref, '#/definitions/Status', `${method} ${path}: errors are google.rpc.Status`);
    }
  }
  assert.equal(Object.keys(document.definitions.Status.properties ?? {}).sort(), ['code', 'details', 'message']);
});

test('the document states what the services check (found by fuzzing): bounds, required fields, an optional cancel body, null for optional fields', () => {
  const document = committed();
  const parameter = (path: string, method: string, name: string) =>
    document.paths[path][method].parameters!.find((p) => p.name === name) as Record<string, unknown>;
  for (const path of ['/products', '/orders', '/paymentLists', '/carts/{customerId}/cancellations', '/mypages/{customerId}']) {
    const pageSize = parameter(path, 'get', 'pageSize');
    assert.equal([pageSize.minimum, pageSize.maximum], [0, 100], `${path} pageSize`);
  }
  assert.is(parameter('/orders/{orderId}', 'get', 'orderId').pattern, '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$');
  assert.is(parameter('/orders/{orderId}:cancel', 'post', 'body').required, false, 'a cancel without a body is accepted');
  assert.is(parameter('/orders/{orderId}:pay', 'post', 'body').required, true);
  const definitions = document.definitions as Record<string, { required?: string[]; properties: Record<string, Record<string, unknown>> }>;
  assert.equal(definitions.OrderItem.required, ['productId', 'quantity']);
  assert.equal([definitions.OrderItem.properties.quantity.minimum, definitions.OrderItem.properties.quantity.maximum], [1, 99]);
  assert.equal([definitions.PlaceOrderRequest.properties.items.minItems, definitions.PlaceOrderRequest.properties.items.maxItems], [1, 50]);
  assert.is(definitions.CancelOrderBody.properties.reason['x-nullable'], true, 'proto3 JSON reads null as the default');
  assert.is(definitions.OrderItem.properties.productId['x-nullable'], undefined, 'a required field is not nullable');
});

test('every operation of the document is routed by Envoy (none falls through to "no such route")', async () => {
  const customer = uniqueCustomer();
  const document = committed();
  let operations = 0;
  for (const [template, methods] of Object.entries(document.paths)) {
    // Path parameters: the caller's own id where a customer is named, a well-formed unknown id elsewhere.
    const path = template.replace('{customerId}', customer).replace(/\{[A-Za-z]+\}/g, 'no-such-id');
    for (const method of Object.keys(methods)) {
      const response = await rest(method.toUpperCase(), path, { headers: as(customer), body: method === 'get' ? undefined : {} });
      assert.ok(response.status < 500, `${method} ${path}: ${response.status} ${response.text}`);
      assert.is.not(response.body?.message, 'no such route', `${method} ${path} is documented but not routed`);
      assert.type(response.body?.code ?? 0, 'number', `${method} ${path}: a JSON body`);
      operations += 1;
    }
  }
  assert.is(operations, 13);
});

test('Envoy serves the document at /openapi.json and Swagger UI at /docs/, without a token', async () => {
  const served = await rest('GET', '/openapi.json');
  assert.is(served.status, 200);
  assert.is(served.headers.get('content-type'), 'application/json');
  assert.equal(served.body, committed());

  const redirect = await fetch(`${EDGE}/docs`, { redirect: 'manual' });
  assert.is(redirect.status, 301);
  assert.match(redirect.headers.get('location') ?? '', /\/docs\/$/);
  const page = await rest('GET', '/docs/');
  assert.is(page.status, 200);
  assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
  assert.match(page.text, /swagger-ui-bundle\.js/);
  assert.match(page.text, /url: '\/openapi\.json'/);
  const bundle = await rest('GET', '/docs/swagger-ui-bundle.js');
  assert.is(bundle.status, 200);
  assert.is(bundle.headers.get('content-type'), 'application/javascript');
  assert.is(bundle.text, readFileSync(join(REPO_ROOT, 'node_modules/swagger-ui-dist/swagger-ui-bundle.js'), 'utf8'));
  const css = await rest('GET', '/docs/swagger-ui.css');
  assert.is(css.status, 200);
  assert.is(css.headers.get('content-type'), 'text/css');
});

test.run();
