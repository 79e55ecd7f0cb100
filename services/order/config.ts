import { integer, loadConfig } from '@funshop/platform/config';
import { runtimeSettings } from '@funshop/platform/settings';

export function orderConfig(env: NodeJS.ProcessEnv = process.env) {
  return loadConfig(
    {
      ...runtimeSettings('ORDER', { grpcPort: 50051, metricsPort: 9464, database: 'funshop_order' }),
      paymentWindowSeconds: integer('ORDER_PAYMENT_WINDOW_SECONDS', 900, { min: 1, max: 7 * 24 * 3600 }),
    },
    env,
  );
}

export type OrderConfig = ReturnType<typeof orderConfig>;
