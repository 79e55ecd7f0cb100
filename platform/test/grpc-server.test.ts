import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Metadata, credentials, status, type ServiceError } from '@grpc/grpc-js';
import { CatalogServiceClient, CatalogServiceService, type GetProductResponse } from '@funshop/proto/funshop/order/v1/catalog';
import { HealthCheckResponse_ServingStatus, HealthClient } from '@funshop/proto/grpc/health/v1/health';
import { NotFound } from '../src/errors';
import { createLogger } from '../src/logger';
import { GrpcServer } from '../src/grpc/server';

const DESCRIPTOR_SET = require.resolve('@funshop/proto/descriptor-set');

/** A catalog whose GetProduct waits for as long as the product id says, noticing cancellation. */
function slowCatalog(seen: { aborted: boolean; finished: number }) {
  return {
    async listProducts() {
      return { products: [], nextPageToken: '' };
    },
    async getProduct(request: { productId: string }, context: { signal: AbortSignal }): Promise<GetProductResponse> {
      if (request.productId === 'missing') throw new NotFound('product "missing" not found');
      const waitMs = Number(request.productId.replace('wait-', '')) || 0;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, waitMs);
        context.signal.addEventListener('abort', () => {
          seen.aborted = true;
          clearTimeout(timer);
          resolve();
        });
      });
      seen.finished += 1;
      return { product: { productId: request.productId, name: 'x', priceKrw: 1, stock: 1 } };
    },
  };
}

const it = suite(
  'GrpcServer',
  {} as { server: GrpcServer; port: number; client: InstanceType<typeof CatalogServiceClient>; seen: { aborted: boolean; finished: number } },
);

it.before.each(async (context) => {
  context.seen = { aborted: false, finished: 0 };
  context.server = new GrpcServer(
    { grpcHost: '127.0.0.1', grpcPort: 0, maxMessageBytes: 4096, drainDelayMs: 300, shutdownGraceMs: 2_000 },
    createLogger('test', 'silent'),
  ).add(CatalogServiceService, slowCatalog(context.seen));
  context.port = await context.server.start(DESCRIPTOR_SET);
  context.client = new CatalogServiceClient(`127.0.0.1:${context.port}`, credentials.createInsecure());
});

it.after.each(async (context) => {
  context.client.close();
  await context.server.stop();
});

function getProduct(client: InstanceType<typeof CatalogServiceClient>, productId: string, metadata = new Metadata(), deadlineMs = 5_000) {
  return new Promise<{ error: ServiceError | null; trailers: Metadata }>((resolve) => {
    let error: ServiceError | null = null;
    const call = client.getProduct({ productId }, metadata, { deadline: Date.now() + deadlineMs }, (e) => (error = e));
    call.on('status', (s) => resolve({ error, trailers: s.metadata }));
  });
}

function health(port: number): Promise<HealthCheckResponse_ServingStatus | string> {
  const client = new HealthClient(`127.0.0.1:${port}`, credentials.createInsecure());
  return new Promise((resolve) =>
    client.check({ service: 'funshop.order.v1.CatalogService' }, (error, response) => {
      client.close();
      resolve(error ? `error ${error.code}` : response.status);
    }),
  );
}

it('reports SERVING through grpc.health.v1 once started', async ({ port }) => {
  assert.is(await health(port), HealthCheckResponse_ServingStatus.SERVING);
});

it('returns the caller’s correlation id, or a new one, in the trailers', async ({ client }) => {
  const metadata = new Metadata();
  metadata.set('x-request-id', 'from-the-edge-1');
  const given = await getProduct(client, 'p', metadata);
  assert.is(given.error, null);
  assert.equal(given.trailers.get('x-request-id'), ['from-the-edge-1']);
  const made = await getProduct(client, 'p');
  assert.match(String(made.trailers.get('x-request-id')[0]), /^[0-9a-f-]{36}$/);
});

it('maps a thrown domain error to its status', async ({ client }) => {
  const { error } = await getProduct(client, 'missing');
  assert.is(error?.code, status.NOT_FOUND);
  assert.is(error?.details, 'product "missing" not found');
});

it('honours deadlines: the caller gets DEADLINE_EXCEEDED and the handler’s signal fires', async ({ client, seen }) => {
  const { error } = await getProduct(client, 'wait-2000', new Metadata(), 100);
  assert.is(error?.code, status.DEADLINE_EXCEEDED);
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.ok(seen.aborted, 'the handler was not told that nobody waits any more');
});

it('refuses a request larger than the message-size limit', async ({ client }) => {
  const { error } = await getProduct(client, 'x'.repeat(10_000));
  assert.is(error?.code, status.RESOURCE_EXHAUSTED);
});

it('stops gracefully: NOT_SERVING at once, in-flight calls finish, then the port closes', async ({ server, client, port, seen }) => {
  const inFlight = getProduct(client, 'wait-600');
  await new Promise((resolve) => setTimeout(resolve, 50));
  const stopped = server.stop();
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.is(await health(port), HealthCheckResponse_ServingStatus.NOT_SERVING, 'health did not turn NOT_SERVING during the drain');
  const { error } = await inFlight;
  assert.is(error, null, 'the in-flight call was cut off');
  assert.is(seen.finished, 1);
  await stopped;
  assert.match(String(await health(port)), /^error 14$/);
});

it.run();
