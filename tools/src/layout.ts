import { resolve } from 'node:path';

/** The repository root, whichever compiled file asks. */
export const REPO_ROOT = resolve(__dirname, '../..');

export interface ServiceLayout {
  /** Workspace folder under services/. */
  name: string;
  /** Prefix of the service's environment variables, e.g. ORDER_GRPC_PORT. */
  envPrefix: string;
  grpcPort: number;
  /** Prometheus text on /metrics: event counters and outbox lag. */
  metricsPort: number;
  database: string;
  /** The service's store, chosen per service (polyglot persistence); MariaDB unless said. */
  store?: 'postgres';
  /** Instances behind Envoy; instance n (from 0) listens on grpcPort + 100 n, metricsPort + 100 n. */
  replicas?: number;
}

/** Instance n of a service: its name and ports. */
export function instances(service: ServiceLayout): { name: string; grpcPort: number; metricsPort: number }[] {
  return Array.from({ length: service.replicas ?? 1 }, (_, n) => ({
    name: n === 0 ? service.name : `${service.name}-${n + 1}`,
    grpcPort: service.grpcPort + 100 * n,
    metricsPort: service.metricsPort + 100 * n,
  }));
}

/** FUNSHOP_REPLICAS=payment=2,cart=3 runs that many instances of those services. */
export function withReplicas(layout: ShopLayout, setting = process.env.FUNSHOP_REPLICAS): ShopLayout {
  const replicas = new Map(
    (setting ?? '')
      .split(',')
      .filter(Boolean)
      .map((pair) => pair.split('=') as [string, string]),
  );
  return {
    ...layout,
    services: layout.services.map((service) => (replicas.has(service.name) ? { ...service, replicas: Number(replicas.get(service.name)) } : service)),
  };
}

/** Where one running copy of the shop listens. */
export interface ShopLayout {
  name: string;
  envoyPort: number;
  /** Where the services call each other through Envoy. */
  envoyInternalPort: number;
  envoyAdminPort: number;
  /** The storefront's server (storefront/), which Envoy serves the browser app from. */
  storefrontPort: number;
  services: ServiceLayout[];
  /** Folder (under .run/) for logs and rendered configs. */
  runDir: string;
}

export function databaseUrl(service: ServiceLayout): string {
  return service.store === 'postgres'
    ? `postgres://funshop:funshop@127.0.0.1:5432/${service.database}`
    : `mysql://funshop:funshop@127.0.0.1:3306/${service.database}`;
}

/**
 * Where one shop's services reach RabbitMQ: a virtual host and an account of their own, made by
 * `scripts/infra.sh` (its SHOP_BROKERS lists every shop's name). Exchanges and queues live inside
 * a virtual host, so two shops on one broker (`npm start` beside `npm test`) never take each
 * other's events; the account may use its own virtual host and nothing else.
 */
/**
 * The observability backends scripts/infra.sh runs beside the databases and the broker: Jaeger
 * (OTLP receiver, trace UI and query API) and Prometheus. Every shop's services and Envoy send
 * their spans to the one Jaeger; each shop's are told apart by `deployment.environment.name`.
 */
export const OBSERVABILITY = {
  otlpHttp: 'http://127.0.0.1:4318',
  jaegerUi: 'http://127.0.0.1:16686',
  prometheusUi: 'http://127.0.0.1:9090',
} as const;

/**
 * The standard OpenTelemetry settings of one service instance: where spans go (unless
 * OTEL_EXPORTER_OTLP_ENDPOINT says otherwise) and resource attributes naming the instance and the shop.
 */
export function tracingEnv(layout: Pick<ShopLayout, 'name'>, instance: string): Record<string, string> {
  const attributes = [`service.instance.id=${instance}`, `deployment.environment.name=${layout.name}`, process.env.OTEL_RESOURCE_ATTRIBUTES];
  return {
    OTEL_EXPORTER_OTLP_ENDPOINT: process.env.OTEL_EXPORTER_OTLP_ENDPOINT ?? OBSERVABILITY.otlpHttp,
    OTEL_RESOURCE_ATTRIBUTES: attributes.filter(Boolean).join(','),
  };
}

export function brokerUrl(layout: Pick<ShopLayout, 'name'>): string {
  const account = `funshop-${layout.name}`;
  return `amqp://${account}:${account}@127.0.0.1:5672/${account}`;
}

/** `npm start`: the ports the README documents. */
export const DEVELOPMENT: ShopLayout = {
  name: 'development',
  envoyPort: 8080,
  envoyInternalPort: 8081,
  envoyAdminPort: 9901,
  storefrontPort: 8082,
  services: [
    { name: 'order', envPrefix: 'ORDER', grpcPort: 50051, metricsPort: 9464, database: 'funshop_order' },
    { name: 'cart', envPrefix: 'CART', grpcPort: 50052, metricsPort: 9465, database: 'funshop_cart' },
    { name: 'payment', envPrefix: 'PAYMENT', grpcPort: 50053, metricsPort: 9466, database: 'funshop_payment' },
    { name: 'customer', envPrefix: 'CUSTOMER', grpcPort: 50054, metricsPort: 9467, database: 'funshop_customer', store: 'postgres' },
  ],
  runDir: resolve(REPO_ROOT, '.run/dev'),
};

/** `npm test`: its own ports and databases, so tests run beside a development shop untouched. */
export const TEST: ShopLayout = {
  name: 'test',
  envoyPort: 18080,
  envoyInternalPort: 18081,
  envoyAdminPort: 19901,
  storefrontPort: 18082,
  services: [
    { name: 'order', envPrefix: 'ORDER', grpcPort: 21051, metricsPort: 19464, database: 'funshop_test_order' },
    { name: 'cart', envPrefix: 'CART', grpcPort: 21052, metricsPort: 19465, database: 'funshop_test_cart' },
    // Two payment instances: the outlier-ejection test turns one of them bad.
    { name: 'payment', envPrefix: 'PAYMENT', grpcPort: 21053, metricsPort: 19466, database: 'funshop_test_payment', replicas: 2 },
    { name: 'customer', envPrefix: 'CUSTOMER', grpcPort: 21054, metricsPort: 19467, database: 'funshop_test_customer', store: 'postgres' },
  ],
  runDir: resolve(REPO_ROOT, '.run/test'),
};

/**
 * A shop of its own beside the test shop, for a tool that starts one (the experiment, the bench):
 * the test layout with every port shifted and its own databases and run folder.
 */
export function shopBeside(name: string, shift: { edge: number; grpc: number; metrics: number }): ShopLayout {
  return {
    name,
    envoyPort: DEVELOPMENT.envoyPort + shift.edge,
    envoyInternalPort: DEVELOPMENT.envoyInternalPort + shift.edge,
    envoyAdminPort: DEVELOPMENT.envoyAdminPort + shift.edge,
    storefrontPort: DEVELOPMENT.storefrontPort + shift.edge,
    runDir: resolve(REPO_ROOT, `.run/${name}`),
    services: TEST.services.map((service) => ({
      ...service,
      grpcPort: service.grpcPort + shift.grpc,
      metricsPort: service.metricsPort + shift.metrics,
      database: service.database.replace('funshop_test_', `funshop_${name}_`),
    })),
  };
}
