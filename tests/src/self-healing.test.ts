import { spawn } from 'node:child_process';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { LIVENESS_HEALTH } from '@funshop/platform/grpc/server';
import { grpcServing } from '@funshop/tools/supervisor';
import { TEST, brokerUrl } from '@funshop/tools/layout';
import { REPO_ROOT, until } from './shop';

/**
 * An instance of its own (the cart, on port 21262) that reaches MariaDB and RabbitMQ through
 * cut-points of the test's: a TCP relay the test can cut and restore, so an outage is one
 * instance's alone and the test shop runs on untouched.
 */
const CART = '127.0.0.1:21262';
const CART_METRICS = 'http://127.0.0.1:21263';

/** A TCP relay to `target`: cut() refuses and drops every connection, restore() relays again. */
class CutPoint {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();

  private constructor(
    readonly port: number,
    private readonly target: { host: string; port: number },
  ) {}

  static async open(target: { host: string; port: number }): Promise<CutPoint> {
    const probe = createServer();
    const port = await new Promise<number>((resolve) => probe.listen(0, '127.0.0.1', () => resolve((probe.address() as { port: number }).port)));
    await new Promise((resolve) => probe.close(resolve));
    const cut = new CutPoint(port, target);
    await cut.restore();
    return cut;
  }

  async restore(): Promise<void> {
    this.server = createServer((client) => {
      const upstream = connect(this.target.port, this.target.host);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => socket.destroy());
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
  }

  async cut(): Promise<void> {
    const closed = new Promise((resolve) => this.server?.close(resolve));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }
}

test('readiness follows the database, liveness only the process; a broker outage leaves the instance ready', async () => {
  const database = await CutPoint.open({ host: '127.0.0.1', port: 3306 });
  const broker = new URL(brokerUrl(TEST));
  const brokerCut = await CutPoint.open({ host: broker.hostname, port: Number(broker.port) });
  broker.port = String(brokerCut.port);
  const cart = spawn(process.execPath, ['services/cart/dist/main.js'], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      CART_GRPC_PORT: '21262',
      CART_METRICS_PORT: '21263',
      CART_DATABASE_URL: `mysql://funshop:funshop@127.0.0.1:${database.port}/funshop_test_cart`,
      RABBITMQ_URL: broker.toString(),
      DEPENDENCY_CHECK_MS: '200',
      SHUTDOWN_DRAIN_DELAY_MS: '0',
      FUNSHOP_TEST_FAULT_SWITCH: 'true',
      LOG_LEVEL: 'warn',
    },
    stdio: 'ignore',
  });
  const ready = () => grpcServing(CART);
  const alive = () => grpcServing(CART, LIVENESS_HEALTH);
  const brokerHealthy = () => grpcServing(CART, 'funshop.dependency.rabbitmq');
  try {
    await until('the cart instance to be ready with its broker', async () => (await ready()) && brokerHealthy(), 20_000);
    assert.ok(await alive(), 'alive once started');

    await database.cut();
    await until('not ready while the database is unreachable', async () => !(await ready()), 10_000);
    assert.ok(await alive(), 'a database outage must not fail liveness (the kubelet would restart every pod)');
    await database.restore();
    await until('ready again once the database answers', ready, 10_000);

    await brokerCut.cut();
    await until('the broker reported lost', async () => !(await brokerHealthy()), 10_000);
    assert.ok(await ready(), 'still ready without the broker: events wait in the outbox');
    assert.ok(await alive(), 'still alive without the broker');
    await brokerCut.restore();
    await until('the broker reported back', brokerHealthy, 30_000);

    const stalled = await fetch(`${CART_METRICS}/fault/stall`, { method: 'POST' });
    assert.is(stalled.status, 202);
    await until('liveness failing once the process is stuck', async () => !(await alive()), 10_000);
  } finally {
    cart.kill('SIGKILL');
    await database.cut();
    await brokerCut.cut();
  }
});

test.run();
