import { spawn, type ChildProcess } from 'node:child_process';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { grpcServing } from '@funshop/tools/supervisor';
import { REPO_ROOT, eventually, run, until } from './shop';

/**
 * Its own order and payment processes (ports 21161/21163, the test databases), so that payment
 * can be stopped and started again without disturbing the other suites. A low breaker threshold
 * and a short half-open delay keep the test quick.
 */
const ORDER = '127.0.0.1:21161';
const PAYMENT = '127.0.0.1:21163';
const HALF_OPEN_MS = 1_500;

function startService(name: 'order' | 'payment', env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, [`services/${name}/dist/main.js`], {
    cwd: REPO_ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', SHUTDOWN_DRAIN_DELAY_MS: '0', ...env },
    stdio: 'ignore',
  });
}

const startPayment = () =>
  startService('payment', {
    PAYMENT_GRPC_PORT: '21163',
    PAYMENT_METRICS_PORT: '0',
    PAYMENT_DATABASE_URL: 'mysql://funshop:funshop@127.0.0.1:3306/funshop_test_payment',
    PAYMENT_RECEIPTS_DIR: `${REPO_ROOT}/.run/test/receipts`,
  });

async function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

const call = (method: string, body: object) =>
  run('grpcurl', ['-plaintext', '-H', 'x-customer-id: breaker-test', '-d', JSON.stringify(body), ORDER, `funshop.order.v1.OrderService/${method}`]);
const paymentHealth = async () =>
  JSON.parse((await run('grpcurl', ['-plaintext', '-d', '{"service":"funshop.dependency.payment"}', ORDER, 'grpc.health.v1.Health/Check'])).stdout).status;
const card = { number: '4242424242424242', expiry_month: 12, expiry_year: 2099, cvc: '123' };

test('payment down: PayOrder fails, then fails fast while the circuit is open, and recovers by itself', async () => {
  const order = startService('order', {
    ORDER_GRPC_PORT: '21161',
    ORDER_METRICS_PORT: '0',
    ORDER_DATABASE_URL: 'mysql://funshop:funshop@127.0.0.1:3306/funshop_test_order',
    PAYMENT_ADDRESS: PAYMENT,
    PAYMENT_BREAKER_THRESHOLD: '2',
    PAYMENT_BREAKER_HALF_OPEN_MS: String(HALF_OPEN_MS),
    PAYMENT_TIMEOUT_MS: '1000',
  });
  let payment: ChildProcess | undefined;
  try {
    await until('the order service', () => grpcServing(ORDER));
    const placed = await call('PlaceOrder', { items: [{ product_id: 'desk-lamp', quantity: 1 }] });
    assert.is(placed.code, 0, placed.stderr);
    const orderId = JSON.parse(placed.stdout).order.orderId;

    const first = await call('PayOrder', { order_id: orderId, card });
    assert.match(first.stderr, /Code: Unavailable/);
    assert.match(first.stderr, /payment service did not answer/);

    const started = Date.now();
    const shed = await call('PayOrder', { order_id: orderId, card });
    const shedMs = Date.now() - started;
    assert.match(shed.stderr, /Code: Unavailable/);
    assert.match(shed.stderr, /circuit open/, 'an open circuit answers without calling payment');
    assert.ok(shedMs < 1_000, `failing fast took ${shedMs} ms`);
    assert.is(await paymentHealth(), 'NOT_SERVING');

    payment = startPayment();
    await until('the payment service', () => grpcServing(PAYMENT));
    // While the circuit is open a call is refused without reaching payment; the first one after
    // the half-open delay goes through as the trial and, payment being back, pays the order.
    const paid = await eventually(
      'the circuit to let a trial call through',
      () => call('PayOrder', { order_id: orderId, card }),
      (result) => !/circuit open/.test(result.stderr),
      HALF_OPEN_MS * 4,
    );
    assert.is(paid.code, 0, paid.stderr);
    assert.is(JSON.parse(paid.stdout).order.status, 'ORDER_STATUS_PAID');
    assert.is(await paymentHealth(), 'SERVING');
  } finally {
    await Promise.all([stop(order), stop(payment)]);
  }
});

test.run();
