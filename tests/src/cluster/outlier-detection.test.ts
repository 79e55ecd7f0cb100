import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { as, restAt, uniqueCustomer } from '../shop';
import { NAMESPACE, edge, eventually, kubectl, nodeIn, pods, report } from './cluster';

/** Envoy's ejections of payment hosts, summed over the Envoy pods (their admin port, through the API server's proxy). */
async function ejectionsActive(): Promise<number> {
  let total = 0;
  for (const envoy of await pods('envoy')) {
    const stats = await kubectl(
      'get',
      '--raw',
      `/api/v1/namespaces/${NAMESPACE}/pods/${envoy.name}:9901/proxy/stats?filter=^cluster.payment.outlier_detection.ejections_active$`,
    );
    total += Number(/ejections_active: (\d+)/.exec(stats)?.[1] ?? 0);
  }
  return total;
}

const faultSwitch = (pod: string, method: 'POST' | 'DELETE') =>
  nodeIn(pod, 'payment', `fetch('http://127.0.0.1:9466/fault',{method:'${method}'}).then((r)=>process.exit(r.status===204?0:1))`);

test('circuit breaker per pod: one of two payment pods goes bad, Envoy ejects it, no client call fails, it returns once healed', async () => {
  const payers = (await pods('payment')).filter((p) => p.ready);
  assert.ok(payers.length >= 2, `two payment pods; found ${payers.length}`);
  const [bad] = payers;
  const { url } = await edge();
  const headers = as(uniqueCustomer());
  assert.is(await ejectionsActive(), 0, 'no host ejected before the fault');
  await faultSwitch(bad.name, 'POST');
  const statuses: number[] = [];
  try {
    for (let i = 0; i < 60; i++) statuses.push((await restAt(url, 'GET', '/paymentLists', { headers })).status);
    const ejected = await eventually('Envoy to eject the failing pod', ejectionsActive, (n) => n >= 1, 30_000, 250);
    for (let i = 0; i < 20; i++) statuses.push((await restAt(url, 'GET', '/paymentLists', { headers })).status);
    assert.equal([...new Set(statuses)], [200], 'every call succeeded: retried on the healthy pod, then sent only there');
    report('outlier detection', {
      badPod: bad.name,
      calls: statuses.length,
      failed: statuses.filter((s) => s !== 200).length,
      ejectedIn: `${ejected} Envoy pod(s)`,
    });
  } finally {
    await faultSwitch(bad.name, 'DELETE');
  }
  await eventually('the healed pod back in rotation', ejectionsActive, (n) => n === 0, 90_000);
});

test.run();
