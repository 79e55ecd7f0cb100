import { DEVELOPMENT } from '../layout';
import { IMAGE_REGISTRY, IMAGE_TAG, LABELS, NAMESPACE, app, disruptionBudget, policy, restrictedContainer, rollingDeployment } from './manifests';

/** The storefront in a cluster: the image's server (storefront/dist/server) on this port, behind Envoy. */
export const STOREFRONT = { name: 'storefront', port: DEVELOPMENT.storefrontPort } as const;

/**
 * The storefront's Deployment, Service and disruption budget. Its server serves files only: two
 * replicas for a rolling update or a drain, no autoscaler (Envoy's, and a CDN's in front of it,
 * are where the load goes), small requests. No development sign-in: the manifests never set
 * STOREFRONT_DEV_SIGN_IN, and the image does not hold the code that would sign.
 */
export function storefrontManifests(): object[] {
  const labels = LABELS(STOREFRONT.name);
  const probe = { httpGet: { path: '/healthz', port: 'http' }, timeoutSeconds: 2 };
  return [
    rollingDeployment(STOREFRONT.name, {
      replicas: 2,
      pod: {
        topologySpreadConstraints: [
          { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: labels } },
        ],
        containers: [
          {
            name: STOREFRONT.name,
            image: `${IMAGE_REGISTRY}/${STOREFRONT.name}:${IMAGE_TAG}`,
            imagePullPolicy: 'IfNotPresent',
            command: ['node', 'storefront/dist/server/main.js'],
            env: [
              { name: 'STOREFRONT_HOST', value: '0.0.0.0' },
              { name: 'STOREFRONT_PORT', value: String(STOREFRONT.port) },
            ],
            ports: [{ name: 'http', containerPort: STOREFRONT.port }],
            readinessProbe: { ...probe, periodSeconds: 5, failureThreshold: 1 },
            // Alive while it accepts connections; the readiness probe asks the server itself.
            livenessProbe: { tcpSocket: { port: 'http' }, periodSeconds: 10, failureThreshold: 3 },
            // Envoy's DNS refresh and health check see the pod leave before it stops serving.
            lifecycle: { preStop: { sleep: { seconds: 5 } } },
            resources: {
              requests: { cpu: '20m', memory: '64Mi', 'ephemeral-storage': '16Mi' },
              limits: { cpu: '200m', memory: '128Mi', 'ephemeral-storage': '64Mi' },
            },
            securityContext: restrictedContainer,
          },
        ],
      },
    }),
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: STOREFRONT.name, namespace: NAMESPACE, labels },
      // Headless, like the services': Envoy balances and health-checks each pod.
      spec: { clusterIP: 'None', selector: labels, ports: [{ name: 'http', port: STOREFRONT.port, targetPort: 'http' }] },
    },
    disruptionBudget(STOREFRONT.name),
  ];
}

/** Only Envoy reaches the storefront's server, and it reaches nothing: it serves files from its image. */
export function storefrontPolicy(): object {
  return policy(STOREFRONT.name, {
    ...app(STOREFRONT.name),
    policyTypes: ['Ingress', 'Egress'],
    ingress: [{ from: [app('envoy')], ports: [{ port: STOREFRONT.port }] }],
  });
}
