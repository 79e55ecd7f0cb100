import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { LIVENESS_HEALTH } from '@funshop/platform/grpc/server';
import { DEVELOPMENT, REPO_ROOT, type ServiceLayout } from '../layout';

/**
 * The shop's Kubernetes objects, derived from the same layout as `npm start` (ports, env prefixes,
 * stores), so the probes and Services point at what the code really serves.
 */
export const NAMESPACE = 'funshop';
export const IMAGE_REGISTRY = 'funshop';
/** Images are tagged with the project's version, never `latest`; overlays may re-tag them. */
export const IMAGE_TAG = (JSON.parse(readFileSync(resolve(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
export const LABELS = (app: string) => ({ 'app.kubernetes.io/name': app, 'app.kubernetes.io/part-of': 'funshop' });
export const RECEIPTS_DIR = '/var/lib/funshop/receipts';
/** Where the Envoy image keeps the descriptor set, and where its pods mount the JWKS. */
export const ENVOY_DESCRIPTOR_IN_IMAGE = '/usr/local/share/funshop/funshop.binpb';
/** Where the Envoy image keeps the OpenAPI document and Swagger UI it serves at /openapi.json and /docs/. */
export const ENVOY_DOCS_IN_IMAGE = '/usr/local/share/funshop/docs';
export const JWKS_IN_POD = '/etc/funshop/jwt/jwks.json';
/**
 * Where the shop sends its spans in a cluster: an OTLP receiver behind this Service name (the
 * observability component's Jaeger, or any collector a cluster names so).
 */
export const OTEL_COLLECTOR = { name: 'otel-collector', grpcPort: 4317, httpPort: 4318 } as const;

export const restrictedContainer = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  capabilities: { drop: ['ALL'] },
};
/** The user the official MariaDB, PostgreSQL and RabbitMQ images run as. */
const DATA_UID = 999;
export const restrictedPod = { runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } };

/**
 * A stateless app's Deployment, as the services, Envoy and the storefront run: rolled one new pod
 * at a time and never below the desired ready count (a new pod must be ready before an old one
 * goes); its pods restricted, without a service account token, and given 30 s to stop (preStop
 * 5 s, then the drain and the calls in flight). `replicas` is left out where an HPA owns it;
 * `pod` is the rest of the pod spec.
 */
export function rollingDeployment(name: string, spec: { replicas?: number; pod: object }): object {
  const labels = LABELS(name);
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: NAMESPACE, labels },
    spec: {
      ...(spec.replicas === undefined ? {} : { replicas: spec.replicas }),
      selector: { matchLabels: labels },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
      template: {
        metadata: { labels },
        spec: { securityContext: restrictedPod, terminationGracePeriodSeconds: 30, automountServiceAccountToken: false, ...spec.pod },
      },
    },
  };
}

/**
 * One pod of the app at a time may go: a node drain never blocks, whatever the replica count, and
 * with the two replicas each of them keeps at least, another one serves meanwhile.
 */
export function disruptionBudget(name: string): object {
  const labels = LABELS(name);
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name, namespace: NAMESPACE, labels },
    spec: { maxUnavailable: 1, selector: { matchLabels: labels } },
  };
}

function databaseUrlFrom(service: ServiceLayout) {
  return { name: `${service.envPrefix}_DATABASE_URL`, valueFrom: { secretKeyRef: { name: 'funshop-databases', key: `${service.name}-url` } } };
}

/** Settings every service shares; credentials are in Secrets instead. */
export function settingsConfigMap(): object {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'funshop-settings', namespace: NAMESPACE },
    data: {
      // The schema is migrated by the init container before the new version serves.
      MIGRATE_ON_START: 'false',
      // Longer than the readiness probe's period, so the endpoint is gone before the drain ends.
      SHUTDOWN_DRAIN_DELAY_MS: '8000',
      LOG_LEVEL: 'info',
      // Service-to-service calls go through Envoy's internal listener.
      ...Object.fromEntries(DEVELOPMENT.services.map((other) => [`${other.envPrefix}_ADDRESS`, 'envoy-internal:8081'])),
      PAYMENT_RECEIPTS_DIR: RECEIPTS_DIR,
      // Spans go to the otel-collector Service over OTLP/HTTP (Envoy's over OTLP/gRPC): the
      // observability component's Jaeger, or any collector given that name. OTEL_SDK_DISABLED=true
      // switches the services' tracing off.
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://${OTEL_COLLECTOR.name}:${OTEL_COLLECTOR.httpPort}`,
    },
  };
}

/**
 * The pod's name as `service.instance.id` (and the Kubernetes resource attributes) on its spans:
 * OTEL_RESOURCE_ATTRIBUTES, which the services' SDK and Envoy's tracer both read.
 */
const tracingResourceEnv = [
  { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
  { name: 'OTEL_RESOURCE_ATTRIBUTES', value: `service.instance.id=$(POD_NAME),k8s.pod.name=$(POD_NAME),k8s.namespace.name=${NAMESPACE}` },
];

function serviceEnv(service: ServiceLayout) {
  return [
    ...tracingResourceEnv,
    { name: `${service.envPrefix}_GRPC_HOST`, value: '0.0.0.0' },
    { name: `${service.envPrefix}_METRICS_HOST`, value: '0.0.0.0' },
    databaseUrlFrom(service),
    { name: 'RABBITMQ_URL', valueFrom: { secretKeyRef: { name: 'funshop-rabbitmq', key: 'url' } } },
  ];
}

export function serviceManifests(service: ServiceLayout): object[] {
  const labels = LABELS(service.name);
  const grpcPort = service.grpcPort;
  const image = `${IMAGE_REGISTRY}/${service.name}:${IMAGE_TAG}`;
  // Readiness asks the overall health (can this pod serve: its database answers); liveness and
  // startup ask LIVENESS_HEALTH (does the process answer at all), so a database outage takes
  // pods out of rotation and never restarts them.
  const grpcProbe = (periodSeconds: number, failureThreshold: number, service = '') => ({
    grpc: { port: grpcPort, ...(service ? { service } : {}) },
    periodSeconds,
    failureThreshold,
    timeoutSeconds: 2,
  });
  const volumes: object[] = [{ name: 'tmp', emptyDir: {} }];
  const mounts: object[] = [{ name: 'tmp', mountPath: '/tmp' }];
  if (service.name === 'payment') {
    volumes.push({ name: 'receipts', persistentVolumeClaim: { claimName: 'payment-receipts' } });
    mounts.push({ name: 'receipts', mountPath: RECEIPTS_DIR });
  }
  const container = (name: string, args: string[] = []) => ({
    name,
    image,
    imagePullPolicy: 'IfNotPresent',
    command: ['node', `services/${service.name}/dist/main.js`, ...args],
    envFrom: [{ configMapRef: { name: 'funshop-settings' } }],
    env: serviceEnv(service),
    resources: {
      requests: { cpu: '200m', memory: '256Mi', 'ephemeral-storage': '64Mi' },
      limits: { cpu: '500m', memory: '512Mi', 'ephemeral-storage': '256Mi' },
    },
    securityContext: restrictedContainer,
    volumeMounts: mounts,
  });
  return [
    // No replica count: the HorizontalPodAutoscaler below owns it.
    rollingDeployment(service.name, {
      pod: {
        topologySpreadConstraints: [
          { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: labels } },
          { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: labels } },
        ],
        initContainers: [container('migrate', ['migrate'])],
        containers: [
          {
            ...container(service.name),
            ports: [
              { name: 'grpc', containerPort: service.grpcPort },
              { name: 'metrics', containerPort: service.metricsPort },
            ],
            startupProbe: grpcProbe(2, 30, LIVENESS_HEALTH),
            readinessProbe: grpcProbe(5, 1),
            livenessProbe: grpcProbe(10, 3, LIVENESS_HEALTH),
            lifecycle: { preStop: { sleep: { seconds: 5 } } },
          },
        ],
        volumes,
      },
    }),
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: service.name, namespace: NAMESPACE, labels },
      spec: {
        // Headless: the name resolves to every ready pod, so Envoy balances, health-checks and
        // ejects per pod (a virtual IP would hide the pods behind one address, and HTTP/2 would
        // pin every call to whichever pod its first connection reached).
        clusterIP: 'None',
        selector: labels,
        ports: [
          { name: 'grpc', port: service.grpcPort, targetPort: 'grpc', appProtocol: 'kubernetes.io/h2c' },
          { name: 'metrics', port: service.metricsPort, targetPort: 'metrics' },
        ],
      },
    },
    {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: service.name, namespace: NAMESPACE, labels },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: service.name },
        // The seed's cart: up to 10 replicas at 50 % CPU of a 200m request. At least 2 (the seed
        // says 1): one pod of each service may then be evicted (a node drain, the PDB below) or
        // fail while the other serves.
        minReplicas: 2,
        maxReplicas: 10,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }],
      },
    },
    disruptionBudget(service.name),
  ];
}

export function envoyManifests(): object[] {
  const labels = LABELS('envoy');
  return [
    rollingDeployment('envoy', {
      replicas: 2,
      pod: {
        containers: [
          {
            name: 'envoy',
            image: `${IMAGE_REGISTRY}/envoy:${IMAGE_TAG}`,
            args: ['-c', '/etc/envoy/envoy.yaml', '--disable-hot-restart'],
            env: tracingResourceEnv,
            ports: [
              { name: 'http', containerPort: 8080 },
              { name: 'internal', containerPort: 8081 },
              { name: 'admin', containerPort: 9901 },
            ],
            readinessProbe: { httpGet: { path: '/ready', port: 'admin' }, periodSeconds: 5 },
            // Alive while the listener accepts connections; ready only once its clusters are.
            livenessProbe: { tcpSocket: { port: 'http' }, periodSeconds: 10, failureThreshold: 3 },
            lifecycle: { preStop: { sleep: { seconds: 5 } } },
            resources: {
              requests: { cpu: '200m', memory: '128Mi', 'ephemeral-storage': '64Mi' },
              limits: { cpu: '1', memory: '256Mi', 'ephemeral-storage': '256Mi' },
            },
            securityContext: restrictedContainer,
            volumeMounts: [
              { name: 'config', mountPath: '/etc/envoy' },
              { name: 'jwks', mountPath: '/etc/funshop/jwt' },
            ],
          },
        ],
        volumes: [
          { name: 'config', configMap: { name: 'envoy-config' } },
          { name: 'jwks', configMap: { name: 'funshop-jwks' } },
        ],
      },
    }),
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'envoy', namespace: NAMESPACE, labels },
      spec: { type: 'LoadBalancer', selector: labels, ports: [{ name: 'http', port: 8080, targetPort: 'http' }] },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'envoy-internal', namespace: NAMESPACE, labels },
      spec: { type: 'ClusterIP', selector: labels, ports: [{ name: 'internal', port: 8081, targetPort: 'internal', appProtocol: 'kubernetes.io/h2c' }] },
    },
    disruptionBudget('envoy'),
  ];
}

/** A single-replica StatefulSet with its own volume: for a local cluster; EKS points at managed stores instead. */
function statefulStore(name: string, image: string, port: number, env: object[], dataPath: string): object[] {
  const labels = LABELS(name);
  return [
    {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: {
        name,
        namespace: NAMESPACE,
        labels,
        // The official images run as their own user, uid 999, and write outside their data folder.
        annotations: { 'kube-score/ignore': 'container-security-context-user-group-id,container-security-context-readonlyrootfilesystem' },
      },
      spec: {
        serviceName: name,
        replicas: 1,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            automountServiceAccountToken: false,
            // PodSecurity "restricted" like the rest of the namespace: the official images (and
            // the local cluster's equivalents) run as uid 999 and need no capability.
            securityContext: { ...restrictedPod, runAsUser: DATA_UID, runAsGroup: DATA_UID, fsGroup: DATA_UID },
            containers: [
              {
                name,
                image,
                env,
                ports: [{ name: 'main', containerPort: port }],
                readinessProbe: { tcpSocket: { port: 'main' }, periodSeconds: 5 },
                securityContext: { allowPrivilegeEscalation: false, runAsNonRoot: true, capabilities: { drop: ['ALL'] } },
                resources: {
                  requests: { cpu: '250m', memory: '512Mi', 'ephemeral-storage': '256Mi' },
                  limits: { cpu: '1', memory: '1Gi', 'ephemeral-storage': '1Gi' },
                },
                volumeMounts: [
                  { name: 'data', mountPath: dataPath },
                  ...(name === 'mariadb' ? [{ name: 'init', mountPath: '/docker-entrypoint-initdb.d' }] : []),
                ],
              },
            ],
            ...(name === 'mariadb' ? { volumes: [{ name: 'init', configMap: { name: 'mariadb-init' } }] } : {}),
          },
        },
        volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } } } }],
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace: NAMESPACE, labels },
      spec: { clusterIP: 'None', selector: labels, ports: [{ name: 'main', port }] },
    },
  ];
}

export function dataManifests(): object[] {
  const secret = (name: string, key: string) => ({ valueFrom: { secretKeyRef: { name, key } } });
  return [
    ...statefulStore(
      'mariadb',
      'mariadb:10.11',
      3306,
      [
        { name: 'MARIADB_ROOT_PASSWORD', ...secret('funshop-mariadb', 'root-password') },
        { name: 'MARIADB_USER', value: 'funshop' },
        { name: 'MARIADB_PASSWORD', ...secret('funshop-mariadb', 'password') },
      ],
      '/var/lib/mysql',
    ),
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'mariadb-init', namespace: NAMESPACE },
      // The services create their own databases; their account may do so for funshop_* only.
      data: { 'grants.sql': "GRANT ALL PRIVILEGES ON `funshop\\_%`.* TO 'funshop'@'%';\n" },
    },
    ...statefulStore(
      'postgres',
      'postgres:15',
      5432,
      [
        { name: 'POSTGRES_USER', value: 'funshop' },
        { name: 'POSTGRES_PASSWORD', ...secret('funshop-postgres', 'password') },
        { name: 'PGDATA', value: '/var/lib/postgresql/data/pgdata' },
      ],
      '/var/lib/postgresql/data',
    ),
    ...statefulStore(
      'rabbitmq',
      'rabbitmq:3.13',
      5672,
      [
        { name: 'RABBITMQ_DEFAULT_USER', value: 'funshop' },
        { name: 'RABBITMQ_DEFAULT_PASS', ...secret('funshop-rabbitmq', 'password') },
      ],
      '/var/lib/rabbitmq',
    ),
    {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'payment-receipts', namespace: NAMESPACE, labels: LABELS('payment') },
      // Every payment replica writes receipts here: shared, so ReadWriteMany (EFS on EKS).
      spec: { accessModes: ['ReadWriteMany'], resources: { requests: { storage: '5Gi' } } },
    },
  ];
}

/** A NetworkPolicy of the namespace. */
export function policy(name: string, spec: object): object {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: NAMESPACE }, spec };
}

/** The pods of one app, as a policy's selector or peer. */
export function app(name: string): object {
  return { podSelector: { matchLabels: { 'app.kubernetes.io/name': name } } };
}

/** Egress to the cluster DNS. */
export const DNS_EGRESS = {
  to: [{ namespaceSelector: {}, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
  ports: [
    { protocol: 'UDP', port: 53 },
    { protocol: 'TCP', port: 53 },
  ],
};

/** Default deny; only Envoy is reachable from outside; each service (and the storefront, storefront.ts) reaches only what it uses. */
export function networkPolicies(): object[] {
  const dns = DNS_EGRESS;
  const policies = [
    policy('default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }),
    policy('envoy', {
      ...app('envoy'),
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ ports: [{ port: 8080 }] }, { from: DEVELOPMENT.services.map((s) => app(s.name)), ports: [{ port: 8081 }] }],
      egress: [
        dns,
        { to: DEVELOPMENT.services.map((s) => app(s.name)), ports: DEVELOPMENT.services.map((s) => ({ port: s.grpcPort })) },
        { to: [app('storefront')], ports: [{ port: DEVELOPMENT.storefrontPort }] },
      ],
    }),
  ];
  for (const service of DEVELOPMENT.services) {
    const store = service.store === 'postgres' ? { name: 'postgres', port: 5432 } : { name: 'mariadb', port: 3306 };
    policies.push(
      policy(service.name, {
        ...app(service.name),
        policyTypes: ['Ingress', 'Egress'],
        ingress: [{ from: [app('envoy')], ports: [{ port: service.grpcPort }] }],
        egress: [
          dns,
          { to: [app(store.name)], ports: [{ port: store.port }] },
          { to: [app('rabbitmq')], ports: [{ port: 5672 }] },
          ...(service.name === 'order' ? [{ to: [app('envoy')], ports: [{ port: 8081 }] }] : []),
        ],
      }),
    );
  }
  for (const [store, port, clients] of [
    ['mariadb', 3306, DEVELOPMENT.services.filter((s) => s.store !== 'postgres')],
    ['postgres', 5432, DEVELOPMENT.services.filter((s) => s.store === 'postgres')],
    ['rabbitmq', 5672, DEVELOPMENT.services],
  ] as const) {
    policies.push(policy(store, { ...app(store), policyTypes: ['Ingress'], ingress: [{ from: clients.map((s) => app(s.name)), ports: [{ port }] }] }));
  }
  return policies;
}
