import { loadConfig } from '@funshop/platform/config';
import { runtimeSettings } from '@funshop/platform/settings';

export function cartConfig(env: NodeJS.ProcessEnv = process.env) {
  return loadConfig(runtimeSettings('CART', { grpcPort: 50052, metricsPort: 9465, database: 'funshop_cart' }), env);
}
