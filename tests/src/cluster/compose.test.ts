import { execFile } from 'node:child_process';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ensureDevKeys } from '@funshop/tools/dev-keys';
import { REPO_ROOT } from '@funshop/tools/layout';
import { as, restAt, uniqueCustomer } from '../shop';
import { eventually, report } from './cluster';

/**
 * The same images without Kubernetes: compose.yaml at the root, with the local data-tier images
 * (`npm run images`, which the cluster lane's deploy ran), on a port and project of the test's own.
 */
const PORT = 38090;
const JAEGER_PORT = 38686;
const PROJECT = 'funshop-compose-test';
const CONSUMER_QUEUES = ['cart.events', 'payment.events', 'customer.events'];
const ENV = {
  MARIADB_IMAGE: 'funshop.local/mariadb:10.11',
  POSTGRES_IMAGE: 'funshop.local/postgres:15',
  RABBITMQ_IMAGE: 'funshop.local/rabbitmq:3.10',
  JAEGER_IMAGE: 'funshop.local/jaeger:2.12.0',
  FUNSHOP_COMPOSE_PORT: String(PORT),
  FUNSHOP_COMPOSE_JAEGER_PORT: String(JAEGER_PORT),
};

function compose(...args: string[]): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(
      'bash',
      ['scripts/docker.sh', 'compose', '-p', PROJECT, ...args],
      { cwd: REPO_ROOT, env: { ...process.env, ...ENV }, timeout: 900_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => (error ? reject(new Error(`compose ${args.join(' ')}: ${stderr || error.message}`)) : resolve(stdout)),
    ),
  );
}

test('docker compose runs the whole shop from the same images: a purchase end to end, my page and traces included', async () => {
  ensureDevKeys();
  const started = Date.now();
  try {
    await compose('up', '--detach', '--wait', '--wait-timeout', '300');
    // Healthy containers are not yet a shop that delivers events: each consumer declares its queue
    // when it first connects, and an event published before that is routed to no one (it waits in
    // funshop.events.unrouted). Wait for the three queues, as an operator would before traffic.
    await eventually(
      'every consumer to declare its queue',
      () => compose('exec', '-T', 'rabbitmq', 'rabbitmqctl', '--quiet', 'list_queues', 'name').catch(() => ''),
      (queues) => CONSUMER_QUEUES.every((queue) => queues.split('\n').includes(queue)),
      120_000,
      1_000,
    );
    const upSeconds = (Date.now() - started) / 1000;
    const edge = `http://127.0.0.1:${PORT}`;
    const customer = uniqueCustomer();
    const placed = await eventually(
      'the shop to take an order',
      () =>
        restAt(edge, 'POST', '/orders', { body: { items: [{ productId: 'desk-lamp', quantity: 1 }] }, headers: as(customer) }).catch(() => ({
          status: 0,
          body: undefined,
          text: '',
        })),
      (r) => r.status === 200,
      120_000,
    );
    const orderId: string = placed.body.order.orderId;
    const paid = await restAt(edge, 'POST', `/orders/${orderId}:pay`, {
      body: { card: { number: '4242424242424242', expiryMonth: 12, expiryYear: 2099, cvc: '123' } },
      headers: as(customer),
    });
    assert.is(paid.status, 200, paid.text);
    await eventually(
      'the my page to show it paid and completed',
      async () => (await restAt(edge, 'GET', `/mypages/${customer}/orders/${orderId}`, { headers: as(customer) })).body?.order,
      (o) => o?.orderStatus === 'ORDER_STATUS_PAID' && o.cartStatus === 'CART_ITEM_STATUS_ORDER_COMPLETED',
      60_000,
      250,
    );
    // Its spans reached the compose file's Jaeger, from Envoy and every service.
    await eventually(
      'spans of Envoy and every service in Jaeger',
      () =>
        fetch(`http://127.0.0.1:${JAEGER_PORT}/api/services`)
          .then(async (response) => ((await response.json()) as { data: string[] | null }).data ?? [])
          .catch(() => [] as string[]),
      (services) => ['envoy', 'order', 'payment', 'cart', 'customer'].every((name) => services.includes(name)),
      60_000,
    ).catch(async (error: Error) => assert.unreachable(`${error.message}; jaeger logs: ${await compose('logs', '--tail', '20', 'jaeger')}`));
    report('compose', { upSeconds: upSeconds.toFixed(0), edge, containers: (await compose('ps', '--quiet')).trim().split('\n').length });
  } finally {
    await compose('down', '--volumes', '--timeout', '20');
  }
});

test.run();
