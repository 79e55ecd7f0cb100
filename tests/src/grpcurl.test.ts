import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { TEST } from '@funshop/tools/layout';
import { DESCRIPTOR_SET, EDGE_GRPC, ORDER_GRPC, as, run } from './shop';

test('grpcurl list shows the services, health and reflection through server reflection', async () => {
  const { code, stdout, stderr } = await run('grpcurl', ['-plaintext', ORDER_GRPC, 'list']);
  assert.is(code, 0, stderr);
  assert.equal(stdout.trim().split('\n'), [
    'funshop.order.v1.CatalogService',
    'funshop.order.v1.OrderService',
    'grpc.health.v1.Health',
    'grpc.reflection.v1.ServerReflection',
    'grpc.reflection.v1alpha.ServerReflection',
  ]);
});

test('every service answers grpcurl list with its own services, health and reflection', async () => {
  const expected: Record<string, string[]> = {
    cart: ['funshop.cart.v1.CartService'],
    payment: ['funshop.payment.v1.PaymentService'],
    customer: ['funshop.customer.v1.MyPageService'],
  };
  for (const service of TEST.services.filter((s) => s.name in expected)) {
    const { code, stdout, stderr } = await run('grpcurl', ['-plaintext', `127.0.0.1:${service.grpcPort}`, 'list']);
    assert.is(code, 0, stderr);
    assert.equal(stdout.trim().split('\n'), [
      ...expected[service.name],
      'grpc.health.v1.Health',
      'grpc.reflection.v1.ServerReflection',
      'grpc.reflection.v1alpha.ServerReflection',
    ]);
  }
});

test('grpcurl describe shows a method with its comment and its REST mapping', async () => {
  const { code, stdout, stderr } = await run('grpcurl', ['-plaintext', ORDER_GRPC, 'describe', 'funshop.order.v1.OrderService.PlaceOrder']);
  assert.is(code, 0, stderr);
  assert.match(stdout, /Places an order and reserves its stock in one transaction/);
  assert.match(stdout, /rpc PlaceOrder \( \.funshop\.order\.v1\.PlaceOrderRequest \) returns \( \.funshop\.order\.v1\.PlaceOrderResponse \)/);
  assert.match(stdout, /post: "\/orders"/);
  const message = await run('grpcurl', ['-plaintext', ORDER_GRPC, 'describe', 'funshop.order.v1.Order']);
  assert.match(message.stdout, /google\.protobuf\.Timestamp create_time = 7;/);
});

test('grpcurl calls a method directly and through Envoy', async () => {
  const direct = await run('grpcurl', ['-plaintext', '-d', '{"product_id":"mouse-wireless"}', ORDER_GRPC, 'funshop.order.v1.CatalogService/GetProduct']);
  assert.is(direct.code, 0, direct.stderr);
  assert.is(JSON.parse(direct.stdout).product.name, 'Wireless mouse');
  const viaEnvoy = await run('grpcurl', [
    '-plaintext',
    '-protoset',
    DESCRIPTOR_SET,
    '-H',
    `authorization: ${as('grpcurl-user').authorization}`,
    '-d',
    '{"items":[{"product_id":"mouse-wireless","quantity":1}]}',
    EDGE_GRPC,
    'funshop.order.v1.OrderService/PlaceOrder',
  ]);
  assert.is(viaEnvoy.code, 0, viaEnvoy.stderr);
  assert.is(JSON.parse(viaEnvoy.stdout).order.status, 'ORDER_STATUS_PENDING_PAYMENT');
});

test('grpcurl sees gRPC status codes, not HTTP ones', async () => {
  const missing = await run('grpcurl', ['-plaintext', '-d', '{"product_id":"nope"}', ORDER_GRPC, 'funshop.order.v1.CatalogService/GetProduct']);
  assert.match(missing.stderr, /Code: NotFound/);
  const anonymous = await run('grpcurl', ['-plaintext', '-protoset', DESCRIPTOR_SET, '-d', '{}', EDGE_GRPC, 'funshop.order.v1.OrderService/ListOrders']);
  assert.match(anonymous.stderr, /Code: Unauthenticated/);
});

test('the health service answers SERVING', async () => {
  const { code, stdout } = await run('grpcurl', ['-plaintext', '-d', '{"service":"funshop.order.v1.OrderService"}', ORDER_GRPC, 'grpc.health.v1.Health/Check']);
  assert.is(code, 0);
  assert.is(JSON.parse(stdout).status, 'SERVING');
});

test.run();
