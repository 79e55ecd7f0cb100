import { spawn } from 'node:child_process';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { grpcServing } from '@funshop/tools/supervisor';
import { REPO_ROOT, run, until } from './shop';

/**
 * An instance of its own (the cart, on port 21262) with a short self-healing threshold: the broker
 * is taken away for longer than that, and the instance's health must turn NOT_SERVING (a liveness
 * probe would restart it), then SERVING once the broker is back.
 */
const CART = '127.0.0.1:21262';


test('a broker lost for longer than the threshold turns the instance NOT_SERVING; its return, SERVING', async () => {
  const cart = spawn(process.execPath, ['services/cart/dist/main.js'], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      CART_GRPC_PORT: '21262',
      CART_METRICS_PORT: '0',
      CART_DATABASE_URL: 'mysql://funshop:funshop@127.0.0.1:3306/funshop_test_cart',
      SELF_HEAL_AFTER_MS: '1500',
      SHUTDOWN_DRAIN_DELAY_MS: '0',
      LOG_LEVEL: 'warn',
    },
    stdio: 'ignore',
  });
  let brokerStopped = false;
  try {
    await until('the cart instance to serve', () => grpcServing(CART), 20_000);
    assert.is((await run('rabbitmqctl', ['stop_app'])).code, 0);
    brokerStopped = true;
    const lostAt = Date.now();
    await until('NOT_SERVING after the threshold', async () => !(await grpcServing(CART)), 10_000);
    assert.ok(Date.now() - lostAt >= 1_000, 'not before the threshold');
    assert.is((await run('rabbitmqctl', ['start_app'])).code, 0);
    brokerStopped = false;
    await until('SERVING once the broker is back', () => grpcServing(CART), 30_000);
  } finally {
    if (brokerStopped) await run('rabbitmqctl', ['start_app']);
    cart.kill('SIGTERM');
  }
});

test.run();
