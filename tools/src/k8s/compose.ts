import { DEVELOPMENT, type ServiceLayout } from '../layout';
import { ENVOY_DESCRIPTOR_IN_IMAGE, IMAGE_TAG, JWKS_IN_POD, NAMESPACE, OTEL_COLLECTOR, RECEIPTS_DIR, settingsConfigMap } from './manifests';
import { JAEGER_IMAGE, clusterJaegerConfig } from './observability';
import { STOREFRONT } from './storefront';
import { toYaml } from './yaml';

/**
 * compose.yaml: the whole shop from the same images and settings as the Kubernetes manifests, for
 * people without a cluster. The services keep their cluster DNS names as network aliases, so the
 * cluster's Envoy config (k8s/base/envoy/envoy.yaml) runs unchanged. Images are variables: the
 * official data-tier images by default, the local equivalents where those cannot be pulled
 * (`npm run images` makes them; the compose test sets the variables).
 */
const CREDENTIALS = { mariadbRoot: 'funshop-root', mariadb: 'funshop', postgres: 'funshop', rabbitmq: 'funshop' };

function service(layout: ServiceLayout): object {
  const settings = (settingsConfigMap() as { data: Record<string, string> }).data;
  const store =
    layout.store === 'postgres'
      ? `postgres://funshop:${CREDENTIALS.postgres}@postgres:5432/${layout.database}`
      : `mysql://funshop:${CREDENTIALS.mariadb}@mariadb:3306/${layout.database}`;
  return {
    image: `\${FUNSHOP_REGISTRY:-funshop}/${layout.name}:\${FUNSHOP_TAG:-${IMAGE_TAG}}`,
    command: ['node', `services/${layout.name}/dist/main.js`],
    environment: {
      ...settings,
      // No init container here: each service migrates its schema as it starts.
      MIGRATE_ON_START: 'true',
      [`${layout.envPrefix}_GRPC_HOST`]: '0.0.0.0',
      [`${layout.envPrefix}_METRICS_HOST`]: '0.0.0.0',
      [`${layout.envPrefix}_DATABASE_URL`]: store,
      RABBITMQ_URL: `amqp://funshop:${CREDENTIALS.rabbitmq}@rabbitmq:5672`,
    },
    depends_on: {
      [layout.store === 'postgres' ? 'postgres' : 'mariadb']: { condition: 'service_healthy' },
      rabbitmq: { condition: 'service_healthy' },
    },
    ...(layout.name === 'payment' ? { volumes: [`receipts:${RECEIPTS_DIR}`] } : {}),
    read_only: true,
    tmpfs: ['/tmp'],
    networks: { default: { aliases: [`${layout.name}.funshop.svc.cluster.local`] } },
    restart: 'unless-stopped',
  };
}

function store(image: string, environment: Record<string, string>, healthcheck: string[], volume: string, extra: object = {}): object {
  return {
    image,
    environment,
    volumes: [volume],
    healthcheck: { test: healthcheck, interval: '2s', timeout: '5s', retries: 60 },
    ...extra,
  };
}

export function composeFile(): string {
  const services: Record<string, object> = {
    mariadb: store(
      '${MARIADB_IMAGE:-mariadb:10.11}',
      { MARIADB_ROOT_PASSWORD: CREDENTIALS.mariadbRoot, MARIADB_USER: 'funshop', MARIADB_PASSWORD: CREDENTIALS.mariadb },
      ['CMD', 'mariadb-admin', 'ping', '-h', '127.0.0.1', `-p${CREDENTIALS.mariadbRoot}`],
      'mariadb-data:/var/lib/mysql',
      // The services create their own databases; their account may do so for funshop_* only.
      { configs: [{ source: 'mariadb-grants', target: '/docker-entrypoint-initdb.d/grants.sql' }] },
    ),
    postgres: store(
      '${POSTGRES_IMAGE:-postgres:15}',
      { POSTGRES_USER: 'funshop', POSTGRES_PASSWORD: CREDENTIALS.postgres },
      ['CMD', 'pg_isready', '-h', '127.0.0.1', '-U', 'funshop'],
      'postgres-data:/var/lib/postgresql/data',
    ),
    rabbitmq: store(
      '${RABBITMQ_IMAGE:-rabbitmq:3.13}',
      { RABBITMQ_DEFAULT_USER: 'funshop', RABBITMQ_DEFAULT_PASS: CREDENTIALS.rabbitmq },
      ['CMD', 'rabbitmq-diagnostics', '-q', 'check_port_connectivity'],
      'rabbitmq-data:/var/lib/rabbitmq',
      { hostname: 'rabbitmq' },
    ),
    ...Object.fromEntries(DEVELOPMENT.services.map((layout) => [layout.name, service(layout)])),
    storefront: {
      image: `\${FUNSHOP_REGISTRY:-funshop}/storefront:\${FUNSHOP_TAG:-${IMAGE_TAG}}`,
      command: ['node', 'storefront/dist/server/main.js'],
      environment: { STOREFRONT_HOST: '0.0.0.0', STOREFRONT_PORT: String(STOREFRONT.port) },
      read_only: true,
      networks: { default: { aliases: [`${STOREFRONT.name}.${NAMESPACE}.svc.cluster.local`] } },
      restart: 'unless-stopped',
    },
    envoy: {
      image: `\${FUNSHOP_REGISTRY:-funshop}/envoy:\${FUNSHOP_TAG:-${IMAGE_TAG}}`,
      command: ['-c', '/etc/envoy/envoy.yaml', '--disable-hot-restart'],
      volumes: ['./k8s/base/envoy/envoy.yaml:/etc/envoy/envoy.yaml:ro', `./.run/jwt/jwks.json:${JWKS_IN_POD}:ro`],
      // Loopback only; FUNSHOP_COMPOSE_PORT moves it (8080 is `npm start`'s).
      ports: ['127.0.0.1:${FUNSHOP_COMPOSE_PORT:-8090}:8080'],
      depends_on: [...DEVELOPMENT.services.map((layout) => layout.name), STOREFRONT.name],
      read_only: true,
      networks: { default: { aliases: ['envoy-internal'] } },
      restart: 'unless-stopped',
    },
    // The traces' receiver and UI, under the collector's names the services and Envoy send to.
    jaeger: {
      image: `\${JAEGER_IMAGE:-${JAEGER_IMAGE}}`,
      command: ['--config', '/etc/jaeger/config.yaml'],
      configs: [{ source: 'jaeger-config', target: '/etc/jaeger/config.yaml' }],
      ports: ['127.0.0.1:${FUNSHOP_COMPOSE_JAEGER_PORT:-16687}:16686'],
      // Not read_only: compose refuses an inline config (`content`) to a read-only service.
      networks: { default: { aliases: [OTEL_COLLECTOR.name, `${OTEL_COLLECTOR.name}.${NAMESPACE}.svc.cluster.local`] } },
      restart: 'unless-stopped',
    },
  };
  const file = {
    name: 'funshop',
    services,
    configs: {
      'mariadb-grants': { content: "GRANT ALL PRIVILEGES ON `funshop\\_%`.* TO 'funshop'@'%';\n" },
      'jaeger-config': { content: clusterJaegerConfig() },
    },
    volumes: { 'mariadb-data': {}, 'postgres-data': {}, 'rabbitmq-data': {}, receipts: {} },
  };
  return [
    '# Generated by `npm run k8s:generate` (tools/src/k8s/compose.ts) from the service layout; do not edit.',
    '# The whole shop with Docker Compose, from the images `npm run images` builds:',
    '#   docker compose up --wait     then   curl http://127.0.0.1:8090/products  (the storefront: http://127.0.0.1:8090/)',
    '# and the traces in Jaeger on http://127.0.0.1:16687.',
    `# The edge verifies tokens against .run/jwt/jwks.json (\`npm run token -- alice\` makes it); the`,
    `# Envoy image carries the descriptor set at ${ENVOY_DESCRIPTOR_IN_IMAGE}.`,
    toYaml(file),
  ].join('\n');
}
