import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { TEST, instances } from '@funshop/tools/layout';
import { as, faultSwitch, rest, uniqueCustomer } from './shop';

const payment = TEST.services.find((s) => s.name === 'payment')!;
const [, secondInstance] = instances(payment);
const ADMIN = `http://127.0.0.1:${TEST.envoyAdminPort}`;

async function ejectionsActive(): Promise<number> {
  const stats = await (await fetch(`${ADMIN}/stats?filter=^cluster\\.payment\\.outlier_detection\\.ejections_active$`)).text();
  return Number(/ejections_active: (\d+)/.exec(stats)?.[1] ?? 0);
}

const secondFaultSwitch = (method: 'POST' | 'DELETE') => faultSwitch(secondInstance.metricsPort, method);

test('one of two payment instances goes bad: Envoy ejects it, clients keep succeeding, and it returns once healed', async () => {
  assert.ok(secondInstance, 'the test shop runs two payment instances');
  assert.is(await ejectionsActive(), 0);
  const headers = as(uniqueCustomer());
  assert.is((await secondFaultSwitch('POST')).status, 204);
  try {
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) statuses.push((await rest('GET', '/paymentLists', { headers })).status);
    assert.equal([...new Set(statuses)], [200], 'every call succeeded: retried on the healthy instance');
    const deadline = Date.now() + 5_000;
    while ((await ejectionsActive()) !== 1 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    assert.is(await ejectionsActive(), 1, 'the failing instance was ejected');
    for (let i = 0; i < 10; i++) assert.is((await rest('GET', '/paymentLists', { headers })).status, 200);
    await secondFaultSwitch('DELETE');
    // The ejection lasts its base time (10 s), then the healed instance takes traffic again.
    const back = Date.now() + 15_000;
    while ((await ejectionsActive()) !== 0 && Date.now() < back) await new Promise((resolve) => setTimeout(resolve, 200));
    assert.is(await ejectionsActive(), 0, 'the healed instance came back');
    for (let i = 0; i < 10; i++) assert.is((await rest('GET', '/paymentLists', { headers })).status, 200);
  } finally {
    await secondFaultSwitch('DELETE');
  }
});

interface RouteConfig {
  match: { path?: string; prefix?: string; headers?: { name: string }[] };
  route?: { retry_policy?: { retry_on?: string } };
}

test('Envoy retries a write only when it cannot have been done twice', async () => {
  const dump = (await (await fetch(`${ADMIN}/config_dump?resource=static_route_configs`)).json()) as {
    configs: { route_config: { virtual_hosts: { routes: RouteConfig[] }[] } }[];
  };
  const routes = dump.configs.flatMap((c) => c.route_config.virtual_hosts.flatMap((v) => v.routes));
  const retryOn = (find: (r: RouteConfig) => boolean) => routes.find(find)?.route?.retry_policy?.retry_on;
  const keyedPlaceOrder = retryOn(
    (r) => r.match.path === '/funshop.order.v1.OrderService/PlaceOrder' && !!r.match.headers?.some((h) => h.name === 'idempotency-key'),
  );
  const otherOrderWrites = retryOn((r) => r.match.prefix === '/funshop.order.v1.OrderService/');
  const paymentWrites = retryOn((r) => r.match.prefix === '/funshop.payment.v1.PaymentService/');
  assert.is(keyedPlaceOrder, 'unavailable,reset,connect-failure,refused-stream', 'a keyed PlaceOrder is safe to repeat');
  for (const write of [otherOrderWrites, paymentWrites]) assert.is(write, 'connect-failure,refused-stream', 'only when the request never reached a service');
});

test.run();
