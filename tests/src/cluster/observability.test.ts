import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from 'yaml';
import { serviceOf, wholeTrace } from '../jaeger';
import { REPO_ROOT, as, restAt, uniqueCustomer } from '../shop';
import { edge, eventually, nodePortUrl, pods, report } from './cluster';

/**
 * The observability component in the cluster: the base's spans reach its Jaeger (behind the
 * otel-collector Service) as one trace per purchase, and its Prometheus finds every ready pod of
 * the shop by DNS, scrapes it, and evaluates the shop's rules.
 */
const CARD = { number: '4242424242424242', expiryMonth: 12, expiryYear: 2099, cvc: '123' };
const SCRAPED = ['order', 'cart', 'payment', 'customer', 'envoy', 'jaeger'];

test('a purchase through the cluster’s Envoy is one connected trace in the cluster’s Jaeger, each span naming its pod', async () => {
  const { url } = await edge();
  const traceId = randomBytes(16).toString('hex');
  const rootSpanId = randomBytes(8).toString('hex');
  const headers = { ...as(uniqueCustomer()), traceparent: `00-${traceId}-${rootSpanId}-01` };
  const placed = await restAt(url, 'POST', '/orders', { body: { items: [{ productId: 'desk-lamp', quantity: 1 }] }, headers });
  assert.is(placed.status, 200, placed.text);
  const paid = await restAt(url, 'POST', `/orders/${placed.body.order.orderId}:pay`, { body: { card: CARD }, headers });
  assert.is(paid.status, 200, paid.text);

  const jaeger = await nodePortUrl('jaeger', 'ui');
  // Connected: every span but the root has its parent in the trace (each process, each Envoy pod
  // among them, sends its spans in batches every few seconds: waited for until the trace is whole).
  const trace = await wholeTrace(jaeger, traceId, rootSpanId, 60_000);

  // Every process is a pod of its app, named on its spans (service.instance.id, k8s.pod.name).
  const podNames = new Map<string, string[]>();
  for (const app of new Set(trace.spans.map((span) => serviceOf(trace, span))))
    podNames.set(
      app,
      (await pods(app)).map((pod) => pod.name),
    );
  for (const process of Object.values(trace.processes)) {
    const tag = (key: string) => process.tags.find((each) => each.key === key)?.value;
    assert.ok(podNames.get(process.serviceName)?.includes(String(tag('k8s.pod.name'))), `${process.serviceName}: ${JSON.stringify(process.tags)}`);
    assert.is(tag('service.instance.id'), tag('k8s.pod.name'));
  }
  report('cluster trace', { traceId, spans: trace.spans.length, processes: Object.keys(trace.processes).length });
});

interface Target {
  labels: { job: string; instance: string };
  health: string;
  lastError: string;
}

test('the cluster’s Prometheus scrapes every ready pod of the shop, Envoy and Jaeger included, and evaluates the shop’s rules', async () => {
  const prometheus = await nodePortUrl('prometheus', 'web');
  const api = async (path: string) => ((await (await fetch(`${prometheus}/api/v1/${path}`)).json()) as { data: any }).data;

  // Every ready pod of each app is an active target that answered its last scrape (pods come
  // and go with the other tests: compared each round with the pods ready then).
  const unscraped = async () => {
    const targets = ((await api('targets?state=active')).activeTargets as Target[]).filter((target) => target.health === 'up');
    const missing: string[] = [];
    for (const app of SCRAPED) {
      for (const pod of (await pods(app)).filter((each) => each.ready && !each.deleting)) {
        if (!targets.some((target) => target.labels.job === app && target.labels.instance.startsWith(`${pod.ip}:`))) missing.push(`${app}/${pod.name}`);
      }
    }
    return missing;
  };
  await eventually(
    'every ready pod scraped',
    () => unscraped().catch((error: Error) => [error.message]),
    (missing) => missing.length === 0,
    120_000,
    2_000,
  );

  // The same rules and alerts as in development, loaded and evaluated without error.
  const expected = (
    parse(readFileSync(resolve(REPO_ROOT, 'prometheus/rules.yml'), 'utf8')) as { groups: { rules: { record?: string; alert?: string }[] }[] }
  ).groups
    .flatMap((group) => group.rules)
    .map((rule) => rule.record ?? rule.alert)
    .sort();
  const loaded = (await api('rules')).groups.flatMap((group: { rules: { name: string; health: string; lastError?: string }[] }) => group.rules);
  assert.equal(loaded.map((rule: { name: string }) => rule.name).sort(), expected);
  const evaluated = await eventually(
    'every rule evaluated once',
    async () => (await api('rules')).groups.flatMap((group: { rules: { name: string; health: string }[] }) => group.rules),
    (rules: { health: string }[]) => rules.every((rule) => rule.health === 'ok'),
    60_000,
  );
  assert.ok(evaluated.length === expected.length);

  // The services' histograms arrive under the jobs the rules and dashboards group by.
  const jobs = await eventually(
    'the order and payment services’ call histograms',
    async () =>
      (
        (await api('query?query=' + encodeURIComponent('count by (job) (funshop_grpc_server_handling_seconds_count)'))).result as { metric: { job: string } }[]
      ).map((each) => each.metric.job),
    (found) => ['order', 'payment'].every((job) => found.includes(job)),
    60_000,
  );
  report('cluster prometheus', { jobs: jobs.sort().join(',') });
});

test.run();
