import { boolean, databaseUrl, integer } from './config';
import { grpcServerSettings } from './grpc/settings';
import { messagingSettings } from './messaging/settings';

/**
 * Everything ServiceRuntime reads, under the service's prefix: ORDER_GRPC_PORT,
 * ORDER_DATABASE_URL, ORDER_METRICS_PORT… plus the shared names (RABBITMQ_URL, LOG_LEVEL…).
 */
export function runtimeSettings(prefix: string, defaults: { grpcPort: number; metricsPort: number; database: string; store?: 'mariadb' | 'postgres' }) {
  const server = defaults.store === 'postgres' ? 'postgres://funshop:funshop@127.0.0.1:5432' : 'mysql://funshop:funshop@127.0.0.1:3306';
  return {
    ...grpcServerSettings(prefix, defaults.grpcPort),
    ...messagingSettings(prefix, defaults.metricsPort),
    databaseUrl: databaseUrl(`${prefix}_DATABASE_URL`, `${server}/${defaults.database}`),
    databasePoolMax: integer(`${prefix}_DATABASE_POOL_MAX`, 10, { min: 1, max: 200 }),
    databaseConnectTimeoutMs: integer('DATABASE_CONNECT_TIMEOUT_MS', 30_000, { min: 0, max: 600_000 }),
    migrateOnStart: boolean('MIGRATE_ON_START', true),
    // How often the database is checked: unreachable, the instance reports NOT_SERVING (not
    // ready: load balancers and readiness probes take it out), SERVING again once it answers.
    dependencyCheckMs: integer('DEPENDENCY_CHECK_MS', 2_000, { min: 100, max: 60_000 }),
    // Test-only: lets a test make this instance fail its calls (see fault-switch.ts). Never in production.
    testFaultSwitch: boolean('FUNSHOP_TEST_FAULT_SWITCH', false),
  };
}
