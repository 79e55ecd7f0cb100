import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { TEST, type ShopLayout } from '@funshop/tools/layout';
import { grpcServing, renderEnvoyConfig } from '@funshop/tools/supervisor';
import { as, REPO_ROOT, TestEnvoy, uniqueCustomer, until } from './shop';

/**
 * Two cart instances of its own (21272, 21372) behind an Envoy of its own (24080): under steady
 * load, each instance in turn is stopped (SIGTERM: NOT_SERVING, drain, stop) and a new one started
 * on its port, as a rolling update does. Not one request may fail.
 */
const LAYOUT: ShopLayout = {
  ...TEST,
  envoyPort: 24080,
  envoyInternalPort: 24081,
  envoyAdminPort: 24901,
  services: TEST.services.map((s) => (s.name === 'cart' ? { ...s, grpcPort: 21272, replicas: 2 } : s)),
};
const PORTS = [21272, 21372];

function startCart(port: number): ChildProcess {
  return spawn(process.execPath, ['services/cart/dist/main.js'], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      CART_GRPC_PORT: String(port),
      CART_METRICS_PORT: '0',
      CART_DATABASE_URL: 'mysql://funshop:funshop@127.0.0.1:3306/funshop_test_cart',
      LOG_LEVEL: 'warn',
    },
    stdio: 'ignore',
  });
}

test('a rolling restart of two instances under steady load fails no request', async () => {
  const config = join(TEST.runDir, 'envoy-rolling.yaml');
  writeFileSync(config, renderEnvoyConfig(LAYOUT));
  const carts = PORTS.map(startCart);
  const envoy = new TestEnvoy(config, 9, LAYOUT.envoyAdminPort);
  const customer = uniqueCustomer();
  const headers = as(customer);
  const outcomes: number[] = [];
  let loading = true;
  try {
    for (const port of PORTS) await envoy.untilHealthy('cart', port);
    const workers = Array.from({ length: 4 }, async () => {
      while (loading) {
        const response = await fetch(`http://127.0.0.1:${LAYOUT.envoyPort}/carts/${customer}`, { headers }).catch(() => undefined);
        outcomes.push(response?.status ?? 0);
        await response?.arrayBuffer();
      }
    });
    // Load before the rollout and after it: a number of requests, not a stretch of time.
    await until('load before the rollout', async () => outcomes.length >= 50);
    for (const [index, port] of PORTS.entries()) {
      const old = carts[index];
      const exited = new Promise((resolve) => old.once('exit', resolve));
      old.kill('SIGTERM');
      await exited;
      carts[index] = startCart(port);
      await until(`the new cart ${port} to serve`, () => grpcServing(`127.0.0.1:${port}`));
      await envoy.untilHealthy('cart', port);
    }
    const afterRollout = outcomes.length + 50;
    await until('load after the rollout', async () => outcomes.length >= afterRollout);
    loading = false;
    await Promise.all(workers);
    assert.ok(outcomes.length > 100, `only ${outcomes.length} requests`);
    const failed = outcomes.filter((status) => status !== 200);
    assert.is(failed.length, 0, `${failed.length} of ${outcomes.length} failed: ${[...new Set(failed)]}`);
  } finally {
    loading = false;
    envoy.stop();
    for (const cart of carts) cart.kill('SIGTERM');
  }
});

test.run();
