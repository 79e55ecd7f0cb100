import { integer, loadConfig, string } from '@funshop/platform/config';
import { runtimeSettings } from '@funshop/platform/settings';

export function orderConfig(env: NodeJS.ProcessEnv = process.env) {
  return loadConfig(
    {
      ...runtimeSettings('ORDER', { grpcPort: 50051, metricsPort: 9464, database: 'funshop_order' }),
      paymentWindowSeconds: integer('ORDER_PAYMENT_WINDOW_SECONDS', 900, { min: 1, max: 7 * 24 * 3600 }),
      expirySweepMs: integer('ORDER_EXPIRY_SWEEP_MS', 5_000, { min: 100, max: 3_600_000 }),
      idempotencyKeyTtlHours: integer('ORDER_IDEMPOTENCY_KEY_TTL_HOURS', 24, { min: 1, max: 24 * 365 }),
      paymentAddress: string('PAYMENT_ADDRESS', '127.0.0.1:50053'),
      paymentTimeoutMs: integer('PAYMENT_TIMEOUT_MS', 2_000, { min: 50, max: 60_000 }),
      paymentBreakerThreshold: integer('PAYMENT_BREAKER_THRESHOLD', 5, { min: 1, max: 1_000 }),
      paymentBreakerHalfOpenMs: integer('PAYMENT_BREAKER_HALF_OPEN_MS', 5_000, { min: 100, max: 600_000 }),
    },
    env,
  );
}

export type OrderConfig = ReturnType<typeof orderConfig>;
