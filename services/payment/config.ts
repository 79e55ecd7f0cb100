import { loadConfig, string } from '@funshop/platform/config';
import { runtimeSettings } from '@funshop/platform/settings';

export function paymentConfig(env: NodeJS.ProcessEnv = process.env) {
  return loadConfig(
    {
      ...runtimeSettings('PAYMENT', { grpcPort: 50053, metricsPort: 9466, database: 'funshop_payment' }),
      receiptsDirectory: string('PAYMENT_RECEIPTS_DIR', '.run/receipts'),
    },
    env,
  );
}
