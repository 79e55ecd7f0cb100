import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mintToken } from '@funshop/tools/dev-keys';
import { runGhz } from '@funshop/tools/ghz';
import { uniqueCustomer } from '../shop';
import { NAMESPACE, edge, eventually, json, report } from './cluster';

interface Sample {
  second: number;
  replicas: number;
  desired: number;
  cpu: number | null;
}

test('autoscale: under load the cart HPA scales past its minimum on real CPU metrics, and back down when the load stops', async () => {
  const { grpc } = await edge();
  const hpa = () => json('-n', NAMESPACE, 'get', 'hpa', 'cart');
  const initial = await hpa();
  const minimum: number = initial.spec.minReplicas;
  const started = Date.now();
  const timeline: Sample[] = [];
  const sample = async () => {
    const status = (await hpa()).status;
    const cpu = status.currentMetrics?.[0]?.resource?.current?.averageUtilization ?? null;
    const point = { second: Math.round((Date.now() - started) / 1000), replicas: status.currentReplicas, desired: status.desiredReplicas, cpu };
    const last = timeline.at(-1);
    if (!last || last.replicas !== point.replicas || last.desired !== point.desired) timeline.push(point);
    return point;
  };
  // The seed's load: many carts read through Envoy, in rounds of 20 s until the HPA reacts.
  const customer = uniqueCustomer();
  const metadata = { authorization: `Bearer ${mintToken(customer, { ttlSeconds: 3600 })}` };
  let loading = true;
  const load = (async () => {
    while (loading) {
      await runGhz({ target: grpc, call: 'funshop.cart.v1.CartService.GetCart', data: { customerId: customer }, metadata, concurrency: 8, seconds: 20 });
    }
  })();
  try {
    await eventually('the HPA to scale the cart past its minimum', sample, (s) => s.replicas > minimum, 300_000, 5_000);
  } finally {
    loading = false;
    await load;
  }
  const stoppedAt = Math.round((Date.now() - started) / 1000);
  await eventually('the HPA to scale back to its minimum', sample, (s) => s.replicas === minimum, 420_000, 5_000);
  const peak = Math.max(...timeline.map((s) => s.replicas));
  report('autoscale', {
    minimum,
    peak,
    loadStoppedAtSecond: stoppedAt,
    timeline: timeline.map((s) => `${s.second}s:${s.replicas}→${s.desired}@${s.cpu ?? '?'}%`).join(' '),
  });
  assert.ok(peak > minimum);
});

test.run();
