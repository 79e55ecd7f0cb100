import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FileDescriptorProto } from '@funshop/proto/google/protobuf/descriptor';
import { DescriptorIndex } from '../src/grpc/reflection';

const index = new DescriptorIndex(readFileSync(require.resolve('@funshop/proto/descriptor-set')));
const names = (files: Buffer[] | undefined) => (files ?? []).map((bytes) => FileDescriptorProto.decode(bytes).name);

test('finds the file that defines a service, a method, a message, a nested type and an enum', () => {
  assert.is(index.fileDefining('funshop.order.v1.OrderService'), 'funshop/order/v1/order.proto');
  assert.is(index.fileDefining('.funshop.order.v1.OrderService.PlaceOrder'), 'funshop/order/v1/order.proto');
  assert.is(index.fileDefining('funshop.order.v1.Product'), 'funshop/order/v1/catalog.proto');
  assert.is(index.fileDefining('google.rpc.BadRequest.FieldViolation'), 'google/rpc/error_details.proto');
  assert.is(index.fileDefining('funshop.order.v1.OrderStatus'), 'funshop/order/v1/order.proto');
  assert.is(index.fileDefining('funshop.order.v1.Nope'), undefined);
});

test('serves a file first, then everything it imports, each once', () => {
  const files = names(index.fileWithDependencies('funshop/order/v1/order.proto'));
  assert.is(files[0], 'funshop/order/v1/order.proto');
  for (const dependency of [
    'funshop/payment/v1/payment.proto',
    'google/api/annotations.proto',
    'google/api/http.proto',
    'google/protobuf/descriptor.proto',
    'google/protobuf/timestamp.proto',
  ]) {
    assert.ok(files.includes(dependency), `missing ${dependency}`);
  }
  assert.is(new Set(files).size, files.length);
  assert.is(index.fileWithDependencies('nope.proto'), undefined);
});

test('knows the google.api.http extension of MethodOptions', () => {
  assert.ok(index.extensionNumbersOf('google.protobuf.MethodOptions').includes(72295728));
  assert.is(index.fileExtending('.google.protobuf.MethodOptions', 72295728), 'google/api/annotations.proto');
});

test('files are served byte for byte, comments included', () => {
  const [order] = index.fileWithDependencies('funshop/order/v1/order.proto')!;
  const comments = FileDescriptorProto.decode(order)
    .sourceCodeInfo?.location.map((l) => l.leadingComments ?? '')
    .join('\n');
  assert.match(comments ?? '', /Places an order and reserves its stock/);
});

test.run();
