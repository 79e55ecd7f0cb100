import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { composeFile } from '@funshop/tools/k8s/compose';
import {
  BASE_DIR,
  COMPOSE_FILE,
  ENVOY_DESCRIPTOR_IN_IMAGE,
  ENVOY_DOCS_IN_IMAGE,
  JWKS_IN_POD,
  generatedFiles,
  kubernetesEnvoyConfig,
} from '@funshop/tools/k8s/generate';
import { dataManifests, serviceManifests, settingsConfigMap } from '@funshop/tools/k8s/manifests';
import { LIVENESS_HEALTH } from '@funshop/platform/grpc/server';
import { DEVELOPMENT, TEST } from '@funshop/tools/layout';
import { REPO_ROOT, run } from './shop';

test('k8s/base and compose.yaml are exactly what the generator makes from the service layout', () => {
  for (const [path, content] of Object.entries(generatedFiles())) {
    assert.is(readFileSync(resolve(BASE_DIR, path), 'utf8'), content, `k8s/base/${path} is stale: run npm run k8s:generate`);
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
    assert.equal([count('Deployment'), count('HorizontalPodAutoscaler'), count('PodDisruptionBudget')], [5, 4, 5], 'every workload is in the build');
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

test('the EKS overlay puts payment receipts on EFS, shared by every replica', async () => {
  const built = (await run('kustomize', ['build', 'k8s/overlays/eks'])).stdout;
  assert.match(built, /provisioner: efs\.csi\.aws\.com/);
  assert.match(built, /name: payment-receipts[\s\S]*?accessModes:\n {2}- ReadWriteMany[\s\S]*?storageClassName: efs-sc/);
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

test.run();
