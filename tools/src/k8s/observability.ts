import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseDocument, visit } from 'yaml';
import { dashboardText, dashboards } from '../grafana';
import { DEVELOPMENT, REPO_ROOT } from '../layout';
import { DNS_EGRESS, LABELS, NAMESPACE, OTEL_COLLECTOR, app, policy, restrictedContainer, restrictedPod } from './manifests';
import { toYaml } from './yaml';

/**
 * The observability component (k8s/components/observability): where the base's traces and
 * metrics go in a cluster, the same backends `npm start` runs.
 * - Jaeger v2 receives OTLP from every service and Envoy at the `otel-collector` Service (the
 *   name the base sends to: replace this component's Jaeger by any OTLP collector of that name)
 *   and serves its UI and query API on the `jaeger` Service.
 * - Prometheus finds every ready pod of the shop by DNS (headless Services), scrapes the
 *   services' metrics port and Envoy's admin stats, and evaluates prometheus/rules.yml, the same
 *   rules and alerts as in development.
 * - The Grafana dashboards of grafana/dashboards in a ConfigMap labelled `grafana_dashboard`,
 *   the label Grafana's dashboard sidecar (its Helm chart's) loads them by.
 */
const OTLP_GRPC_PORT = OTEL_COLLECTOR.grpcPort;
const OTLP_HTTP_PORT = OTEL_COLLECTOR.httpPort;
const JAEGER_UI_PORT = 16686;
const PROMETHEUS_PORT = 9090;
/** The official images of the versions `npm start` runs (the local overlay maps them to local builds). */
export const JAEGER_IMAGE = 'jaegertracing/jaeger:2.12.0';
export const PROMETHEUS_IMAGE = 'prom/prometheus:v2.42.0';
const JAEGER_HEALTH_PORT = 13133;
const JAEGER_METRICS_PORT = 8888;
const ENVOY_ADMIN_PORT = DEVELOPMENT.envoyAdminPort;
/** Headless Services that resolve to every ready pod's address, for Prometheus's DNS discovery. */
const ENVOY_METRICS_SERVICE = 'envoy-metrics';
const JAEGER_METRICS_SERVICE = 'jaeger-metrics';
/** The workloads that send spans and serve metrics. */
const SHOP_WORKLOADS = [...DEVELOPMENT.services.map((service) => service.name), 'envoy'];

/** jaeger/config.yaml with every endpoint on the pod's addresses instead of 127.0.0.1. */
export function clusterJaegerConfig(): string {
  const document = parseDocument(readFileSync(resolve(REPO_ROOT, 'jaeger/config.yaml'), 'utf8'));
  // Its opening comment is about development: this one replaces it.
  document.commentBefore = ' Generated from jaeger/config.yaml by `npm run k8s:generate`: its endpoints on every address of the pod.';
  const contents = document.contents as { commentBefore?: string | null; items?: { key: { commentBefore?: string | null } }[] };
  contents.commentBefore = null;
  if (contents.items?.[0]) contents.items[0].key.commentBefore = null;
  visit(document, {
    Scalar: (_, node) => {
      if (typeof node.value === 'string' && /^127\.0\.0\.1(:\d+)?$/.test(node.value)) node.value = node.value.replace('127.0.0.1', '0.0.0.0');
    },
  });
  return document.toString({ lineWidth: 0 });
}

/**
 * Prometheus's config in the cluster: one job per app, named as in development
 * (prometheus/prometheus.yml), whose targets are every ready pod behind the app's headless Service,
 * found by DNS. DNS rather than Kubernetes pod discovery: Debian's Prometheus, which the local
 * overlay's image is made from, is built without `kubernetes_sd_configs`, and the same config then
 * runs on the official image too. The pods are named by their address (`instance`).
 */
export function clusterPrometheusConfig(): object {
  const job = (name: string, service: string, port: number, metricsPath?: string) => ({
    job_name: name,
    ...(metricsPath ? { metrics_path: metricsPath } : {}),
    dns_sd_configs: [{ names: [`${service}.${NAMESPACE}.svc.cluster.local`], type: 'A', port, refresh_interval: '15s' }],
  });
  return {
    global: { scrape_interval: '15s', evaluation_interval: '15s' },
    // Beside this file in the same ConfigMap: prometheus/rules.yml as it is.
    rule_files: ['rules.yml'],
    scrape_configs: [
      ...DEVELOPMENT.services.map((service) => job(service.name, service.name, service.metricsPort)),
      job('envoy', ENVOY_METRICS_SERVICE, ENVOY_ADMIN_PORT, '/stats/prometheus'),
      job('jaeger', JAEGER_METRICS_SERVICE, JAEGER_METRICS_PORT),
    ],
  };
}

/** A short digest of a pod's configuration, as an annotation: a changed ConfigMap rolls the pods. */
function checksum(...contents: string[]): string {
  return createHash('sha256').update(contents.join('\0')).digest('hex').slice(0, 16);
}

function configMap(name: string, data: Record<string, string>, labels: Record<string, string> = {}): object {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: NAMESPACE, labels: { ...LABELS(name), ...labels } }, data };
}

function deployment(name: string, spec: { podSpec: object; config: string }): object {
  const labels = LABELS(name);
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name,
      namespace: NAMESPACE,
      labels,
      // One replica: each keeps its data in its own pod (memory, an emptyDir), so a second one
      // would be a second, different store behind the same Service.
      annotations: { 'kube-score/ignore': 'deployment-replicas' },
    },
    spec: {
      replicas: 1,
      selector: { matchLabels: labels },
      // The new pod is ready before the old one goes (its data starts empty either way).
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
      template: { metadata: { labels, annotations: { 'funshop/config-checksum': spec.config } }, spec: spec.podSpec },
    },
  };
}

function headlessMetricsService(name: string, app: string, port: number): object {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: NAMESPACE, labels: LABELS(app) },
    spec: { clusterIP: 'None', selector: LABELS(app), ports: [{ name: 'metrics', port, targetPort: port }] },
  };
}

function jaegerManifests(): object[] {
  const config = clusterJaegerConfig();
  const labels = LABELS('jaeger');
  return [
    configMap('jaeger-config', { 'config.yaml': config }),
    deployment('jaeger', {
      config: checksum(config),
      podSpec: {
        securityContext: restrictedPod,
        automountServiceAccountToken: false,
        containers: [
          {
            name: 'jaeger',
            image: JAEGER_IMAGE,
            imagePullPolicy: 'IfNotPresent',
            args: ['--config', '/etc/jaeger/config.yaml'],
            ports: [
              { name: 'otlp-grpc', containerPort: OTLP_GRPC_PORT },
              { name: 'otlp-http', containerPort: OTLP_HTTP_PORT },
              { name: 'ui', containerPort: JAEGER_UI_PORT },
              { name: 'health', containerPort: JAEGER_HEALTH_PORT },
              { name: 'metrics', containerPort: JAEGER_METRICS_PORT },
            ],
            readinessProbe: { httpGet: { path: '/status', port: 'health' }, periodSeconds: 5 },
            livenessProbe: { tcpSocket: { port: 'otlp-grpc' }, periodSeconds: 10, failureThreshold: 3 },
            resources: {
              requests: { cpu: '50m', memory: '128Mi', 'ephemeral-storage': '16Mi' },
              // The memory store keeps at most 20,000 traces (jaeger/config.yaml).
              limits: { cpu: '500m', memory: '1Gi', 'ephemeral-storage': '64Mi' },
            },
            securityContext: restrictedContainer,
            volumeMounts: [{ name: 'config', mountPath: '/etc/jaeger' }],
          },
        ],
        volumes: [{ name: 'config', configMap: { name: 'jaeger-config' } }],
      },
    }),
    {
      apiVersion: 'v1',
      kind: 'Service',
      // The name the base sends spans to (OTEL_EXPORTER_OTLP_ENDPOINT, Envoy's collector cluster).
      metadata: { name: OTEL_COLLECTOR.name, namespace: NAMESPACE, labels },
      spec: {
        selector: labels,
        ports: [
          { name: 'otlp-grpc', port: OTLP_GRPC_PORT, targetPort: 'otlp-grpc', appProtocol: 'kubernetes.io/h2c' },
          { name: 'otlp-http', port: OTLP_HTTP_PORT, targetPort: 'otlp-http' },
        ],
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'jaeger', namespace: NAMESPACE, labels },
      spec: { selector: labels, ports: [{ name: 'ui', port: JAEGER_UI_PORT, targetPort: 'ui' }] },
    },
    headlessMetricsService(JAEGER_METRICS_SERVICE, 'jaeger', JAEGER_METRICS_PORT),
  ];
}

function prometheusManifests(): object[] {
  const name = 'prometheus';
  const labels = LABELS(name);
  const config = toYaml(clusterPrometheusConfig());
  const rules = readFileSync(resolve(REPO_ROOT, 'prometheus/rules.yml'), 'utf8');
  return [
    configMap('prometheus-config', { 'prometheus.yml': config, 'rules.yml': rules }),
    deployment(name, {
      config: checksum(config, rules),
      podSpec: {
        automountServiceAccountToken: false,
        securityContext: { ...restrictedPod, runAsUser: 65534, runAsGroup: 65534, fsGroup: 65534 },
        containers: [
          {
            name,
            image: PROMETHEUS_IMAGE,
            imagePullPolicy: 'IfNotPresent',
            args: [
              '--config.file=/etc/prometheus/prometheus.yml',
              '--storage.tsdb.path=/prometheus',
              '--storage.tsdb.retention.time=2d',
              '--storage.tsdb.retention.size=1GB',
              `--web.listen-address=:${PROMETHEUS_PORT}`,
            ],
            ports: [{ name: 'web', containerPort: PROMETHEUS_PORT }],
            readinessProbe: { httpGet: { path: '/-/ready', port: 'web' }, periodSeconds: 5 },
            livenessProbe: { httpGet: { path: '/-/healthy', port: 'web' }, periodSeconds: 10, failureThreshold: 3 },
            resources: {
              requests: { cpu: '50m', memory: '256Mi', 'ephemeral-storage': '16Mi' },
              limits: { cpu: '500m', memory: '1Gi', 'ephemeral-storage': '64Mi' },
            },
            securityContext: restrictedContainer,
            volumeMounts: [
              { name: 'config', mountPath: '/etc/prometheus' },
              { name: 'data', mountPath: '/prometheus' },
            ],
          },
        ],
        volumes: [
          { name: 'config', configMap: { name: 'prometheus-config' } },
          // Two days of the shop's series; a lost pod loses them (the rules start over).
          { name: 'data', emptyDir: { sizeLimit: '2Gi' } },
        ],
      },
    }),
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace: NAMESPACE, labels },
      spec: { selector: labels, ports: [{ name: 'web', port: PROMETHEUS_PORT, targetPort: 'web' }] },
    },
  ];
}

/** Adds to the base's policies (they are additive): spans to Jaeger, scrapes from Prometheus, the two UIs. */
function observabilityPolicies(): object[] {
  const shop = { podSelector: { matchExpressions: [{ key: 'app.kubernetes.io/name', operator: 'In', values: SHOP_WORKLOADS }] } };
  const metricsPorts = [...DEVELOPMENT.services.map((service) => ({ port: service.metricsPort })), { port: ENVOY_ADMIN_PORT }];
  const otlp = [{ port: OTLP_GRPC_PORT }, { port: OTLP_HTTP_PORT }];
  return [
    policy('otel-export', { ...shop, policyTypes: ['Egress'], egress: [{ to: [app('jaeger')], ports: otlp }] }),
    policy('metrics-scrape', { ...shop, policyTypes: ['Ingress'], ingress: [{ from: [app('prometheus')], ports: metricsPorts }] }),
    policy('jaeger', {
      ...app('jaeger'),
      // Its egress stays denied (default-deny): it stores in memory and calls nothing.
      policyTypes: ['Ingress'],
      ingress: [{ from: [shop], ports: otlp }, { ports: [{ port: JAEGER_UI_PORT }] }, { from: [app('prometheus')], ports: [{ port: JAEGER_METRICS_PORT }] }],
    }),
    policy('prometheus', {
      ...app('prometheus'),
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ ports: [{ port: PROMETHEUS_PORT }] }],
      egress: [DNS_EGRESS, { to: [shop], ports: metricsPorts }, { to: [app('jaeger')], ports: [{ port: JAEGER_METRICS_PORT }] }],
    }),
  ];
}

export function observabilityManifests(): object[] {
  const dashboardData = Object.fromEntries(Object.entries(dashboards()).map(([file, board]) => [file, dashboardText(board)]));
  return [
    ...jaegerManifests(),
    ...prometheusManifests(),
    // Envoy's stats, on its admin port: reachable by Prometheus only (the policies below).
    headlessMetricsService(ENVOY_METRICS_SERVICE, 'envoy', ENVOY_ADMIN_PORT),
    configMap('funshop-grafana-dashboards', dashboardData, { grafana_dashboard: '1' }),
    ...observabilityPolicies(),
  ];
}
