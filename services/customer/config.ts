import { integer, loadConfig } from '@funshop/platform/config';
import { runtimeSettings } from '@funshop/platform/settings';

/** The customer service keeps its read model in PostgreSQL: polyglot persistence, chosen here. */
export function customerConfig(env: NodeJS.ProcessEnv = process.env) {
  return loadConfig(
    {
      ...runtimeSettings('CUSTOMER', { grpcPort: 50054, metricsPort: 9467, database: 'funshop_customer', store: 'postgres' }),
      // Stored events older than this are folded into the my page snapshot and deleted (30 days).
      storedEventRetentionHours: integer('CUSTOMER_STORED_EVENT_RETENTION_HOURS', 24 * 30, { min: 1, max: 24 * 3650 }),
    },
    env,
  );
}
