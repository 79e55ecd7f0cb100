import { copyFileSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'uvu';
import { parse, parseAllDocuments } from 'yaml';
import * as assert from 'uvu/assert';
import { composeFile } from '@funshop/tools/k8s/compose';
import {
  COMPOSE_FILE,
  ENVOY_DESCRIPTOR_IN_IMAGE,
  ENVOY_DOCS_IN_IMAGE,
  JWKS_IN_POD,
  K8S_DIR,
  generatedFiles,
  kubernetesEnvoyConfig,
} from '@funshop/tools/k8s/generate';
import { dataManifests, serviceManifests, settingsConfigMap } from '@funshop/tools/k8s/manifests';
import { LIVENESS_HEALTH } from '@funshop/platform/grpc/server';
import { DEVELOPMENT, TEST } from '@funshop/tools/layout';
import { REPO_ROOT, run } from './shop';

test('k8s/base, the observability component and compose.yaml are exactly what the generator makes from the service layout', () => {
  for (const [path, content] of Object.entries(generatedFiles())) {
    assert.is(readFileSync(resolve(K8S_DIR, path), 'utf8'), content, `k8s/${path} is stale: run npm run k8s:generate`);
  }
  assert.is(readFileSync(COMPOSE_FILE, 'utf8'), composeFile(), 'compose.yaml is stale: run npm run k8s:generate');
});

for (const overlay of ['local', 'eks']) {
  test(`kustomize builds the ${overlay} overlay and every object passes strict schema validation`, async () => {
    const built = await run('kustomize', ['build', `k8s/overlays/${overlay}`]);
    assert.is(built.code, 0, built.stderr);
    const file = join(TEST.runDir, `k8s-${overlay}.yaml`);
    writeFileSync(file, built.stdout);
    const validated = await run('kubernetes-validate', ['--strict', '--kubernetes-version', '1.31.0', '--quiet', file]);
    assert.is(validated.code, 0, validated.stdout + validated.stderr);
    const count = (kind: string) => (built.stdout.match(new RegExp(`^kind: ${kind}$`, 'gm')) ?? []).length;
    // The four services, the storefront and Envoy, and the observability component's Jaeger and Prometheus.
    assert.equal([count('Deployment'), count('HorizontalPodAutoscaler'), count('PodDisruptionBudget')], [8, 4, 6], 'every workload is in the build');
    // Locally the data tier runs in the cluster; on EKS it is managed, its Services point there.
    assert.is(count('StatefulSet'), overlay === 'local' ? 3 : 0);
    assert.is((built.stdout.match(/type: ExternalName/g) ?? []).length, overlay === 'local' ? 0 : 3);
  });
}

test('kube-score finds nothing in either overlay, apart from the exceptions justified in k8s/kube-score-exceptions.json', async () => {
  const exceptions = JSON.parse(readFileSync(resolve(REPO_ROOT, 'k8s/kube-score-exceptions.json'), 'utf8')) as Record<string, string>;
  for (const reason of Object.values(exceptions)) assert.ok(reason.length > 40, 'every exception says why');
  for (const overlay of ['local', 'eks']) {
    const file = join(TEST.runDir, `k8s-score-${overlay}.yaml`);
    writeFileSync(file, (await run('kustomize', ['build', `k8s/overlays/${overlay}`])).stdout);
    const ignores = Object.keys(exceptions).flatMap((check) => ['--ignore-test', check]);
    const { code, stdout, stderr } = await run('kube-score', ['score', file, '--output-format', 'ci', ...ignores]);
    const findings = stdout.split('\n').filter((line) => /^\[(CRITICAL|WARNING)\]/.test(line));
    assert.equal(findings, [], overlay);
    assert.is(code, 0, stderr);
  }
});

test('the EKS overlay takes every shop image from ECR and puts payment receipts on EFS, shared by every replica', async () => {
  const built = (await run('kustomize', ['build', 'k8s/overlays/eks'])).stdout;
  assert.match(built, /provisioner: efs\.csi\.aws\.com/);
  assert.match(built, /name: payment-receipts[\s\S]*?accessModes:\n {2}- ReadWriteMany[\s\S]*?storageClassName: efs-sc/);
  // Every image of the shop comes from the overlay's registry: none is left to Docker Hub.
  const shopImages = [...built.matchAll(/image: (\S*funshop\/\S+)/g)].map((match) => match[1]);
  assert.ok(shopImages.length > 0);
  for (const image of shopImages) assert.match(image, /^\d+\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com\/funshop\//, image);
});

test('probes and Services point at the ports each service really listens on', () => {
  for (const service of DEVELOPMENT.services) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- each service's compiled config, by a path made per service
    const { [`${service.name}Config`]: configOf } = require(resolve(REPO_ROOT, `services/${service.name}/dist/config.js`));
    const config = configOf({});
    const [deployment, svc, hpa, pdb] = serviceManifests(service) as any[];
    const container = deployment.spec.template.spec.containers[0];
    const grpcPort = container.ports.find((p: { name: string }) => p.name === 'grpc').containerPort;
    assert.is(grpcPort, config.grpcPort, `${service.name}: the container port is the one the code binds`);
    assert.is(container.ports.find((p: { name: string }) => p.name === 'metrics').containerPort, config.metricsPort);
    for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe']) assert.is(container[probe].grpc.port, config.grpcPort, `${service.name} ${probe}`);
    // Readiness asks the overall health (the database answers); liveness only whether the process does.
    assert.is(container.readinessProbe.grpc.service, undefined);
    for (const probe of ['startupProbe', 'livenessProbe']) assert.is(container[probe].grpc.service, LIVENESS_HEALTH, `${service.name} ${probe}`);
    assert.equal(
      svc.spec.ports.map((p: { targetPort: string }) => p.targetPort),
      ['grpc', 'metrics'],
    );
    assert.is(svc.spec.clusterIP, 'None', `${service.name}: headless, so Envoy sees every pod`);
    assert.equal(container.command, ['node', `services/${service.name}/dist/main.js`]);
    assert.equal(deployment.spec.template.spec.initContainers[0].command, ['node', `services/${service.name}/dist/main.js`, 'migrate']);
    assert.equal(hpa.spec.metrics[0].resource.target, { type: 'Utilization', averageUtilization: 50 });
    assert.equal([hpa.spec.minReplicas, hpa.spec.maxReplicas], [2, 10]);
    assert.equal(pdb.spec, { maxUnavailable: 1, selector: deployment.spec.selector }, `${service.name}: a drain may always evict one pod`);
  }
});

test('pods are restricted and drain before they stop', () => {
  for (const service of DEVELOPMENT.services) {
    const [deployment] = serviceManifests(service) as any[];
    const pod = deployment.spec.template.spec;
    const container = pod.containers[0];
    assert.equal(pod.securityContext.seccompProfile, { type: 'RuntimeDefault' });
    assert.ok(pod.securityContext.runAsNonRoot);
    assert.equal(container.securityContext, {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ['ALL'] },
    });
    // The seed's cart: requests 200m, limits 500m; every service the same.
    assert.equal([container.resources.requests.cpu, container.resources.limits.cpu], ['200m', '500m']);
    assert.equal(deployment.spec.strategy.rollingUpdate, { maxUnavailable: 0, maxSurge: 1 });
    const settings = (settingsConfigMap() as { data: Record<string, string> }).data;
    assert.equal(container.envFrom, [{ configMapRef: { name: 'funshop-settings' } }]);
    const drainMs = Number(settings.SHUTDOWN_DRAIN_DELAY_MS);
    const preStopMs = container.lifecycle.preStop.sleep.seconds * 1000;
    // preStop, then the drain (NOT_SERVING, still answering), then up to 10 s for in-flight calls.
    assert.ok(pod.terminationGracePeriodSeconds * 1000 >= preStopMs + drainMs + 10_000, service.name);
    assert.ok(drainMs > container.readinessProbe.periodSeconds * 1000, 'readiness notices the drain before it ends');
  }
});

test('the data tier meets PodSecurity "restricted" like the rest of the namespace', () => {
  const stores = (dataManifests() as any[]).filter((object) => object.kind === 'StatefulSet');
  assert.equal(
    stores.map((store) => store.metadata.name),
    ['mariadb', 'postgres', 'rabbitmq'],
  );
  for (const store of stores) {
    const pod = store.spec.template.spec;
    assert.equal(pod.securityContext.seccompProfile, { type: 'RuntimeDefault' }, store.metadata.name);
    assert.ok(pod.securityContext.runAsNonRoot && pod.securityContext.runAsUser > 0, store.metadata.name);
    assert.equal(pod.containers[0].securityContext, { allowPrivilegeEscalation: false, runAsNonRoot: true, capabilities: { drop: ['ALL'] } });
  }
});

test('the cluster’s Envoy config passes envoy --mode validate', async () => {
  const file = join(TEST.runDir, 'envoy-kubernetes.yaml');
  const config = kubernetesEnvoyConfig();
  assert.match(config, /address: order\.funshop\.svc\.cluster\.local, port_value: 50051/);
  assert.match(config, /type: STRICT_DNS/);
  // Its spans go where the services' go: the otel-collector Service (OTLP/gRPC for Envoy).
  assert.match(config, /name: envoy\.tracers\.opentelemetry/);
  assert.match(config, /address: otel-collector\.funshop\.svc\.cluster\.local, port_value: 4317/);
  // The image's and the pod's paths, swapped for this machine's copies of the same files (the
  // docs folder laid out as the Dockerfile lays it out in the Envoy image).
  const docs = join(TEST.runDir, 'envoy-docs');
  mkdirSync(docs, { recursive: true });
  copyFileSync(resolve(REPO_ROOT, 'proto/openapi/funshop.swagger.json'), join(docs, 'openapi.json'));
  copyFileSync(resolve(REPO_ROOT, 'envoy/docs/index.html'), join(docs, 'index.html'));
  for (const asset of ['swagger-ui.css', 'swagger-ui-bundle.js']) copyFileSync(resolve(REPO_ROOT, 'node_modules/swagger-ui-dist', asset), join(docs, asset));
  writeFileSync(
    file,
    config
      .replace(ENVOY_DESCRIPTOR_IN_IMAGE, resolve(REPO_ROOT, 'proto/gen/funshop.binpb'))
      .replace(JWKS_IN_POD, resolve(REPO_ROOT, '.run/jwt/jwks.json'))
      .replaceAll(ENVOY_DOCS_IN_IMAGE, docs),
  );
  const { code, stdout, stderr } = await run('envoy', ['--mode', 'validate', '-c', file, '--disable-hot-restart']);
  assert.is(code, 0, stdout + stderr);
});

test('the storefront runs in the cluster behind its Envoy, without the development sign-in', async () => {
  const config = parse(kubernetesEnvoyConfig());
  const storefront = config.static_resources.clusters.find((cluster: { name: string }) => cluster.name === 'storefront');
  assert.equal(storefront.load_assignment.endpoints[0].lb_endpoints[0].endpoint.address.socket_address, {
    address: 'storefront.funshop.svc.cluster.local',
    port_value: DEVELOPMENT.storefrontPort,
  });
  const routes = config.static_resources.listeners[0].filter_chains[0].filters[0].typed_config.route_config.virtual_hosts[0].routes;
  const routedTo = (prefix: string) => routes.find((route: any) => route.match.prefix === prefix || route.match.path === prefix)?.route?.cluster;
  assert.equal(['/', '/shop/', '/assets/'].map(routedTo), ['storefront', 'storefront', 'storefront']);
  assert.is(routedTo('/dev/'), undefined, 'the development sign-in has no route in the cluster');
  const development = parse(readFileSync(resolve(REPO_ROOT, 'envoy/envoy.yaml'), 'utf8'));
  const developmentRoutes = development.static_resources.listeners[0].filter_chains[0].filters[0].typed_config.route_config.virtual_hosts[0].routes;
  assert.ok(
    developmentRoutes.some((route: any) => route.match.prefix === '/dev/'),
    'development has it',
  );

  const { named } = await localOverlay();
  const container = named('Deployment', 'storefront').spec.template.spec.containers[0];
  assert.not.ok(
    (container.env as { name: string }[]).some((each) => each.name === 'STOREFRONT_DEV_SIGN_IN'),
    'no development sign-in',
  );
  assert.equal(container.readinessProbe.httpGet, { path: '/healthz', port: 'http' });
  // The image carries no signing code: neither its stage nor the runtime stage under it copies the tools workspace.
  const image = readFileSync(resolve(REPO_ROOT, 'Dockerfile'), 'utf8')
    .split(/^FROM /m)
    .filter((part) => / AS (runtime|storefront)\n/.test(part));
  assert.equal(
    image.map((stage) => stage.split('\n')[0]),
    ['${NODE_IMAGE} AS runtime', 'runtime AS storefront'],
  );
  for (const stage of image) assert.not.match(stage, /\/src\/tools\b/);
  // Only Envoy reaches it; it reaches nothing.
  const policy = named('NetworkPolicy', 'storefront').spec;
  assert.equal(policy.ingress, [
    { from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'envoy' } } }], ports: [{ port: DEVELOPMENT.storefrontPort }] },
  ]);
  assert.equal([policy.policyTypes, policy.egress], [['Ingress', 'Egress'], undefined]);
});

/** The local overlay as kustomize builds it, each object found by kind and name. */
async function localOverlay(): Promise<{ named: (kind: string, name: string) => any }> {
  const objects = parseAllDocuments((await run('kustomize', ['build', 'k8s/overlays/local'])).stdout).map((document) => document.toJS());
  return { named: (kind, name) => objects.find((object) => object.kind === kind && object.metadata.name === name) };
}

test('the base sends its spans to otel-collector, which the observability component serves with Jaeger', async () => {
  const settings = (settingsConfigMap() as { data: Record<string, string> }).data;
  assert.is(settings.OTEL_EXPORTER_OTLP_ENDPOINT, 'http://otel-collector:4318');
  assert.not.ok('OTEL_SDK_DISABLED' in settings, 'tracing is on in the cluster');
  const { named } = await localOverlay();
  const collector = named('Service', 'otel-collector');
  assert.equal(collector.spec.selector['app.kubernetes.io/name'], 'jaeger');
  assert.equal(
    collector.spec.ports.map((port: { port: number }) => port.port),
    [4317, 4318],
  );
  // Jaeger's config in the cluster is development's, on the pod's addresses.
  const jaegerConfig = parse(named('ConfigMap', 'jaeger-config').data['config.yaml']);
  assert.is(jaegerConfig.receivers.otlp.protocols.grpc.endpoint, '0.0.0.0:4317');
  assert.is(jaegerConfig.extensions.jaeger_query.http.endpoint, '0.0.0.0:16686');
  assert.not.match(named('ConfigMap', 'jaeger-config').data['config.yaml'], /127\.0\.0\.1/);
  // Every pod names itself on its spans.
  for (const deployment of ['order', 'cart', 'payment', 'customer', 'envoy']) {
    const env = named('Deployment', deployment).spec.template.spec.containers[0].env as { name: string; value?: string }[];
    assert.match(env.find((each) => each.name === 'OTEL_RESOURCE_ATTRIBUTES')?.value ?? '', /service\.instance\.id=\$\(POD_NAME\)/, deployment);
  }
});

test('the cluster’s Prometheus: promtool accepts its config, which scrapes each app as development does, with the shop’s rules and dashboards', async () => {
  const { named } = await localOverlay();
  const files = named('ConfigMap', 'prometheus-config').data as Record<string, string>;
  assert.is(files['rules.yml'], readFileSync(resolve(REPO_ROOT, 'prometheus/rules.yml'), 'utf8'));
  const folder = join(TEST.runDir, 'prometheus-cluster');
  mkdirSync(folder, { recursive: true });
  for (const [file, content] of Object.entries(files)) writeFileSync(join(folder, file), content);
  const checked = await run('promtool', ['check', 'config', join(folder, 'prometheus.yml')]);
  assert.is(checked.code, 0, checked.stdout + checked.stderr);
  // The jobs of development, each found by DNS at a headless Service of its app's pods, on the port its pods serve metrics on.
  const jobs = (
    parse(files['prometheus.yml']) as { scrape_configs: { job_name: string; metrics_path?: string; dns_sd_configs: { names: string[]; port: number }[] }[] }
  ).scrape_configs;
  const development = (
    parse(readFileSync(resolve(REPO_ROOT, 'prometheus/prometheus.yml'), 'utf8')) as { scrape_configs: { job_name: string; metrics_path?: string }[] }
  ).scrape_configs;
  assert.equal(
    jobs.filter((job) => job.job_name !== 'jaeger').map((job) => [job.job_name, job.metrics_path]),
    development.map((job) => [job.job_name, job.metrics_path]),
  );
  for (const job of jobs) {
    const service = named('Service', job.dns_sd_configs[0].names[0].replace('.funshop.svc.cluster.local', ''));
    assert.is(service.spec.clusterIP, 'None', `${job.job_name}: a headless Service, one address per ready pod`);
    const pods = named('Deployment', service.spec.selector['app.kubernetes.io/name']);
    const ports = pods.spec.template.spec.containers[0].ports.map((port: { containerPort: number }) => port.containerPort);
    assert.ok(ports.includes(job.dns_sd_configs[0].port), `${job.job_name}: its pods serve port ${job.dns_sd_configs[0].port}`);
  }
  // A changed config or rule rolls the pod (a checksum of both on its template).
  assert.match(named('Deployment', 'prometheus').spec.template.metadata.annotations['funshop/config-checksum'], /^[0-9a-f]{16}$/);
  // The dashboards, for Grafana's sidecar.
  const dashboards = named('ConfigMap', 'funshop-grafana-dashboards');
  assert.is(dashboards.metadata.labels.grafana_dashboard, '1');
  assert.equal(Object.keys(dashboards.data).sort(), readdirSync(resolve(REPO_ROOT, 'grafana/dashboards')).sort());
});

test.run();
