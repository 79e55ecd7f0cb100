import { loadConfig } from '@funshop/platform/config';
import { runtimeSettings } from '@funshop/platform/settings';

/** The customer service keeps its read model in PostgreSQL: polyglot persistence, chosen here. */
export function customerConfig(env: NodeJS.ProcessEnv = process.env) {
  return loadConfig(runtimeSettings('CUSTOMER', { grpcPort: 50054, metricsPort: 9467, database: 'funshop_customer', store: 'postgres' }), env);
}
