import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { as, restAt, uniqueCustomer } from '../shop';
import { NAMESPACE, edge, kubectl, report } from './cluster';

/** Clients calling the shop through its Envoy, one call after another each, until stopped. */
function steadyLoad(url: string, clients: number) {
  const customer = uniqueCustomer();
  const tally = { ok: 0, failed: 0, failures: new Map<string, number>() };
  let running = true;
  const client = async (n: number) => {
    while (running) {
      // Reads of the catalog and of the customer's orders: both served by the order pods.
      const path = n % 2 ? '/products/desk-lamp' : '/orders';
      const response = await restAt(url, 'GET', path, { headers: as(customer) }).catch((error: Error) => ({ status: 0, text: error.message }));
      if (response.status === 200) tally.ok++;
      else {
        tally.failed++;
        const key = `${response.status} ${response.text.slice(0, 80)}`;
        tally.failures.set(key, (tally.failures.get(key) ?? 0) + 1);
      }
    }
  };
  const done = Promise.all(Array.from({ length: clients }, (_, n) => client(n)));
  return {
    async stop() {
      running = false;
      await done;
      return tally;
    },
  };
}

test('zero-downtime: a rolling update of the order service under steady load fails no request', async () => {
  const { url } = await edge();
  const load = steadyLoad(url, 4);
  const started = Date.now();
  // A new pod template (what a new image tag does): every order pod is replaced, one by one.
  await kubectl('-n', NAMESPACE, 'rollout', 'restart', 'deployment/order');
  await kubectl('-n', NAMESPACE, 'rollout', 'status', 'deployment/order', '--timeout=300s');
  const rolloutSeconds = (Date.now() - started) / 1000;
  const tally = await load.stop();
  report('zero-downtime', { rolloutSeconds: rolloutSeconds.toFixed(0), requests: tally.ok + tally.failed, failed: tally.failed, failures: Object.fromEntries(tally.failures) });
  assert.ok(tally.ok > 100, `the load ran throughout (${tally.ok} requests)`);
  assert.is(tally.failed, 0, `no request failed during the rollout: ${JSON.stringify(Object.fromEntries(tally.failures))}`);
});

test.run();
