import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from 'yaml';
import { TEST, withReplicas } from '@funshop/tools/layout';
import { bareEnvoyConfig } from '@funshop/tools/bench/bare-envoy';
import { benchEnvoyConfig } from '@funshop/tools/bench/envoy';
import { toYaml } from '@funshop/tools/k8s/yaml';
import { renderEnvoyConfig, seedThresholds } from '@funshop/tools/supervisor';
import { REPO_ROOT, run } from './shop';

/** As much of Envoy's config as the tests below read. */
interface EnvoyShape {
  static_resources: {
    listeners: { address: { socket_address: { port_value: number } } }[];
    clusters: {
      name: string;
      load_assignment: { endpoints: { lb_endpoints: { endpoint: { address: { socket_address: { port_value: number } } } }[] }[] };
      circuit_breakers: { thresholds: { max_pending_requests: number }[] };
      typed_extension_protocol_options: Record<string, { common_http_protocol_options?: unknown }>;
    }[];
  };
}

interface Route {
  match: { prefix?: string };
}

/** Every `routes` list in the config. */
function routeLists(node: unknown): Route[][] {
  if (Array.isArray(node)) return node.flatMap(routeLists);
  if (node === null || typeof node !== 'object') return [];
  return Object.entries(node).flatMap(([key, value]) => (key === 'routes' && Array.isArray(value) ? [value as Route[]] : routeLists(value)));
}

test('envoy --mode validate accepts the committed config', async () => {
  const { code, stdout, stderr } = await run('envoy', ['--mode', 'validate', '-c', 'envoy/envoy.yaml', '--disable-hot-restart']);
  assert.is(code, 0, stdout + stderr);
  assert.match(stdout + stderr, /configuration 'envoy\/envoy\.yaml' OK/);
});

test('envoy --mode validate accepts the config rendered for the test shop', async () => {
  const rendered = join(TEST.runDir, 'envoy-validate.yaml');
  writeFileSync(rendered, renderEnvoyConfig(TEST));
  const { code, stdout, stderr } = await run('envoy', ['--mode', 'validate', '-c', rendered, '--disable-hot-restart']);
  assert.is(code, 0, stdout + stderr);
});

test('the tools edit the config by structure: ports, replicas, CORS origins and the seed’s limits, keeping comments and anchors', async () => {
  const layout = withReplicas(TEST, 'payment=2');
  const text = seedThresholds(renderEnvoyConfig(layout, 'http://shop.example, http://127.0.0.1:3000'));
  const config = parse(text) as EnvoyShape;
  const payment = config.static_resources.clusters.find((cluster) => cluster.name === 'payment')!;
  const ports = payment.load_assignment.endpoints[0].lb_endpoints.map((endpoint) => endpoint.endpoint.address.socket_address.port_value);
  assert.equal(ports, [layout.services.find((s) => s.name === 'payment')!.grpcPort, layout.services.find((s) => s.name === 'payment')!.grpcPort + 100]);
  assert.is(config.static_resources.listeners[0].address.socket_address.port_value, TEST.envoyPort);
  assert.match(text, /allow_origin_string_match: \[ \{ exact: "http:\/\/shop\.example" \}, \{ exact: "http:\/\/127\.0\.0\.1:3000" \} \]/);
  const serviceClusters = config.static_resources.clusters.filter((cluster) => TEST.services.some((service) => service.name === cluster.name));
  assert.is(serviceClusters.length, TEST.services.length);
  for (const cluster of serviceClusters) {
    assert.is(cluster.circuit_breakers.thresholds[0].max_pending_requests, 1, cluster.name);
    const http = cluster.typed_extension_protocol_options['envoy.extensions.upstreams.http.v3.HttpProtocolOptions'];
    assert.equal(http.common_http_protocol_options, { max_requests_per_connection: 1 }, cluster.name);
  }
  assert.match(text, /# Passive health: an instance that keeps failing is ejected/, 'comments are kept');
  // The three other services' clusters and the storefront's alias the first cluster's limits.
  assert.is(text.match(/\*circuit_breakers\b/g)?.length, 4, 'anchors are kept, not expanded');
  const storefront = config.static_resources.clusters.find((cluster) => cluster.name === 'storefront')!;
  assert.is(storefront.load_assignment.endpoints[0].lb_endpoints[0].endpoint.address.socket_address.port_value, TEST.storefrontPort);
  const rendered = join(TEST.runDir, 'envoy-validate-edited.yaml');
  writeFileSync(rendered, text);
  const { code, stdout, stderr } = await run('envoy', ['--mode', 'validate', '-c', rendered, '--disable-hot-restart']);
  assert.is(code, 0, stdout + stderr);
});

test('the bench’s config routes the echo service to its own cluster before the catch-all, without the rate limit or the access log', async () => {
  const text = benchEnvoyConfig(renderEnvoyConfig(TEST), { echoPort: 27099, accessLogs: false });
  const config = parse(text) as EnvoyShape;
  const echo = config.static_resources.clusters.find((cluster) => cluster.name === 'echo')!;
  assert.is(echo.load_assignment.endpoints[0].lb_endpoints[0].endpoint.address.socket_address.port_value, 27099);
  assert.is(echo.circuit_breakers.thresholds[0].max_pending_requests, 1024, 'the shared limits, through their anchor');
  const edgeRoutes = routeLists(config).find((routes) => routes.some((route) => route.match.prefix === '/'))!;
  const catchAll = edgeRoutes.findIndex((route) => route.match.prefix === '/');
  assert.equal(edgeRoutes[catchAll - 1], { match: { prefix: '/funshop.bench.v1.EchoService/' }, route: { cluster: 'echo', timeout: '15s' } });
  assert.match(text, /max_tokens: 1000000/);
  assert.not.match(text, /access_log/);
  const rendered = join(TEST.runDir, 'envoy-validate-bench.yaml');
  writeFileSync(rendered, text);
  const { code, stdout, stderr } = await run('envoy', ['--mode', 'validate', '-c', rendered, '--disable-hot-restart']);
  assert.is(code, 0, stdout + stderr);
});

test('the bench’s bare Envoy only routes, on 127.0.0.1, to the echo service, and Envoy accepts its config', async () => {
  const text = toYaml(bareEnvoyConfig(27098, 27099));
  const config = parse(text) as EnvoyShape & {
    static_resources: { listeners: { filter_chains: { filters: { typed_config: { http_filters: { name: string }[] } }[] }[] }[] };
  };
  const [listener] = config.static_resources.listeners;
  assert.is(listener.address.socket_address.port_value, 27098);
  assert.equal(
    listener.filter_chains[0].filters[0].typed_config.http_filters.map((filter) => filter.name),
    ['envoy.filters.http.router'],
  );
  assert.equal(
    config.static_resources.clusters.map((cluster) => cluster.load_assignment.endpoints[0].lb_endpoints[0].endpoint.address.socket_address.port_value),
    [27099],
  );
  assert.equal(
    [...text.matchAll(/address: (\S+)/g)].map((match) => match[1]),
    ['127.0.0.1', '127.0.0.1'],
  );
  const rendered = join(TEST.runDir, 'envoy-validate-bare.yaml');
  writeFileSync(rendered, text);
  const { code, stdout, stderr } = await run('envoy', ['--mode', 'validate', '-c', rendered, '--disable-hot-restart']);
  assert.is(code, 0, stdout + stderr);
});

test('every listener and the admin interface bind to 127.0.0.1 only', () => {
  const config = readFileSync(join(REPO_ROOT, 'envoy/envoy.yaml'), 'utf8');
  const addresses = [...config.matchAll(/\baddress: ([^,\s{}]+)/g)].map((match) => match[1]);
  assert.ok(addresses.length >= 3);
  for (const address of addresses) assert.is(address, '127.0.0.1');
});

test.run();
