import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cutOffByTheRunsEnd, runGhz, type GhzDetail } from '@funshop/tools/ghz';
import { seedThresholds } from '@funshop/tools/supervisor';
import { restAt } from '../shop';
import { NAMESPACE, atRest, eventually, json, kubectl, kubectlWith, report } from './cluster';

/**
 * The seed's circuit-breaker experiment on the cluster: an Envoy of its own (the cluster's Envoy,
 * its config with the seed's thresholds: max_pending_requests 1, max_requests_per_connection 1) in
 * front of the same pods, called with ghz at concurrency 1 and then 10.
 */
const NAME = 'envoy-seed-breaker';
// An Envoy to the NetworkPolicies (they select app.kubernetes.io/name), but not part of the shop:
// the shop's envoy Service, Deployment and PDB select part-of=funshop too.
const LABELS = { 'app.kubernetes.io/name': 'envoy', 'app.kubernetes.io/part-of': 'funshop-experiment', 'app.kubernetes.io/instance': NAME };

async function startBreakerEnvoy(): Promise<string> {
  const envoy = await json('-n', NAMESPACE, 'get', 'deployment', 'envoy');
  const configMap = envoy.spec.template.spec.volumes.find((v: { name: string }) => v.name === 'config').configMap.name;
  const config = (await json('-n', NAMESPACE, 'get', 'configmap', configMap)).data['envoy.yaml'];
  const tight = seedThresholds(config);
  assert.is.not(tight, config, 'the seed thresholds changed the config');
  const template = envoy.spec.template;
  template.metadata = { labels: LABELS };
  template.spec.volumes.find((v: { name: string }) => v.name === 'config').configMap.name = NAME;
  const objects = [
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: NAME, namespace: NAMESPACE }, data: { 'envoy.yaml': tight } },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: NAME, namespace: NAMESPACE, labels: LABELS },
      spec: { replicas: 1, selector: { matchLabels: LABELS }, template },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: NAME, namespace: NAMESPACE, labels: LABELS },
      spec: { type: 'NodePort', selector: LABELS, ports: [{ name: 'http', port: 8080, targetPort: 'http' }] },
    },
  ];
  await kubectlWith(JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }), 'apply', '-f', '-');
  await kubectl('-n', NAMESPACE, 'rollout', 'status', `deployment/${NAME}`, '--timeout=180s');
  const service = await json('-n', NAMESPACE, 'get', 'service', NAME);
  const node = (await json('get', 'nodes')).items[0].status.addresses.find((a: { type: string }) => a.type === 'InternalIP').address;
  return `${node}:${service.spec.ports[0].nodePort}`;
}

function summary(all: GhzDetail[]) {
  const details = all.filter((d) => !cutOffByTheRunsEnd(d.error));
  const ok = details.filter((d) => d.status === 'OK');
  const shed = details.filter((d) => d.status !== 'OK');
  const p50 = (values: number[]) => (values.length ? [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] / 1e6 : Number.NaN);
  return {
    requests: details.length,
    failed: shed.length,
    availability: `${((100 * ok.length) / Math.max(1, details.length)).toFixed(2)}%`,
    okP50Ms: p50(ok.map((d) => d.latency)).toFixed(1),
    shedP50Ms: p50(shed.map((d) => d.latency)).toFixed(1),
    shedStatuses: [...new Set(shed.map((d) => d.status))],
  };
}

test('circuit breaker: with the seed’s thresholds, concurrency 1 passes and concurrency 10 is shed with fast 503s', async () => {
  const edge = await startBreakerEnvoy();
  try {
    await eventually(
      'the breaker Envoy to serve',
      () => restAt(`http://${edge}`, 'GET', '/products/desk-lamp').catch(() => ({ status: 0 })),
      (r) => r.status === 200,
      60_000,
    );
    const ghz = (concurrency: number) =>
      runGhz({ target: edge, call: 'funshop.order.v1.CatalogService/GetProduct', data: { productId: 'desk-lamp' }, concurrency, seconds: 10 }).then((r) =>
        summary(r.details ?? []),
      );
    const one = await ghz(1);
    const ten = await ghz(10);
    report('circuit breaker c1', one);
    report('circuit breaker c10', ten);
    assert.is(one.failed, 0, 'concurrency 1 passes');
    assert.ok(ten.failed > 0, 'concurrency 10 is shed');
    assert.equal(ten.shedStatuses, ['Unavailable']);
    assert.ok(Number(ten.shedP50Ms) < Number(ten.okP50Ms), 'a shed call is answered faster than a served one');
    // Through REST the shed calls are 503s that say why.
    const burst = await Promise.all(Array.from({ length: 100 }, () => fetch(`http://${edge}/products/desk-lamp`)));
    const shed = burst.filter((r) => r.status === 503);
    assert.ok(shed.length > 0, 'a REST burst is shed too');
    for (const response of shed) assert.is(response.headers.get('x-envoy-overloaded'), 'true');
    report('circuit breaker REST burst', { requests: burst.length, shed: shed.length });
  } finally {
    await kubectl('-n', NAMESPACE, 'delete', 'deployment,service,configmap', NAME, '--ignore-not-found');
    // The load scaled the order service up: the next test starts from the shop at rest.
    await atRest();
  }
});

test.run();
