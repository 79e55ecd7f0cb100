import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { as, restAt, uniqueCustomer } from '../shop';
import { NAMESPACE, edge, json, kubectl, report } from './cluster';

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

const rolloutStatus = () => kubectl('-n', NAMESPACE, 'rollout', 'status', 'deployment/order', '--timeout=300s');

/**
 * Replaces every order pod, one by one, with a new pod template (what a new image tag does) while
 * four clients read steadily through Envoy; reports the figures under `label` and asserts that the
 * load ran throughout and that no request failed.
 */
async function rollOutUnderLoad(label: string): Promise<void> {
  await withAutoscalerHeld(() => rollOut(label));
}

/**
 * The rollout is under test here, not the autoscaler (autoscale.test.ts tests it): the order HPA
 * is held at its minimum meanwhile. Under this closed-loop load it would add replicas up to its
 * maximum, more than this one node has CPU to schedule, and a rollout waits for every replica,
 * Pending ones included, until it times out.
 */
async function withAutoscalerHeld(work: () => Promise<void>): Promise<void> {
  const hpa = await json('-n', NAMESPACE, 'get', 'hpa', 'order');
  const setMax = (maxReplicas: number) => kubectl('-n', NAMESPACE, 'patch', 'hpa', 'order', '--type', 'merge', '-p', JSON.stringify({ spec: { maxReplicas } }));
  await setMax(hpa.spec.minReplicas);
  try {
    await work();
  } finally {
    await setMax(hpa.spec.maxReplicas);
  }
}

async function rollOut(label: string): Promise<void> {
  const { url } = await edge();
  const load = steadyLoad(url, 4);
  const started = Date.now();
  await kubectl('-n', NAMESPACE, 'rollout', 'restart', 'deployment/order');
  await rolloutStatus();
  const rolloutSeconds = (Date.now() - started) / 1000;
  const tally = await load.stop();
  const failures = JSON.stringify(Object.fromEntries(tally.failures));
  report(label, { rolloutSeconds: rolloutSeconds.toFixed(0), requests: tally.ok + tally.failed, failed: tally.failed, failures });
  assert.ok(tally.ok > 100, `the load ran throughout (${tally.ok} requests)`);
  assert.is(tally.failed, 0, `no request failed during the rollout: ${failures}`);
}

test('zero-downtime: a rolling update of the order service under steady load fails no request', async () => {
  await rollOutUnderLoad('zero-downtime');
});

/**
 * The seed's contrast, the same rollout without the readiness probe, does not fail here, and the test
 * keeps it that way. Its pods are still not sent traffic before they serve: the startup probe
 * holds a new pod out of the Service (and so out of DNS) until its gRPC server answers, and Envoy
 * sends nothing to a pod until its own health check on the readiness health passes. On SIGTERM a
 * pod drains (NOT_SERVING while it keeps serving). The readiness probe is one of these guards, not
 * the only one.
 */
test('the seed’s contrast: the same rollout without the readiness probe fails no request either', async () => {
  const deployment = await json('-n', NAMESPACE, 'get', 'deployment', 'order');
  const probe = deployment.spec.template.spec.containers[0].readinessProbe;
  assert.ok(probe, 'the order pods have a readiness probe to take away');
  const patch = (operation: object) => kubectl('-n', NAMESPACE, 'patch', 'deployment', 'order', '--type', 'json', '-p', JSON.stringify([operation]));
  await patch({ op: 'remove', path: '/spec/template/spec/containers/0/readinessProbe' });
  try {
    await rolloutStatus();
    await rollOutUnderLoad('rollout without readiness probe');
  } finally {
    await patch({ op: 'add', path: '/spec/template/spec/containers/0/readinessProbe', value: probe });
    await rolloutStatus();
  }
});

test.run();
