import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, as, restAt, uniqueCustomer } from '../shop';
import { NAMESPACE, atRest, edge, eventually, json, report } from './cluster';

const CARD = { number: '4242424242424242', expiryMonth: 12, expiryYear: 2099, cvc: '123' };

test('deploy: every Deployment and StatefulSet is rolled out and ready, every claim bound', async () => {
  await atRest();
  const workloads = await json('-n', NAMESPACE, 'get', 'deployments,statefulsets');
  const figures: Record<string, string> = {};
  for (const workload of workloads.items) {
    const name = `${workload.kind.toLowerCase()}/${workload.metadata.name}`;
    figures[name] = `${workload.status.readyReplicas ?? 0}/${workload.spec.replicas}`;
    assert.ok(workload.spec.replicas >= 1 && workload.status.readyReplicas === workload.spec.replicas, `${name}: ${figures[name]} ready`);
    assert.is(workload.status.observedGeneration, workload.metadata.generation, `${name} has rolled out its latest spec`);
  }
  assert.equal(workloads.items.map((w: any) => w.metadata.name).sort(), [
    'cart',
    'customer',
    'envoy',
    'jaeger',
    'mariadb',
    'order',
    'payment',
    'postgres',
    'prometheus',
    'rabbitmq',
    'storefront',
  ]);
  const claims = await json('-n', NAMESPACE, 'get', 'persistentvolumeclaims');
  for (const claim of claims.items) assert.is(claim.status.phase, 'Bound', claim.metadata.name);
  const namespace = await json('get', 'namespace', NAMESPACE);
  assert.is(namespace.metadata.labels['pod-security.kubernetes.io/enforce'], 'restricted', 'the data tier runs under "restricted" too');
  report('deploy', { ...figures, claims: claims.items.length });
});

test('the seven requirements, walked through the cluster’s Envoy, my page included', async () => {
  const { url } = await edge();
  const call = (method: string, path: string, customer: string, body?: unknown) => restAt(url, method, path, { body, headers: as(customer) });
  const myPageOrder = async (customer: string, orderId: string) => (await call('GET', `/mypages/${customer}/orders/${orderId}`, customer)).body?.order;
  const customer = uniqueCustomer();
  const started = Date.now();
  // 7. product information can be viewed; 1. choose products and order them
  const product = (await restAt(url, 'GET', '/products/monitor-27')).body.product;
  assert.is(product.name, '27-inch monitor');
  const placed = await call('POST', '/orders', customer, { items: [{ productId: 'monitor-27', quantity: 1 }] });
  assert.is(placed.status, 200, placed.text);
  const orderId: string = placed.body.order.orderId;
  // 2. the ordered products wait in the cart for payment
  await eventually(
    'the order awaiting payment in the cart',
    () => myPageOrder(customer, orderId),
    (o) => o?.cartStatus === 'CART_ITEM_STATUS_AWAITING_PAYMENT',
    30_000,
    200,
  );
  // 3. the customer pays; 4. approved → the cart's items are order-completed
  const paid = await call('POST', `/orders/${orderId}:pay`, customer, { card: CARD });
  assert.is(paid.status, 200, paid.text);
  await eventually(
    'paid and completed',
    () => myPageOrder(customer, orderId),
    (o) => o?.orderStatus === 'ORDER_STATUS_PAID' && o.cartStatus === 'CART_ITEM_STATUS_ORDER_COMPLETED',
    30_000,
    200,
  );
  // 5. the customer cancels; 6. the payment is cancelled (refunded)
  assert.is((await call('POST', `/orders/${orderId}:cancel`, customer, { reason: 'changed my mind' })).status, 200);
  const view = await eventually(
    'cancelled and refunded on the my page',
    () => myPageOrder(customer, orderId),
    (o) => o?.orderStatus === 'ORDER_STATUS_CANCELLED' && o.paymentStatus === 'PAYMENT_STATUS_CANCELLED' && o.cartStatus === 'CART_ITEM_STATUS_CANCELLED',
    30_000,
    200,
  );
  assert.is(view.correlationId, placed.headers.get('x-request-id'), 'the correlation id travelled REST → gRPC → AMQP → the my page');
  // 7. order and cart state can be viewed
  assert.equal(
    (await call('GET', `/mypages/${customer}`, customer)).body.myPage.orders.map((o: { orderId: string }) => o.orderId),
    [orderId],
  );
  assert.is((await call('GET', `/carts/${customer}`, customer)).body.cart.items[0].status, 'CART_ITEM_STATUS_CANCELLED');
  report('seven requirements', { edge: url, seconds: ((Date.now() - started) / 1000).toFixed(1) });
});

test('the cluster’s Envoy serves the OpenAPI document and Swagger UI from its image', async () => {
  const { url } = await edge();
  const document = await restAt(url, 'GET', '/openapi.json');
  assert.is(document.status, 200);
  assert.equal(document.body, JSON.parse(readFileSync(join(REPO_ROOT, 'proto/openapi/funshop.swagger.json'), 'utf8')));
  const page = await restAt(url, 'GET', '/docs/');
  assert.is(page.status, 200);
  assert.match(page.text, /swagger-ui-bundle\.js/);
  const bundle = await restAt(url, 'GET', '/docs/swagger-ui-bundle.js');
  assert.equal([bundle.status, bundle.headers.get('content-type')], [200, 'application/javascript']);
});

test.run();
