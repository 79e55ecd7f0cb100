import { boolean, databaseUrl, integer, loadConfig } from '@funshop/platform/config';
import { grpcServerSettings } from '@funshop/platform/grpc/settings';
import { messagingSettings } from '@funshop/platform/messaging/settings';

export function orderConfig(env: NodeJS.ProcessEnv = process.env) {
  return loadConfig(
    {
      ...grpcServerSettings('ORDER', 50051),
      ...messagingSettings('ORDER', 9464),
      databaseUrl: databaseUrl('ORDER_DATABASE_URL', 'mysql://funshop:funshop@127.0.0.1:3306/funshop_order'),
      databasePoolMax: integer('ORDER_DATABASE_POOL_MAX', 10, { min: 1, max: 200 }),
      databaseConnectTimeoutMs: integer('DATABASE_CONNECT_TIMEOUT_MS', 30_000, { min: 0, max: 600_000 }),
      migrateOnStart: boolean('MIGRATE_ON_START', true),
      paymentWindowSeconds: integer('ORDER_PAYMENT_WINDOW_SECONDS', 900, { min: 1, max: 7 * 24 * 3600 }),
    },
    env,
  );
}

export type OrderConfig = ReturnType<typeof orderConfig>;
